import { QueryClient } from '@tanstack/react-query';

/**
 * The cache of API answers (TanStack Query). Queries are keyed by what the
 * answer depends on, so an answer for another tenant or filter lands in its own
 * entry and is never shown in place of the current one.
 */
export function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A failure shows at once with its "Try again" button rather than after silent retries.
        retry: false,
        // Lists refresh when asked (Try again) or when a change is made here, not on focus or reconnect.
        refetchOnWindowFocus: false,
        refetchOnReconnect: false,
        // Fetch even when the browser says it is offline: the API client then reports
        // "Cannot reach the server" instead of the query waiting silently.
        networkMode: 'always',
      },
      mutations: { networkMode: 'always' },
    },
  });
}
