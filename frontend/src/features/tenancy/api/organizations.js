import { apiJson, apiPage } from '../../../api/client';

export const SEARCH_LIMIT = 20;

const byName = (a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || a.id.localeCompare(b.id);

/** Whether `org`'s name or schema name contains `q` (as the API searches: case-insensitive). */
export const matchesOrganization = (org, q) => {
  const needle = q.toLowerCase();
  return org.name.toLowerCase().includes(needle) || org.schemaName.toLowerCase().includes(needle);
};

/**
 * The first `limit` organizations whose name or schema name contains `q`, by
 * name: `{items, hasMore}`. The choice is made again here, which changes
 * nothing in the server's answer but lets a server from before `?q=&limit=`
 * (it answers every organization, oldest first) serve the picker too.
 */
export async function searchOrganizations(q, limit = SEARCH_LIMIT) {
  const query = new URLSearchParams({ limit: String(limit) });
  if (q) query.set('q', q);
  const { items, nextUrl } = await apiPage(`/organizations?${query}`);
  const found = items.filter((org) => !q || matchesOrganization(org, q)).sort(byName);
  return { items: found.slice(0, limit), hasMore: Boolean(nextUrl) || found.length > limit };
}

/** One organization by id (404 when there is none). */
export const getOrganization = (id) => apiJson(`/organizations/${encodeURIComponent(id)}`);

export const createOrganization = ({ name, schemaName }) =>
  apiJson('/organizations', { method: 'POST', body: { name, schemaName } });

export const listUsers = (orgId) => apiJson(`/organizations/${encodeURIComponent(orgId)}/users`);

export const createUser = (orgId, { name, email, role }) =>
  apiJson(`/organizations/${encodeURIComponent(orgId)}/users`, { method: 'POST', body: { name, email, role } });
