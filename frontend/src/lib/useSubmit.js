import { useEffect, useRef, useState } from 'react';

/**
 * Run a form's API call and keep its pending state and error. On a failure
 * with field errors, focus moves to the first invalid field.
 */
export function useSubmit() {
  const formRef = useRef(null);
  const [state, setState] = useState({ pending: false, error: null });

  useEffect(() => {
    if (state.error) formRef.current?.querySelector('[aria-invalid="true"]')?.focus();
  }, [state.error]);

  /** Await `action`; resolves to true if it succeeded. */
  async function run(action) {
    setState({ pending: true, error: null });
    try {
      await action();
      setState({ pending: false, error: null });
      return true;
    } catch (error) {
      setState({ pending: false, error });
      return false;
    }
  }

  return { formRef, run, pending: state.pending, error: state.error, fieldErrors: state.error?.fieldErrors ?? {} };
}
