import { useState } from 'react';
import { ErrorAlert } from '../../../components/Alert';
import { useTenancy } from '../useTenancy';
import { OrganizationForm } from './OrganizationForm';
import { UserForm } from './UserForm';

/** Set up organizations and their users from the browser. */
export function OrganizationsPanel() {
  const { tenant, users, usersError, reloadUsers, currentUser } = useTenancy();
  // After an organization is created, the next step is its first user: focus goes there.
  const [userFormFocus, setUserFormFocus] = useState(0);
  return (
    <div className="grid-two">
      <OrganizationForm onCreated={() => setUserFormFocus((count) => count + 1)} />
      <div className="stack">
        <UserForm focusRequest={userFormFocus} />
        {tenant && (
          <section className="card" aria-labelledby="users-heading">
            <h2 id="users-heading">Users of {tenant.name}</h2>
            <ErrorAlert error={usersError} title="Could not load the users." onRetry={reloadUsers} />
            {users?.length === 0 && <p className="muted">No users yet. Add an admin first.</p>}
            {users?.length > 0 && (
              <ul className="user-list">
                {users.map((user) => (
                  <li key={user.id}>
                    <span className="user-name">
                      {user.name}
                      {user.id === currentUser?.id && <span className="muted"> (you)</span>}
                    </span>
                    <span className="user-email">{user.email}</span>
                    <span className={`badge badge-role-${user.role}`}>{user.role}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        )}
      </div>
    </div>
  );
}
