/** A readable error message for screen readers and eyes alike. */
export function ErrorAlert({ error, title, onRetry, ignoreFields = [] }) {
  if (!error) return null;
  // Field errors the form shows next to its fields need not repeat here.
  const otherFields = Object.entries(error.fieldErrors ?? {}).filter(([field]) => !ignoreFields.includes(field));
  return (
    <div role="alert" className="alert alert-error">
      <div className="alert-body">
        {title && <strong className="alert-title">{title}</strong>}
        <span>{error.message}</span>
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
