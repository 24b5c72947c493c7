import { apiJson, apiPage } from '../../../api/client';

export const PAGE_SIZE = 100;

/** One page of tasks, newest first; `nextUrl` (from the Link header) loads the next. */
export function listTasks(session, { status, nextUrl } = {}) {
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (status) query.set('status', status);
  return apiPage(nextUrl ?? `/tasks?${query}`, { session });
}

export const createTask = (session, { title, description }) =>
  apiJson('/tasks', { method: 'POST', body: { title, description }, session });

// An empty PATCH body means "mark completed".
export const completeTask = (session, id) =>
  apiJson(`/tasks/${encodeURIComponent(id)}`, { method: 'PATCH', body: {}, session });
