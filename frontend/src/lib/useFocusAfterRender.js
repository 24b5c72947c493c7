import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * `requestFocus(find)` focuses what `find()` returns once the next render is
 * on screen: for an element that the change being made adds, or for the
 * neighbour of one it removes, so focus never falls to <body>.
 */
export function useFocusAfterRender() {
  const request = useRef(null);
  const [count, setCount] = useState(0);
  useEffect(() => {
    if (!request.current) return;
    const find = request.current;
    request.current = null;
    find()?.focus();
  }, [count]);
  return useCallback((find) => {
    request.current = find;
    setCount((value) => value + 1);
  }, []);
}
