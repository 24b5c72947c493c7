// The one way the SPA talks to the API: adds the tenant/user headers,
// unwraps JSON and turns every failure into an ApiError.

const API_BASE = import.meta.env.VITE_API_BASE ?? '';

export class ApiError extends Error {
  constructor({ status, code, message, fieldErrors = {}, body = null }) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fieldErrors = fieldErrors;
    // The whole error body, for fields beside the message (a 429's exportId).
    this.body = body;
  }
}

/** Parse an RFC 8288 Link header into `{rel: url}`. */
export function parseLinkHeader(header) {
  const links = {};
  if (!header) return links;
  for (const part of header.split(',')) {
    const match = part.match(/<([^>]*)>\s*;(.*)/);
    if (!match) continue;
    const rel = match[2].match(/rel\s*=\s*"?([^";]+)"?/);
    if (!rel) continue;
    for (const name of rel[1].trim().split(/\s+/)) links[name] = match[1];
  }
  return links;
}

function sessionHeaders(session) {
  const headers = {};
  if (session?.tenantId) headers['x-tenant-id'] = session.tenantId;
  if (session?.userId) headers['x-user-id'] = session.userId;
  return headers;
}

function urlFor(path) {
  // Link headers carry relative URLs; absolute ones are followed as-is.
  return /^https?:\/\//.test(path) ? path : API_BASE + path;
}

async function errorFrom(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (e.g. a proxy's HTML error page): fall back to the status line.
  }
  const statusText = response.statusText ? ` ${response.statusText}` : '';
  return new ApiError({
    status: response.status,
    code: body?.error ?? 'http_error',
    message: body?.message ?? `The server answered ${response.status}${statusText}.`,
    fieldErrors: body?.errors ?? {},
    body,
  });
}

/**
 * Send a request and return the Response; throws ApiError unless it is 2xx.
 * `keepalive` lets a request outlive the page (a delete sent as the tab closes).
 */
export async function apiFetch(path, { method = 'GET', body, session, headers = {}, keepalive } = {}) {
  const init = { method, headers: { Accept: 'application/json', ...sessionHeaders(session), ...headers } };
  if (keepalive) init.keepalive = true;
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(urlFor(path), init);
  } catch {
    throw new ApiError({
      status: 0,
      code: 'network_error',
      message: 'Cannot reach the server. Check your connection and try again.',
    });
  }
  if (!response.ok) throw await errorFrom(response);
  return response;
}

/** Request JSON and return the decoded body. */
export async function apiJson(path, options) {
  const response = await apiFetch(path, options);
  return response.json();
}

/** Request one page of a list: `{items, nextUrl}` from the body and Link header. */
export async function apiPage(path, options) {
  const response = await apiFetch(path, options);
  const nextUrl = parseLinkHeader(response.headers.get('Link')).next ?? null;
  return { items: await response.json(), nextUrl };
}

/** Download a file as a Blob, with the filename the server suggests. */
export async function apiBlob(path, options) {
  const response = await apiFetch(path, { ...options, headers: { Accept: '*/*' } });
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const filename = disposition.match(/filename\*?=(?:UTF-8'')?"?([^";]+)"?/i)?.[1];
  return { blob: await response.blob(), filename: filename ? decodeURIComponent(filename) : null };
}
