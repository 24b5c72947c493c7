const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** An API timestamp shown in the reader's locale and time zone. */
export function Time({ value }) {
  if (!value) return null;
  return (
    <time dateTime={value} title={value}>
      {format.format(new Date(value))}
    </time>
  );
}
