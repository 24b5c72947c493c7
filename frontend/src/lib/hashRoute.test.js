import { describe, expect, it, vi } from 'vitest';
import { navigate, parseHash } from './hashRoute';

describe('parseHash', () => {
  it.each([
    ['', '/', {}],
    ['#', '/', {}],
    ['#/tasks', '/tasks', {}],
    ['#/tasks?q=quarterly+report&status=pending', '/tasks', { q: 'quarterly report', status: 'pending' }],
  ])('reads %j', (hash, path, params) => {
    const route = parseHash(hash);
    expect(route.path).toBe(path);
    expect(Object.fromEntries(route.params)).toEqual(params);
  });
});

describe('navigate', () => {
  it('adds a history entry, leaving out empty parameters', () => {
    const before = window.history.length;
    navigate('/tasks', { q: 'a&b', status: '' });
    expect(window.location.hash).toBe('#/tasks?q=a%26b');
    expect(window.history.length).toBe(before + 1);
  });

  it('replaces the entry when asked, and tells the subscribers', () => {
    const heard = vi.fn();
    window.addEventListener('hashchange', heard);
    const before = window.history.length;
    navigate('/export', {}, { replace: true });
    window.removeEventListener('hashchange', heard);
    expect(window.location.hash).toBe('#/export');
    expect(window.history.length).toBe(before);
    expect(heard).toHaveBeenCalledTimes(1);
  });
});
