import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { createOrganization, createUser, listOrganizations, listUsers } from './api/organizations';

const STORAGE_KEY = 'taskflask.selection';
const TenancyContext = createContext(null);

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
  const [organizations, setOrganizations] = useState(null);
  const [organizationsError, setOrganizationsError] = useState(null);
  // Users are tagged with their tenant so a late answer for another tenant is never shown.
  const [users, setUsers] = useState({ tenantId: null, items: null, error: null });

  useEffect(() => {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(selection));
  }, [selection]);

  const reloadOrganizations = useCallback(() => {
    setOrganizationsError(null);
    listOrganizations().then(setOrganizations, setOrganizationsError);
  }, []);
  useEffect(reloadOrganizations, [reloadOrganizations]);

  // A stored id that no longer exists simply selects nothing.
  const tenant = organizations?.find((org) => org.id === selection.tenantId) ?? null;
  const tenantId = tenant?.id ?? null;

  const reloadUsers = useCallback(() => {
    if (!tenantId) return undefined;
    let current = true;
    setUsers((prev) => ({ tenantId, items: prev.tenantId === tenantId ? prev.items : null, error: null }));
    listUsers(tenantId).then(
      (items) => current && setUsers({ tenantId, items, error: null }),
      (error) => current && setUsers({ tenantId, items: null, error }),
    );
    return () => {
      current = false;
    };
  }, [tenantId]);
  useEffect(reloadUsers, [reloadUsers]);

  const tenantUsers = users.tenantId === tenantId ? users : { items: null, error: null };
  const currentUser = tenantUsers.items?.find((user) => user.id === selection.userId) ?? null;

  const selectTenant = useCallback((id) => setSelection({ tenantId: id || null, userId: null }), []);
  const selectUser = useCallback((id) => setSelection((prev) => ({ ...prev, userId: id || null })), []);

  const addOrganization = useCallback(async (fields) => {
    const org = await createOrganization(fields);
    setOrganizations((prev) => [...(prev ?? []), org]);
    setSelection({ tenantId: org.id, userId: null });
    return org;
  }, []);

  const addUser = useCallback(
    async (fields) => {
      const user = await createUser(tenantId, fields);
      setUsers((prev) => ({ ...prev, items: [...(prev.items ?? []), user] }));
      // The first user of a fresh tenant is the obvious one to act as.
      setSelection((prev) => (prev.userId ? prev : { ...prev, userId: user.id }));
      return user;
    },
    [tenantId],
  );

  const session = useMemo(() => ({ tenantId, userId: currentUser?.id ?? null }), [tenantId, currentUser?.id]);

  const value = {
    organizations,
    organizationsError,
    reloadOrganizations,
    tenant,
    users: tenantUsers.items,
    usersError: tenantUsers.error,
    reloadUsers,
    currentUser,
    session,
    selectTenant,
    selectUser,
    addOrganization,
    addUser,
  };
  return <TenancyContext.Provider value={value}>{children}</TenancyContext.Provider>;
}

export function useTenancy() {
  const context = useContext(TenancyContext);
  if (!context) throw new Error('useTenancy must be used inside <TenancyProvider>');
  return context;
}
