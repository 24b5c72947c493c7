import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { completeTask, countTasks, createTask, deleteTask, listTasks, reopenTask, updateTask } from './api/tasks';

/**
 * Cache keys: every list of a tenant's tasks sits under `lists(tenantId)`, one
 * entry per filter `{status, q}`; the counts under `counts(tenantId)`, one per search text.
 */
const taskKeys = {
  all: (tenantId) => ['tasks', tenantId],
  lists: (tenantId) => ['tasks', tenantId, 'list'],
  list: (tenantId, filter) => ['tasks', tenantId, 'list', filter],
  counts: (tenantId) => ['tasks', tenantId, 'counts'],
  count: (tenantId, q) => ['tasks', tenantId, 'counts', q],
  deletes: (tenantId) => ['tasks', tenantId, 'delete'],
};

/** Whether `task` contains the search text `q` (as the API searches: case-insensitive, title or description). */
export function matchesSearch(task, q) {
  if (!q) return true;
  const needle = q.toLowerCase();
  return [task.title, task.description].some((text) => text?.toLowerCase().includes(needle));
}

/** Whether `task` belongs in the list of `filter`. */
export const matchesFilter = (task, filter) => (!filter.status || task.status === filter.status) && matchesSearch(task, filter.q);

function uniqueById(tasks) {
  const seen = new Set();
  return tasks.filter((task) => {
    if (seen.has(task.id)) return false;
    seen.add(task.id);
    return true;
  });
}

/** The task list for a tenant and filter `{status, q}`, page by page through the Link header's next URL. */
export function useTaskList(tenantId, { status = '', q = '' }) {
  const filter = { status, q };
  const query = useInfiniteQuery({
    queryKey: taskKeys.list(tenantId, filter),
    // The list is the tenant's, whoever looks: only the tenant header goes with it.
    queryFn: ({ pageParam }) => listTasks({ tenantId }, { status, q, nextUrl: pageParam }),
    initialPageParam: null,
    getNextPageParam: (lastPage) => lastPage.nextUrl,
    enabled: Boolean(tenantId),
    // While the search text changes, the last answer of the same status stays on screen (marked as
    // searching) instead of a skeleton; a different status never shows another status's tasks.
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[3].status === status ? previous : undefined),
  });
  const moreFailed = query.isFetchNextPageError;
  return {
    // A task added here meanwhile may show up again on a later page.
    items: uniqueById(query.data?.pages.flatMap((page) => page.items) ?? []),
    loading: query.isPending,
    searching: query.isPlaceholderData,
    error: moreFailed ? null : query.error,
    reload: () => query.refetch(),
    hasMore: query.hasNextPage && !query.isPlaceholderData,
    loadMore: () => query.fetchNextPage(),
    loadingMore: query.isFetchingNextPage,
    moreError: moreFailed ? query.error : null,
  };
}

/** `{total, pending, completed[, capped]}` for the search `q`, or null while unknown (or unavailable). */
export function useTaskCounts(tenantId, q = '') {
  const query = useQuery({
    queryKey: taskKeys.count(tenantId, q),
    queryFn: () => countTasks({ tenantId }, q),
    enabled: Boolean(tenantId),
    placeholderData: keepPreviousData,
  });
  return query.isPlaceholderData ? null : (query.data ?? null);
}

/** Apply `edit(items, filter, pageIndex)` to every page of every cached task list of the tenant. */
function editCachedLists(queryClient, tenantId, edit) {
  for (const { queryKey } of queryClient.getQueryCache().findAll({ queryKey: taskKeys.lists(tenantId) })) {
    const filter = queryKey[3];
    queryClient.setQueryData(queryKey, (data) =>
      data && { ...data, pages: data.pages.map((page, index) => ({ ...page, items: edit(page.items, filter, index) })) },
    );
  }
}

/** Replace a task where it is listed, in every list (also where it no longer matches: it leaves at the next refresh). */
const replaceListed = (queryClient, tenantId, task) =>
  editCachedLists(queryClient, tenantId, (items) => items.map((item) => (item.id === task.id ? task : item)));

/** Add `delta` (+1, -1) for `task` to every cached count whose search it matches. */
function countTask(queryClient, tenantId, task, delta) {
  for (const { queryKey } of queryClient.getQueryCache().findAll({ queryKey: taskKeys.counts(tenantId) })) {
    if (!matchesSearch(task, queryKey[3])) continue;
    queryClient.setQueryData(queryKey, (counts) =>
      counts && !counts.capped
        ? { ...counts, total: counts.total + delta, [task.status]: counts[task.status] + delta }
        : counts,
    );
  }
}

/** Create a task; it goes to the top of each list it belongs in, without a refetch. */
export function useCreateTask(session) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (fields) => createTask(session, fields),
    onSuccess: (task) => {
      editCachedLists(queryClient, session.tenantId, (items, filter, index) =>
        index === 0 && matchesFilter(task, filter) ? [task, ...items] : items,
      );
      countTask(queryClient, session.tenantId, task, +1);
      queryClient.invalidateQueries({ queryKey: taskKeys.counts(session.tenantId) });
    },
  });
}

/** Change a task's title and description; the saved task replaces it in every list. */
export function useUpdateTask(session) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, changes }) => updateTask(session, id, changes),
    onSuccess: (task) => {
      replaceListed(queryClient, session.tenantId, task);
      // Search results and their counts may change with the words.
      queryClient.invalidateQueries({ queryKey: taskKeys.counts(session.tenantId) });
    },
  });
}

/**
 * Complete or reopen `task` (`{task, status}`), shown at once: the task changes
 * in place, and stays in a list it no longer matches until that list is fetched
 * again (so a task completed in the Pending view does not vanish under the
 * pointer, and its Undo is right there). A failure puts it back.
 */
export function useSetTaskStatus(session) {
  const queryClient = useQueryClient();
  const { tenantId } = session;
  const show = (before, after) => {
    replaceListed(queryClient, tenantId, after);
    countTask(queryClient, tenantId, before, -1);
    countTask(queryClient, tenantId, after, +1);
  };
  return useMutation({
    mutationFn: ({ task, status }) => (status === 'completed' ? completeTask : reopenTask)(session, task.id),
    onMutate: async ({ task, status }) => {
      await queryClient.cancelQueries({ queryKey: taskKeys.all(tenantId) });
      const changed = { ...task, status, completedAt: status === 'completed' ? new Date().toISOString() : null };
      show(task, changed);
      return { changed };
    },
    onError: (_error, { task }, context) => context && show(context.changed, task),
    onSuccess: (saved) => replaceListed(queryClient, tenantId, saved),
    onSettled: () => {
      // Other views are fetched again when next shown; the one on screen keeps the task until its refresh.
      queryClient.invalidateQueries({ queryKey: taskKeys.lists(tenantId), refetchType: 'none' });
      queryClient.invalidateQueries({ queryKey: taskKeys.counts(tenantId) });
    },
  });
}

/** Forget a deleted task everywhere in the cache. */
function forgetTask(queryClient, tenantId, task) {
  editCachedLists(queryClient, tenantId, (items) => items.filter((item) => item.id !== task.id));
  countTask(queryClient, tenantId, task, -1);
  queryClient.invalidateQueries({ queryKey: taskKeys.counts(tenantId) });
}

/** Delete a task on the server (`{task, keepalive}`); it leaves every list once the server agrees. */
export function useDeleteTask(session) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: taskKeys.deletes(session.tenantId),
    mutationFn: ({ task, keepalive }) => deleteTask(session, task.id, { keepalive }),
    onSuccess: (_response, { task }) => forgetTask(queryClient, session.tenantId, task),
  });
}

export const deletingKey = (tenantId) => taskKeys.deletes(tenantId);
