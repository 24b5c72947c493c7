import { apiFetch, apiJson, apiPage } from '../../../api/client';

export const PAGE_SIZE = 100;

const taskPath = (id) => `/tasks/${encodeURIComponent(id)}`;

/** One page of tasks, newest first; `nextUrl` (from the Link header) loads the next. */
export function listTasks(session, { status, q, nextUrl } = {}) {
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (status) query.set('status', status);
  if (q) query.set('q', q);
  return apiPage(nextUrl ?? `/tasks?${query}`, { session });
}

/** `{total, pending, completed[, capped]}` of the tasks matching `q` (all of them without). */
export const countTasks = (session, q) =>
  apiJson(q ? `/tasks/counts?${new URLSearchParams({ q })}` : '/tasks/counts', { session });

export const createTask = (session, { title, description }) =>
  apiJson('/tasks', { method: 'POST', body: { title, description }, session });

/** Change a task's `title`, `description` or `status` ("pending" reopens it). */
export const updateTask = (session, id, changes) => apiJson(taskPath(id), { method: 'PATCH', body: changes, session });

// An empty PATCH body means "mark completed".
export const completeTask = (session, id) => updateTask(session, id, {});

export const reopenTask = (session, id) => updateTask(session, id, { status: 'pending' });

/** Delete a task for good (204); `keepalive` lets it go out while the page closes. */
export const deleteTask = (session, id, { keepalive = false } = {}) =>
  apiFetch(taskPath(id), { method: 'DELETE', session, keepalive });
