import { useEffect, useState } from 'react';

/** `value`, once it has stayed the same for `delayMs` (so typing sends one request, not one per key). */
export function useDebouncedValue(value, delayMs) {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}
