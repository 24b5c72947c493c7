/** Suggest a schema name from the organization name: "Acme Inc." -> "acme_inc". */
export function suggestSchemaName(name) {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // drop accents: "Ü" -> "U"
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 63);
  return /^[0-9]/.test(slug) ? `org_${slug}`.slice(0, 63) : slug;
}
