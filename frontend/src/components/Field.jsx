import { cloneElement, useId } from 'react';

// The character counter appears once a value uses this share of its limit.
const COUNTER_FROM = 0.8;

/**
 * A labelled form control with an optional hint, the messages for it, and a
 * character counter near its `maxLength`, wired up with aria-invalid and
 * aria-describedby so they are announced.
 */
export function Field({ label, hint, errors, required = false, children }) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const counterId = `${id}-counter`;
  const { maxLength, value } = children.props;
  const length = typeof value === 'string' ? value.length : 0;
  const showCounter = maxLength > 0 && length >= maxLength * COUNTER_FROM;
  const describedBy = [errors?.length && errorId, hint && hintId, showCounter && counterId].filter(Boolean).join(' ');
  return (
    <div className={`field${errors?.length ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {cloneElement(children, {
        id,
        'aria-invalid': errors?.length ? true : undefined,
        'aria-required': required || undefined,
        'aria-describedby': describedBy || undefined,
      })}
      {errors?.length > 0 && (
        <p id={errorId} className="field-error">
          {errors.join(' ')}
        </p>
      )}
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {showCounter && (
        <p id={counterId} className={`field-counter${length >= maxLength ? ' field-counter-full' : ''}`}>
          {length.toLocaleString('en-US')} of {maxLength.toLocaleString('en-US')} characters
        </p>
      )}
    </div>
  );
}
