import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { completeTask, createTask, listTasks } from './api/tasks';

/** Cache keys: every list of a tenant's tasks sits under `lists(tenantId)`, one entry per filter. */
const taskKeys = {
  lists: (tenantId) => ['tasks', tenantId],
  list: (tenantId, filter) => ['tasks', tenantId, filter],
};

const matches = (task, filter) => !filter.status || task.status === filter.status;

function uniqueById(tasks) {
  const seen = new Set();
  return tasks.filter((task) => {
    if (seen.has(task.id)) return false;
    seen.add(task.id);
    return true;
  });
}

/** The task list for a tenant and status filter, page by page through the Link header's next URL. */
export function useTaskList(tenantId, status) {
  const filter = { status };
  const query = useInfiniteQuery({
    queryKey: taskKeys.list(tenantId, filter),
    // The list is the tenant's, whoever looks: only the tenant header goes with it.
    queryFn: ({ pageParam }) => listTasks({ tenantId }, { status, nextUrl: pageParam }),
    initialPageParam: null,
    getNextPageParam: (lastPage) => lastPage.nextUrl,
    enabled: Boolean(tenantId),
  });
  const moreFailed = query.isFetchNextPageError;
  return {
    // A task added here meanwhile may show up again on a later page.
    items: uniqueById(query.data?.pages.flatMap((page) => page.items) ?? []),
    loading: query.isPending,
    error: moreFailed ? null : query.error,
    reload: () => query.refetch(),
    hasMore: query.hasNextPage,
    loadMore: () => query.fetchNextPage(),
    loadingMore: query.isFetchingNextPage,
    moreError: moreFailed ? query.error : null,
  };
}

/** Apply `edit(items, filter, pageIndex)` to every page of every cached task list of the tenant. */
function editCachedLists(queryClient, tenantId, edit) {
  for (const { queryKey } of queryClient.getQueryCache().findAll({ queryKey: taskKeys.lists(tenantId) })) {
    const filter = queryKey[2];
    queryClient.setQueryData(queryKey, (data) =>
      data && { ...data, pages: data.pages.map((page, index) => ({ ...page, items: edit(page.items, filter, index) })) },
    );
  }
}

/** Create a task; it goes to the top of each list it belongs in, without a refetch. */
export function useCreateTask(session) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (fields) => createTask(session, fields),
    onSuccess: (task) =>
      editCachedLists(queryClient, session.tenantId, (items, filter, index) =>
        index === 0 && matches(task, filter) ? [task, ...items] : items,
      ),
  });
}

/** Mark a task completed; it changes in place, and leaves the lists it no longer belongs in. */
export function useCompleteTask(session) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id) => completeTask(session, id),
    onSuccess: (task) =>
      editCachedLists(queryClient, session.tenantId, (items, filter) =>
        items.flatMap((item) => (item.id !== task.id ? [item] : matches(task, filter) ? [task] : [])),
      ),
  });
}
