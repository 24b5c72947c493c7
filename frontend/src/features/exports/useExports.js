import { useCallback, useEffect, useState } from 'react';
import { getExport, isFinished, listExports, startExport } from './api/exports';

export const POLL_MS = 1000;

/**
 * The tenant's exports, newest first. While any is unfinished it is polled
 * every `pollMs` so its status changes live.
 */
export function useExports(session, pollMs = POLL_MS) {
  const [exports, setExports] = useState(null);
  const [error, setError] = useState(null);
  const [pollError, setPollError] = useState(null);
  const [pollCount, setPollCount] = useState(0);
  const [reloadKey, setReloadKey] = useState(0);

  useEffect(() => {
    let current = true;
    setError(null);
    listExports(session).then(
      (items) => current && setExports(items),
      (err) => current && setError(err),
    );
    return () => {
      current = false;
    };
  }, [session, reloadKey]);

  useEffect(() => {
    const unfinished = exports?.filter((exp) => !isFinished(exp)) ?? [];
    if (unfinished.length === 0) return undefined;
    let current = true;
    const timer = setTimeout(async () => {
      try {
        const fresh = await Promise.all(unfinished.map((exp) => getExport(session, exp.id)));
        if (!current) return;
        setPollError(null);
        setExports((prev) => prev.map((exp) => fresh.find((f) => f.id === exp.id) ?? exp));
      } catch (err) {
        if (current) setPollError(err);
      } finally {
        // Schedules the next round even when nothing changed or the poll failed.
        if (current) setPollCount((count) => count + 1);
      }
    }, pollMs);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [exports, pollCount, session, pollMs]);

  const reload = useCallback(() => setReloadKey((key) => key + 1), []);

  async function start() {
    const { exportId } = await startExport(session);
    const exp = await getExport(session, exportId).catch(() => ({
      id: exportId,
      status: 'pending',
      rowCount: null,
      createdAt: new Date().toISOString(),
    }));
    setExports((prev) => [exp, ...(prev ?? []).filter((item) => item.id !== exp.id)]);
  }

  return { exports, error, pollError, reload, start };
}
