// A stand-in for window.fetch in unit tests: routes "METHOD /path" to canned
// answers so components can be tested without a server.
import { vi } from 'vitest';

/** Build a Response with a JSON body. */
export function jsonResponse(body, { status = 200, headers = {} } = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

/**
 * Install a fake fetch. `routes` maps "GET /tasks" (path without query, or
 * with it for an exact match) to a body, a Response, or a function of the
 * request returning either. Unknown routes answer 404 in the API's format.
 */
export function installFakeFetch(routes) {
  const fetchMock = vi.fn(async (url, init = {}) => {
    const method = init.method ?? 'GET';
    const path = new URL(url, 'http://app.test').pathname;
    const query = new URL(url, 'http://app.test').search;
    const handler = routes[`${method} ${path}${query}`] ?? routes[`${method} ${path}`];
    const request = {
      url,
      method,
      headers: init.headers ?? {},
      body: init.body ? JSON.parse(init.body) : undefined,
    };
    if (handler === undefined) {
      return jsonResponse({ error: 'not_found', message: `No fake for ${method} ${path}.` }, { status: 404 });
    }
    const answer = typeof handler === 'function' ? await handler(request) : handler;
    return answer instanceof Response ? answer : jsonResponse(answer);
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}
