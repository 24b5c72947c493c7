import { useTenancy } from '../useTenancy';
import { OrganizationPicker } from './OrganizationPicker';

/** The Organization and User pickers in the top bar. */
export function TenancyBar() {
  const { tenant, users, usersError, currentUser, selectUser } = useTenancy();

  let userPlaceholder = 'Choose a user…';
  if (!tenant) userPlaceholder = 'Choose an organization first';
  else if (usersError) userPlaceholder = 'Users unavailable';
  else if (!users) userPlaceholder = 'Loading…';
  else if (users.length === 0) userPlaceholder = 'No users yet';

  return (
    <div className="tenancy-bar">
      <OrganizationPicker />
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
