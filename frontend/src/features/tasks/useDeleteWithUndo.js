import { useMutationState } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { deletingKey, useDeleteTask } from './useTasks';

export const UNDO_MS = 6000;

/**
 * Delete with a few seconds of Undo. The task leaves the screen at once, but
 * the DELETE is sent only when the Undo window closes (or at once when another
 * task is deleted, the tab closes, or the list goes away): a DELETE cannot be
 * undone on the server, and re-creating the task would give it a new id, a new
 * creation time and its undoer as creator. The window pauses while the Undo
 * notice has focus, so a keyboard user has time to reach it.
 */
export function useDeleteWithUndo(session, { undoMs = UNDO_MS } = {}) {
  const removal = useDeleteTask(session);
  const { mutate } = removal;
  const [waiting, setWaiting] = useState(null);
  const waitingRef = useRef(null);
  const timer = useRef(null);

  const take = useCallback(() => {
    clearTimeout(timer.current);
    const task = waitingRef.current;
    waitingRef.current = null;
    setWaiting(null);
    return task;
  }, []);

  const send = useCallback(
    (options) => {
      const task = take();
      if (task) mutate({ task, ...options });
    },
    [take, mutate],
  );

  const resume = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => send(), undoMs);
  }, [send, undoMs]);

  // A waiting delete goes out when the page is left or the list unmounts (another organization, another tab).
  useEffect(() => {
    const leave = () => send({ keepalive: true });
    window.addEventListener('pagehide', leave);
    return () => {
      window.removeEventListener('pagehide', leave);
      leave();
    };
  }, [send]);

  // Sent but not yet answered: still hidden, so the list does not flash it back.
  const inFlight = useMutationState({
    filters: { mutationKey: deletingKey(session.tenantId), status: 'pending' },
    select: (mutation) => mutation.state.variables.task,
  });

  return {
    /** Hide `task` now and start its Undo window (sending any earlier one). */
    remove(task) {
      send();
      waitingRef.current = task;
      setWaiting(task);
      resume();
    },
    /** Cancel the waiting delete; answers the task to show again. */
    undo: take,
    pause: () => clearTimeout(timer.current),
    resume,
    waiting,
    hidden: waiting ? [waiting, ...inFlight] : inFlight,
    error: removal.error,
    failedTask: removal.isError ? removal.variables.task : null,
    dismissError: () => removal.reset(),
  };
}
