import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { saveBlob } from '../../lib/saveBlob';
import { fetchExportFile, getExport, isFinished, listExports, startExport } from './api/exports';

export const POLL_MS = 1000;

/** Cache keys: exports are read as an admin of the tenant, so both are part of the key. */
const exportKeys = {
  list: ({ tenantId, userId }) => ['exports', tenantId, userId, 'list'],
  detail: ({ tenantId, userId }, id) => ['exports', tenantId, userId, 'detail', id],
};

/**
 * The tenant's exports, newest first. Each unfinished one is polled every
 * `pollMs` (`GET /exports/<id>` has its live progress) until it finishes.
 */
export function useExports(session, pollMs = POLL_MS) {
  const list = useQuery({ queryKey: exportKeys.list(session), queryFn: () => listExports(session) });
  const unfinished = list.data?.filter((exp) => !isFinished(exp)) ?? [];
  const polls = useQueries({
    queries: unfinished.map((exp) => ({
      queryKey: exportKeys.detail(session, exp.id),
      queryFn: () => getExport(session, exp.id),
      // The list's answer counts as the first look, so the first poll comes `pollMs` after it.
      initialData: exp,
      initialDataUpdatedAt: list.dataUpdatedAt,
      staleTime: pollMs,
      refetchInterval: (query) => (isFinished(query.state.data) ? false : pollMs),
    })),
  });
  const latest = new Map(polls.map((poll) => [poll.data.id, poll.data]));
  return {
    exports: list.data?.map((exp) => latest.get(exp.id) ?? exp) ?? null,
    error: list.error,
    // A failed poll keeps the last known state on screen and tries again at the next tick.
    pollError: polls.find((poll) => poll.error)?.error ?? null,
    reload: () => list.refetch(),
  };
}

/** Start an export; it goes to the top of the list (and is polled from there). */
export function useStartExport(session) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      const { exportId } = await startExport(session);
      return getExport(session, exportId).catch(() => ({
        id: exportId,
        status: 'pending',
        rowCount: null,
        createdAt: new Date().toISOString(),
      }));
    },
    onSuccess: (exp) =>
      queryClient.setQueryData(exportKeys.list(session), (prev) => [
        exp,
        ...(prev ?? []).filter((item) => item.id !== exp.id),
      ]),
    // 429: one is running that this list may not know of (started elsewhere); fetch it, so it shows and is polled.
    onError: (error) => error.status === 429 && queryClient.invalidateQueries({ queryKey: exportKeys.list(session) }),
  });
}

/** Download a completed export's CSV and save it under the name the server suggests. */
export function useExportDownload(session, exp) {
  return useMutation({
    mutationFn: () => fetchExportFile(session, exp),
    onSuccess: ({ blob, filename }) => saveBlob(blob, filename ?? `tasks-export-${exp.id}.csv`),
  });
}
