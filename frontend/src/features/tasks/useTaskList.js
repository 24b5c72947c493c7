import { useCallback, useEffect, useState } from 'react';
import { listTasks } from './api/tasks';

const INITIAL = { items: [], nextUrl: null, loading: true, error: null, loadingMore: false, moreError: null };

/** The task list for a tenant and status filter, with "load more" and local updates. */
export function useTaskList(session, status) {
  const [state, setState] = useState(INITIAL);
  const [reloadKey, setReloadKey] = useState(0);
  const { tenantId } = session;

  useEffect(() => {
    if (!tenantId) return undefined;
    let current = true;
    setState(INITIAL);
    listTasks({ tenantId }, { status }).then(
      ({ items, nextUrl }) => current && setState({ ...INITIAL, items, nextUrl, loading: false }),
      (error) => current && setState({ ...INITIAL, loading: false, error }),
    );
    return () => {
      current = false;
    };
  }, [tenantId, status, reloadKey]);

  const reload = useCallback(() => setReloadKey((key) => key + 1), []);

  async function loadMore() {
    setState((prev) => ({ ...prev, loadingMore: true, moreError: null }));
    try {
      const page = await listTasks(session, { nextUrl: state.nextUrl });
      setState((prev) => {
        // A task added here meanwhile may show up again on a later page.
        const seen = new Set(prev.items.map((task) => task.id));
        const items = [...prev.items, ...page.items.filter((task) => !seen.has(task.id))];
        return { ...prev, items, nextUrl: page.nextUrl, loadingMore: false };
      });
    } catch (error) {
      setState((prev) => ({ ...prev, loadingMore: false, moreError: error }));
    }
  }

  const matches = (task) => !status || task.status === status;

  function added(task) {
    if (matches(task)) setState((prev) => ({ ...prev, items: [task, ...prev.items] }));
  }

  function updated(task) {
    setState((prev) => ({
      ...prev,
      items: prev.items.flatMap((item) => (item.id !== task.id ? [item] : matches(task) ? [task] : [])),
    }));
  }

  return { ...state, reload, loadMore, added, updated };
}
