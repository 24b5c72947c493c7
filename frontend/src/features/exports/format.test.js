import { describe, expect, it } from 'vitest';
import { formatCount, formatRows, percentDone } from './format';

describe('formatRows', () => {
  it.each([
    [0, '0 rows'],
    [1, '1 row'],
    [42, '42 rows'],
    [1000300, '1,000,300 rows'],
  ])('formats %d as %s', (count, text) => {
    expect(formatRows(count)).toBe(text);
  });

  it('groups thousands in plain counts too', () => {
    expect(formatCount(12345678)).toBe('12,345,678');
  });
});

describe('percentDone', () => {
  it.each([
    [0, 300, 0],
    [1, 300, 0],
    [150, 300, 50],
    [299, 300, 99],
    [300, 300, 100],
    [310, 300, 100],
    [0, 0, 100],
  ])('%d of %d is %d%%', (written, expected, percent) => {
    expect(percentDone(written, expected)).toBe(percent);
  });
});
