import { useTenancy } from '../useTenancy';

/** The Tenant and User pickers in the top bar. */
export function TenancyBar() {
  const { organizations, tenant, users, usersError, currentUser, selectTenant, selectUser } = useTenancy();

  let tenantPlaceholder = 'Choose a tenant…';
  if (!organizations) tenantPlaceholder = 'Loading…';
  else if (organizations.length === 0) tenantPlaceholder = 'No organizations yet';

  let userPlaceholder = 'Choose a user…';
  if (!tenant) userPlaceholder = 'Choose a tenant first';
  else if (usersError) userPlaceholder = 'Users unavailable';
  else if (!users) userPlaceholder = 'Loading…';
  else if (users.length === 0) userPlaceholder = 'No users yet';

  return (
    <div className="tenancy-bar">
      <div className="picker">
        <label htmlFor="tenant-picker">Tenant</label>
        <select
          id="tenant-picker"
          value={tenant?.id ?? ''}
          disabled={!organizations?.length}
          onChange={(event) => selectTenant(event.target.value)}
        >
          <option value="">{tenantPlaceholder}</option>
          {organizations?.map((org) => (
            <option key={org.id} value={org.id}>
              {org.name}
            </option>
          ))}
        </select>
      </div>
      <div className="picker">
        <label htmlFor="user-picker">User</label>
        <select
          id="user-picker"
          value={currentUser?.id ?? ''}
          disabled={!users?.length}
          onChange={(event) => selectUser(event.target.value)}
        >
          <option value="">{userPlaceholder}</option>
          {users?.map((user) => (
            <option key={user.id} value={user.id}>
              {user.name} ({user.role})
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
