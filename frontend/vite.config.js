import { defineConfig, loadEnv } from 'vite';
import react from '@vitejs/plugin-react';

// Paths owned by the Flask API; everything else is the SPA.
const API_PATHS = ['/organizations', '/tasks', '/exports', '/healthz', '/readyz', '/openapi.json', '/docs'];

export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, process.cwd(), '');
  const target = env.VITE_API_PROXY || 'http://localhost:3001';
  return {
    plugins: [react()],
    server: {
      port: 5173,
      strictPort: true,
      proxy: Object.fromEntries(API_PATHS.map((path) => [path, { target, changeOrigin: true }])),
    },
    test: {
      environment: 'jsdom',
      setupFiles: ['./src/test/setup.js'],
      restoreMocks: true,
      unstubGlobals: true,
    },
  };
});
