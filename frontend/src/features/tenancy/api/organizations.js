import { apiJson } from '../../../api/client';

export const listOrganizations = () => apiJson('/organizations');

export const createOrganization = ({ name, schemaName }) =>
  apiJson('/organizations', { method: 'POST', body: { name, schemaName } });

export const listUsers = (orgId) => apiJson(`/organizations/${encodeURIComponent(orgId)}/users`);

export const createUser = (orgId, { name, email, role }) =>
  apiJson(`/organizations/${encodeURIComponent(orgId)}/users`, { method: 'POST', body: { name, email, role } });
