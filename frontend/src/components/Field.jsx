import { cloneElement, useId } from 'react';

/**
 * A labelled form control with an optional hint and the API's messages for
 * it, wired up with aria-invalid/aria-describedby so they are announced.
 */
export function Field({ label, hint, errors, children }) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint && hintId, errors?.length && errorId].filter(Boolean).join(' ');
  return (
    <div className={`field${errors?.length ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {cloneElement(children, {
        id,
        'aria-invalid': errors?.length ? true : undefined,
        'aria-describedby': describedBy || undefined,
      })}
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {errors?.length > 0 && (
        <p id={errorId} className="field-error">
          {errors.join(' ')}
        </p>
      )}
    </div>
  );
}
