// An in-memory server of the API contract (the seed's routes plus the additions
// of issues 13 and 15: search, counts, DELETE, createdByName, requestedByName,
// organization search and GET /organizations/<id>), installed as window.fetch.
// `legacy: true` answers as the server did before those additions, so the UI's
// fallbacks can be tested too.
import { vi } from 'vitest';
import { jsonResponse } from './fakeFetch';

const COUNT_CAP = 500;

const error = (status, code, message, extra = {}) => jsonResponse({ error: code, message, ...extra }, { status });

let clock = Date.parse('2026-12-01T10:00:00.000Z');
const now = () => new Date((clock += 1000)).toISOString();

/** Build the fake. `organizations`: [{...org, users: [...], tasks: [...], exports: [...]}], tasks newest first. */
export function installFakeApi({ organizations = [], legacy = false } = {}) {
  const orgs = organizations.map(({ users = [], tasks = [], exports = [], ...org }) => ({
    org,
    users: [...users],
    tasks: [...tasks],
    exports: [...exports],
  }));
  const requests = [];
  let nextId = 1;
  const newId = (prefix) => `${prefix}-new-${nextId++}`;

  const find = (id) => orgs.find((entry) => entry.org.id === id);
  const userName = (entry, id) => entry.users.find((user) => user.id === id)?.name;
  // The names are the server's, at read time; the legacy server had none.
  const withName = (entry, { createdByName: _, ...task }) =>
    legacy ? task : { ...task, createdByName: userName(entry, task.createdBy) };
  const withRequester = (entry, { requestedByName: _, ...exp }) =>
    legacy ? exp : { ...exp, requestedByName: userName(entry, exp.requestedBy) };
  const matches = (task, q) =>
    !q || [task.title, task.description].some((text) => text?.toLowerCase().includes(q.toLowerCase()));

  function tenantOf(headers) {
    const entry = find(headers['x-tenant-id']);
    return entry ?? null;
  }

  function page(items, url, limit, makeUrl) {
    const offset = Number(url.searchParams.get('cursor') ?? 0);
    const slice = items.slice(offset, offset + limit);
    const headers = offset + limit < items.length ? { Link: `<${makeUrl(offset + limit)}>; rel="next"` } : {};
    return { slice, headers };
  }

  function organizationsRoute(url) {
    const all = orgs.map((entry) => entry.org);
    // As the server: without limit, q or cursor, every organization, oldest first.
    if (legacy || !['limit', 'q', 'cursor'].some((key) => url.searchParams.has(key))) return jsonResponse(all);
    const q = (url.searchParams.get('q') ?? '').toLowerCase();
    const limit = Number(url.searchParams.get('limit') ?? 100);
    const found = all
      .filter((org) => !q || org.name.toLowerCase().includes(q) || org.schemaName.includes(q))
      .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()) || a.id.localeCompare(b.id));
    const { slice, headers } = page(found, url, limit, (cursor) => {
      const next = new URLSearchParams(url.searchParams);
      next.set('cursor', String(cursor));
      return `/organizations?${next}`;
    });
    return jsonResponse(slice, { headers });
  }

  function tasksRoute(entry, url) {
    const status = url.searchParams.get('status');
    const q = legacy ? '' : (url.searchParams.get('q') ?? '').trim();
    const limit = Number(url.searchParams.get('limit') ?? 100);
    const found = entry.tasks.filter((task) => (!status || task.status === status) && matches(task, q));
    const { slice, headers } = page(found, url, limit, (cursor) => {
      const next = new URLSearchParams(url.searchParams);
      next.set('cursor', String(cursor));
      return `/tasks?${next}`;
    });
    return jsonResponse(
      slice.map((task) => withName(entry, task)),
      { headers },
    );
  }

  function countsRoute(entry, url) {
    const q = (url.searchParams.get('q') ?? '').trim();
    const found = entry.tasks.filter((task) => matches(task, q));
    const count = (tasks) => (q ? Math.min(tasks.length, COUNT_CAP) : tasks.length);
    const counts = {
      total: count(found),
      pending: count(found.filter((task) => task.status === 'pending')),
      completed: count(found.filter((task) => task.status === 'completed')),
    };
    if (q && found.length >= COUNT_CAP) counts.capped = true;
    return jsonResponse(counts);
  }

  function handle(method, url, headers, body) {
    const path = url.pathname;
    let match;
    if (method === 'GET' && path === '/organizations') return organizationsRoute(url);
    if (method === 'POST' && path === '/organizations') {
      const org = { id: newId('org'), name: body.name, schemaName: body.schemaName, createdAt: now() };
      if (orgs.some((entry) => entry.org.schemaName === body.schemaName)) {
        return error(409, 'conflict', 'The schema name is already taken.', { errors: { schemaName: ['Already taken.'] } });
      }
      orgs.push({ org, users: [], tasks: [], exports: [] });
      return jsonResponse(org, { status: 201 });
    }
    if ((match = path.match(/^\/organizations\/([^/]+)$/)) && method === 'GET') {
      if (legacy) return error(405, 'method_not_allowed', 'Method not allowed.');
      const entry = find(match[1]);
      return entry ? jsonResponse(entry.org) : error(404, 'not_found', 'No such organization.');
    }
    if ((match = path.match(/^\/organizations\/([^/]+)\/users$/))) {
      const entry = find(match[1]);
      if (!entry) return error(404, 'not_found', 'No such organization.');
      if (method === 'GET') return jsonResponse(entry.users);
      const user = { id: newId('user'), name: body.name, email: body.email, role: body.role, createdAt: now() };
      entry.users.push(user);
      return jsonResponse(user, { status: 201 });
    }

    const entry = tenantOf(headers);
    if (!entry) return error(404, 'not_found', 'Unknown organization.');
    const user = entry.users.find((candidate) => candidate.id === headers['x-user-id']);
    if (method === 'GET' && path === '/tasks') return tasksRoute(entry, url);
    if (method === 'GET' && path === '/tasks/counts') {
      return legacy ? error(404, 'not_found', 'Not found.') : countsRoute(entry, url);
    }
    if (method === 'POST' && path === '/tasks') {
      const task = {
        id: newId('task'),
        title: body.title.trim(),
        description: body.description ?? null,
        status: 'pending',
        createdBy: user.id,
        createdAt: now(),
        updatedAt: now(),
        completedAt: null,
      };
      entry.tasks.unshift(task);
      return jsonResponse(withName(entry, task), { status: 201 });
    }
    if ((match = path.match(/^\/tasks\/([^/]+)$/)) && match[1] !== 'export') {
      const index = entry.tasks.findIndex((task) => task.id === match[1]);
      if (index < 0) return error(404, 'not_found', 'No such task.');
      const task = entry.tasks[index];
      if (method === 'PATCH') {
        const changes = Object.keys(body).length ? body : { status: 'completed' };
        const status = changes.status ?? task.status;
        const updated = {
          ...task,
          ...changes,
          status,
          updatedAt: now(),
          completedAt: status === 'completed' ? (task.completedAt ?? now()) : null,
        };
        entry.tasks[index] = updated;
        return jsonResponse(withName(entry, updated));
      }
      if (method === 'DELETE') {
        if (legacy) return error(405, 'method_not_allowed', 'Method not allowed.');
        if (user.role !== 'admin' && task.createdBy !== user.id) return error(403, 'forbidden', 'Not yours.');
        entry.tasks.splice(index, 1);
        return new Response(null, { status: 204 });
      }
    }
    if (method === 'POST' && path === '/tasks/export') {
      const running = entry.exports.find((exp) => exp.status === 'pending' || exp.status === 'processing');
      if (running) {
        const message = legacy
          ? `Export ${running.id} is still processing; start another once it has finished.`
          : 'An export of this organization is still running; start another once it has finished.';
        return error(429, 'export_in_progress', message, { exportId: running.id });
      }
      const exp = {
        id: newId('exp'),
        status: 'pending',
        requestedBy: user.id,
        rowCount: null,
        fileUrl: null,
        error: null,
        createdAt: now(),
        completedAt: null,
        rowsWritten: null,
        rowsExpected: null,
      };
      entry.exports.unshift(exp);
      return jsonResponse({ exportId: exp.id, jobId: `job-${exp.id}` }, { status: 202 });
    }
    if (method === 'GET' && path === '/exports') return jsonResponse(entry.exports.map((exp) => withRequester(entry, exp)));
    if ((match = path.match(/^\/exports\/([^/]+)$/)) && method === 'GET') {
      const exp = entry.exports.find((candidate) => candidate.id === match[1]);
      return exp ? jsonResponse(withRequester(entry, exp)) : error(404, 'not_found', 'No such export.');
    }
    return error(404, 'not_found', `No fake for ${method} ${path}.`);
  }

  const fetchMock = vi.fn(async (input, init = {}) => {
    const method = init.method ?? 'GET';
    const url = new URL(input, 'http://app.test');
    requests.push(`${method} ${url.pathname}${url.search}`);
    const body = init.body ? JSON.parse(init.body) : undefined;
    return handle(method, url, init.headers ?? {}, body);
  });
  vi.stubGlobal('fetch', fetchMock);

  return {
    fetchMock,
    /** Every request so far as "METHOD /path?query". */
    requests,
    /** The requests matching `pattern` (a RegExp on "METHOD /path?query"). */
    requestsLike: (pattern) => requests.filter((line) => pattern.test(line)),
    tasksOf: (orgId) => find(orgId).tasks,
    exportsOf: (orgId) => find(orgId).exports,
    usersOf: (orgId) => find(orgId).users,
    /** Change an export behind the UI's back (a worker's progress). */
    setExport: (orgId, id, changes) => {
      const list = find(orgId).exports;
      const index = list.findIndex((exp) => exp.id === id);
      list[index] = { ...list[index], ...changes };
    },
    /** Add a task as if another browser had. */
    addTask: (orgId, task) => find(orgId).tasks.unshift(task),
  };
}

/** `count` organizations named "Org 00001", ... (for a picker that must not list them all). */
export function manyOrganizations(count) {
  return Array.from({ length: count }, (_, index) => {
    const number = String(index + 1).padStart(5, '0');
    return { id: `org-${number}`, name: `Org ${number}`, schemaName: `org_${number}`, createdAt: '2026-11-01T00:00:00.000Z' };
  });
}
