import { useMemo, useSyncExternalStore } from 'react';

// The app's place lives in the URL hash ("#/tasks?q=report"): the API owns the
// paths (/tasks, /organizations, ...), so the server needs no route of the SPA's.

function subscribe(onChange) {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

const currentHash = () => window.location.hash;

/** Split "#/tasks?q=x" into `{path: "/tasks", params}`; an empty hash is "/". */
export function parseHash(hash) {
  const [path, query = ''] = hash.replace(/^#/, '').split('?');
  return { path: path || '/', params: new URLSearchParams(query) };
}

/** The hash's path and query parameters, re-rendering when they change (links, Back, navigate()). */
export function useHashRoute() {
  const hash = useSyncExternalStore(subscribe, currentHash);
  return useMemo(() => parseHash(hash), [hash]);
}

/**
 * Go to `path` with `params` (empty values are left out). A push adds a
 * history entry, so Back returns; `replace` rewrites the current one (for a
 * filter typed letter by letter, or a default the user did not choose).
 */
export function navigate(path, params = {}, { replace = false } = {}) {
  const query = new URLSearchParams(Object.entries(params).filter(([, value]) => value)).toString();
  const hash = `#${path}${query ? `?${query}` : ''}`;
  if (hash === window.location.hash) return;
  if (replace) {
    window.history.replaceState(window.history.state, '', hash);
    // replaceState fires no event: tell the subscribers ourselves.
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.hash = hash;
  }
}
