import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import reactRefresh from 'eslint-plugin-react-refresh';
import globals from 'globals';

// Every folder under src/features is a feature; a new one is covered as soon as it exists.
const FEATURES = readdirSync(new URL('./src/features', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

// Imports are relative, so a path that climbs (../) and lands in one of `folders` (or in
// src/<folder>) leaves the importing code's own area.
const climbsInto = (folders) => `^(\\.\\./)+(features/)?(${folders.join('|')})(/|$)`;

/**
 * The layers: app/ composes the features; a feature imports shared code (api,
 * components, lib) but never another feature or app/; shared code imports no
 * feature and no app/. A feature that needs another's data gets it by props.
 */
const layerRules = [
  ...FEATURES.map((feature) => {
    const others = FEATURES.filter((name) => name !== feature);
    const patterns = [
      {
        regex: `^(\\.\\./)+app(/|$)`,
        message: 'A feature does not import app/: the app composes the features, not the other way round.',
      },
    ];
    if (others.length > 0) {
      patterns.push({
        regex: climbsInto(others),
        message: `features/${feature} does not import another feature: take its data by props, or move shared code to src/api, src/components or src/lib.`,
      });
    }
    return {
      name: `layers/features/${feature}`,
      files: [`src/features/${feature}/**`],
      rules: { 'no-restricted-imports': ['error', { patterns }] },
    };
  }),
  {
    name: 'layers/shared',
    files: ['src/api/**', 'src/components/**', 'src/lib/**', 'src/test/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(\\.\\./)+(features|app)(/|$)`,
              message: 'Shared code imports no feature and no app/: they build on it.',
            },
          ],
        },
      ],
    },
  },
];

export default [
  { ignores: ['dist/'] },
  js.configs.recommended,
  reactHooks.configs.flat.recommended,
  reactRefresh.configs.vite,
  {
    files: ['**/*.{js,jsx}'],
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      globals: globals.browser,
      parserOptions: { ecmaFeatures: { jsx: true } },
    },
    rules: {
      'no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
  {
    files: ['*.config.js', '*.config.test.js'],
    languageOptions: { globals: globals.node },
  },
  ...layerRules,
];
