import { useEffect, useRef, useState } from 'react';
import { inFormWords, missingFields } from './validation';

/**
 * Run a form's API call and keep its pending state and errors. Required
 * fields (`requiredMessages`, e.g. `{title: 'Enter a title.'}`) are checked
 * before anything is sent. On any field error, focus moves to the first
 * invalid field.
 */
export function useSubmit(requiredMessages = {}) {
  const formRef = useRef(null);
  const pendingRef = useRef(false);
  const [state, setState] = useState({ pending: false, error: null, fieldErrors: {} });

  useEffect(() => {
    if (state.error) formRef.current?.querySelector('[aria-invalid="true"]')?.focus();
  }, [state.error]);

  /** Check `values`, then await `action`; resolves to true if it succeeded. */
  async function run(values, action) {
    if (pendingRef.current) return false;
    const missing = missingFields(values, requiredMessages);
    if (missing) {
      setState({ pending: false, error: { message: '', fieldErrors: missing }, fieldErrors: missing });
      return false;
    }
    pendingRef.current = true;
    setState({ pending: true, error: null, fieldErrors: {} });
    try {
      await action();
      setState({ pending: false, error: null, fieldErrors: {} });
      return true;
    } catch (error) {
      setState({ pending: false, error, fieldErrors: inFormWords(error.fieldErrors, values, requiredMessages) });
      return false;
    } finally {
      pendingRef.current = false;
    }
  }

  return { formRef, run, ...state };
}
