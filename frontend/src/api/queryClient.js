import { QueryClient } from '@tanstack/react-query';

/** How often every list on screen is fetched again while the page is visible. */
export const REFRESH_MS = 30_000;

/**
 * The cache of API answers (TanStack Query). Queries are keyed by what the
 * answer depends on, so an answer for another tenant or filter lands in its own
 * entry and is never shown in place of the current one.
 */
export function createQueryClient({ refreshMs = REFRESH_MS } = {}) {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A failure shows at once with its "Try again" button rather than after silent retries.
        retry: false,
        // What others changed shows up without a reload: every query on screen is fetched again
        // when the page becomes visible again, and every `refreshMs` while it stays visible
        // (TanStack pauses the interval while the page is hidden).
        refetchOnWindowFocus: true,
        refetchInterval: refreshMs,
        refetchOnReconnect: false,
        // Fetch even when the browser says it is offline: the API client then reports
        // "Cannot reach the server" instead of the query waiting silently.
        networkMode: 'always',
      },
      mutations: { networkMode: 'always' },
    },
  });
}
