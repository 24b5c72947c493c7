const numbers = new Intl.NumberFormat('en-US');

/** `1,000,300`. */
export const formatCount = (count) => numbers.format(count);

/** `1,000,300 rows`, `1 row`. */
export const formatRows = (count) => `${formatCount(count)} ${count === 1 ? 'row' : 'rows'}`;

/** Whole percent of `written` out of `expected`, at most 100 (an export of nothing is done). */
export function percentDone(written, expected) {
  if (expected === 0) return 100;
  return Math.min(100, Math.floor((written / expected) * 100));
}
