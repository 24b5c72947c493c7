import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = dirname(fileURLToPath(import.meta.url));
const eslint = new ESLint({ cwd: root });
const FEATURES = readdirSync(join(root, 'src', 'features'));

/** The messages of the import rule for one import in a (made-up) file at `filePath`. */
async function importProblems(filePath, source) {
  const [result] = await eslint.lintText(`import { thing } from '${source}';\nexport const used = thing;\n`, {
    filePath,
  });
  return result.messages.filter((message) => message.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const pairs = FEATURES.flatMap((from) => FEATURES.filter((to) => to !== from).map((to) => [from, to]));

describe('the layer rule', () => {
  it('knows every feature', () => {
    expect(FEATURES).toEqual(expect.arrayContaining(['exports', 'tasks', 'tenancy']));
  });

  it.each(pairs)('keeps features/%s from importing features/%s', async (from, to) => {
    for (const [file, source] of [
      [`src/features/${from}/probe.js`, `../${to}/api/thing`],
      [`src/features/${from}/components/Probe.jsx`, `../../${to}/thing`],
      [`src/features/${from}/components/Probe.jsx`, `../../../features/${to}/thing`],
    ]) {
      expect(await importProblems(file, source), `${file} -> ${source}`).toEqual([
        expect.stringContaining(`features/${from} does not import another feature`),
      ]);
    }
  });

  it.each([
    ['src/features/tasks/components/Probe.jsx', '../../../app/App', 'A feature does not import app/'],
    ['src/components/Probe.jsx', '../features/tasks/useTasks', 'Shared code imports no feature'],
    ['src/lib/probe.js', '../app/App', 'Shared code imports no feature'],
    ['src/api/probe.js', '../features/exports/api/exports', 'Shared code imports no feature'],
  ])('refuses %s importing %s', async (file, source, message) => {
    expect(await importProblems(file, source)).toEqual([expect.stringContaining(message)]);
  });

  it.each([
    ['src/features/tasks/components/Probe.jsx', '../useTasks'],
    ['src/features/tasks/components/Probe.jsx', '../../../api/client'],
    ['src/features/tasks/components/Probe.jsx', '../../../components/Alert'],
    ['src/features/exports/useProbe.js', '../../lib/saveBlob'],
    ['src/app/Probe.jsx', '../features/tasks/components/TasksPanel'],
    ['src/components/Probe.jsx', '../lib/useSubmit'],
  ])('allows %s importing %s', async (file, source) => {
    expect(await importProblems(file, source)).toEqual([]);
  });
});
