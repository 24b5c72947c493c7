import { useEffect, useMemo, useState } from 'react';
import { useCreateOrganization, useCreateUser, useOrganizations, useUsers } from './useOrganizations';
import { TenancyContext } from './useTenancy';

const STORAGE_KEY = 'taskflask.selection';

function readSelection() {
  try {
    return JSON.parse(localStorage.getItem(STORAGE_KEY)) ?? {};
  } catch {
    return {};
  }
}

/**
 * Holds the organizations, the selected tenant's users and the choice of
 * tenant and user (kept in localStorage so it survives a reload).
 */
export function TenancyProvider({ children }) {
  const [selection, setSelection] = useState(readSelection);

  useEffect(() => {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(selection));
  }, [selection]);

  const organizations = useOrganizations();
  // A stored id that no longer exists simply selects nothing.
  const tenant = organizations.data?.find((org) => org.id === selection.tenantId) ?? null;
  const tenantId = tenant?.id ?? null;
  const users = useUsers(tenantId);
  const currentUser = users.data?.find((user) => user.id === selection.userId) ?? null;
  const createOrganization = useCreateOrganization();
  const createUser = useCreateUser(tenantId);

  async function addOrganization(fields) {
    const org = await createOrganization.mutateAsync(fields);
    setSelection({ tenantId: org.id, userId: null });
    return org;
  }

  async function addUser(fields) {
    const user = await createUser.mutateAsync(fields);
    // The first user of a fresh tenant is the obvious one to act as.
    setSelection((prev) => (prev.userId ? prev : { ...prev, userId: user.id }));
    return user;
  }

  const session = useMemo(() => ({ tenantId, userId: currentUser?.id ?? null }), [tenantId, currentUser?.id]);

  const value = {
    organizations: organizations.data ?? null,
    organizationsError: organizations.error,
    reloadOrganizations: () => organizations.refetch(),
    tenant,
    users: users.data ?? null,
    usersError: users.error,
    reloadUsers: () => users.refetch(),
    currentUser,
    session,
    selectTenant: (id) => setSelection({ tenantId: id || null, userId: null }),
    selectUser: (id) => setSelection((prev) => ({ ...prev, userId: id || null })),
    addOrganization,
    addUser,
  };
  return <TenancyContext.Provider value={value}>{children}</TenancyContext.Provider>;
}
