// Required fields, checked before sending and worded the same when the server refuses one.

const isBlank = (value) => typeof value !== 'string' || value.trim() === '';

/** `{field: [message]}` for each required field whose value is blank, or null when none is. */
export function missingFields(values, requiredMessages) {
  const missing = Object.entries(requiredMessages).filter(([field]) => isBlank(values[field]));
  return missing.length > 0 ? Object.fromEntries(missing.map(([field, message]) => [field, [message]])) : null;
}

/**
 * The server's field errors, except that a required field the user left blank
 * gets the form's own words ("Enter a title.") instead of a length rule.
 */
export function inFormWords(fieldErrors, values, requiredMessages) {
  return Object.fromEntries(
    Object.entries(fieldErrors ?? {}).map(([field, messages]) => [
      field,
      field in requiredMessages && isBlank(values[field]) ? [requiredMessages[field]] : messages,
    ]),
  );
}
