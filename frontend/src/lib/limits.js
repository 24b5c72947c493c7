// The API's length limits (characters after trimming), given to inputs as maxlength.
export const LIMITS = {
  title: 200,
  description: 10_000,
  name: 200,
  email: 320,
  schemaName: 63,
  search: 200,
};
