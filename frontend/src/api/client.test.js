import { describe, expect, it, vi } from 'vitest';
import { installFakeFetch, jsonResponse } from '../test/fakeFetch';
import { ApiError, apiBlob, apiFetch, apiJson, apiPage, parseLinkHeader } from './client';

const session = { tenantId: 'org-1', userId: 'user-1' };

describe('apiJson', () => {
  it('sends the tenant and user headers and unwraps the JSON body', async () => {
    const fetchMock = installFakeFetch({ 'GET /tasks': [{ id: 't1' }] });
    await expect(apiJson('/tasks', { session })).resolves.toEqual([{ id: 't1' }]);
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('/tasks');
    expect(init.headers).toMatchObject({ 'x-tenant-id': 'org-1', 'x-user-id': 'user-1' });
  });

  it('omits the tenant headers when there is no session', async () => {
    const fetchMock = installFakeFetch({ 'GET /organizations': [] });
    await apiJson('/organizations');
    expect(fetchMock.mock.calls[0][1].headers).not.toHaveProperty('x-tenant-id');
    expect(fetchMock.mock.calls[0][1].headers).not.toHaveProperty('x-user-id');
  });

  it('sends a JSON body', async () => {
    const fetchMock = installFakeFetch({ 'POST /tasks': (req) => jsonResponse(req.body, { status: 201 }) });
    await expect(apiJson('/tasks', { method: 'POST', body: { title: 'A' }, session })).resolves.toEqual({ title: 'A' });
    expect(fetchMock.mock.calls[0][1].headers['Content-Type']).toBe('application/json');
  });

  it('turns an error body into an ApiError with status, code, message and field errors', async () => {
    installFakeFetch({
      'POST /tasks': jsonResponse(
        { error: 'validation_error', message: 'The request is invalid.', errors: { title: ['Title is required.'] } },
        { status: 400 },
      ),
    });
    const error = await apiJson('/tasks', { method: 'POST', body: {}, session }).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      code: 'validation_error',
      message: 'The request is invalid.',
      fieldErrors: { title: ['Title is required.'] },
    });
  });

  it('keeps the whole error body for fields beside the message', async () => {
    installFakeFetch({
      'POST /tasks/export': jsonResponse(
        { error: 'export_in_progress', message: 'Still running.', exportId: 'exp-9' },
        { status: 429 },
      ),
    });
    const error = await apiJson('/tasks/export', { method: 'POST', body: {}, session }).catch((e) => e);
    expect(error).toMatchObject({ status: 429, body: { exportId: 'exp-9' } });
  });

  it('sends a keepalive request when asked (a delete as the page closes)', async () => {
    const fetchMock = installFakeFetch({ 'DELETE /tasks/t1': new Response(null, { status: 204 }) });
    await apiFetch('/tasks/t1', { method: 'DELETE', session, keepalive: true });
    expect(fetchMock.mock.calls[0][1]).toMatchObject({ method: 'DELETE', keepalive: true });
  });

  it('describes an error without a JSON body by its status', async () => {
    installFakeFetch({ 'GET /tasks': new Response('<html>Bad Gateway</html>', { status: 502, statusText: 'Bad Gateway' }) });
    const error = await apiJson('/tasks', { session }).catch((e) => e);
    expect(error).toMatchObject({ status: 502, code: 'http_error', message: 'The server answered 502 Bad Gateway.' });
  });

  it('turns a network failure into a readable ApiError', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    const error = await apiJson('/organizations').catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 0, code: 'network_error' });
    expect(error.message).toMatch(/cannot reach the server/i);
  });
});

describe('apiPage', () => {
  it('returns the items and the next link', async () => {
    installFakeFetch({
      'GET /tasks': jsonResponse([{ id: 't1' }], { headers: { Link: '</tasks?limit=100&cursor=abc>; rel="next"' } }),
    });
    await expect(apiPage('/tasks?limit=100', { session })).resolves.toEqual({
      items: [{ id: 't1' }],
      nextUrl: '/tasks?limit=100&cursor=abc',
    });
  });

  it('has no next link on the last page', async () => {
    installFakeFetch({ 'GET /tasks': [] });
    await expect(apiPage('/tasks', { session })).resolves.toEqual({ items: [], nextUrl: null });
  });
});

describe('parseLinkHeader', () => {
  it.each([
    ['</a?cursor=1>; rel="next"', { next: '/a?cursor=1' }],
    ['</a?c=1>; rel=next, </a>; rel="first"', { next: '/a?c=1', first: '/a' }],
    ['<http://x.test/a>; title="x"; rel="next prev"', { next: 'http://x.test/a', prev: 'http://x.test/a' }],
    ['', {}],
    [null, {}],
    ['garbage', {}],
  ])('parses %j', (header, expected) => {
    expect(parseLinkHeader(header)).toEqual(expected);
  });
});

describe('apiBlob', () => {
  it('downloads with the session headers and reads the suggested filename', async () => {
    const fetchMock = installFakeFetch({
      'GET /exports/e1/download': new Response('id,title\n', {
        headers: { 'Content-Type': 'text/csv', 'Content-Disposition': 'attachment; filename="tasks-e1.csv"' },
      }),
    });
    const { blob, filename } = await apiBlob('/exports/e1/download', { session });
    expect(await blob.text()).toBe('id,title\n');
    expect(filename).toBe('tasks-e1.csv');
    expect(fetchMock.mock.calls[0][1].headers).toMatchObject({ 'x-tenant-id': 'org-1', 'x-user-id': 'user-1' });
  });
});
