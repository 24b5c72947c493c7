/** A readable error message for screen readers and eyes alike. */
export function ErrorAlert({ error, title, onRetry, ignoreFields = [] }) {
  if (!error) return null;
  const fieldErrors = Object.entries(error.fieldErrors ?? {});
  // Field errors the form shows next to its fields need not repeat here.
  const otherFields = fieldErrors.filter(([field]) => !ignoreFields.includes(field));
  // When every problem sits at its field, a generic "invalid fields" banner above them says nothing more.
  if (fieldErrors.length > 0 && otherFields.length === 0) return null;
  return (
    <div role="alert" className="alert alert-error">
      <div className="alert-body">
        {title && <strong className="alert-title">{title}</strong>}
        {error.message && <span>{error.message}</span>}
        {otherFields.length > 0 && (
          <ul className="alert-list">
            {otherFields.map(([field, messages]) => (
              <li key={field}>
                {field}: {messages.join(' ')}
              </li>
            ))}
          </ul>
        )}
      </div>
      {onRetry && (
        <button type="button" className="button button-small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
