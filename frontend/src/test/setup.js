import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => {
  cleanup();
  localStorage.clear();
  // Each test starts at the app's bare URL (the tab lives in the hash).
  window.history.replaceState(null, '', '/');
});
