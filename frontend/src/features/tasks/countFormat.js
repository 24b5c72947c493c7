// Counts as the API gives them: exact, or (for a search) counted up to a cap.
export const COUNT_CAP = 500;

const numbers = new Intl.NumberFormat('en-US');

/** `1,234`; a count that reached the cap of a capped answer is "500+". */
export const formatCount = (count, capped = false) =>
  capped && count >= COUNT_CAP ? `${numbers.format(COUNT_CAP)}+` : numbers.format(count);
