import { useEffect, useMemo, useState } from 'react';
import {
  useCreateOrganization,
  useCreateUser,
  useOrganization,
  useOrganizationSearch,
  useUsers,
} from './useOrganizations';
import { TenancyContext } from './useTenancy';

const STORAGE_KEY = 'taskflask.selection';

/** The stored choice: `{tenantId, userByTenant}`; the older `{tenantId, userId}` reads as the same. */
function readSelection() {
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY)) ?? {};
    const userByTenant = { ...stored.userByTenant };
    if (stored.tenantId && stored.userId) userByTenant[stored.tenantId] ??= stored.userId;
    return { tenantId: stored.tenantId ?? null, userByTenant };
  } catch {
    return { tenantId: null, userByTenant: {} };
  }
}

/**
 * Holds the chosen organization and, for each organization, the user last
 * chosen in it (kept in localStorage, so both survive a reload and switching
 * back and forth keeps the user). Only the chosen organization is fetched,
 * never the list of all of them.
 */
export function TenancyProvider({ children }) {
  const [selection, setSelection] = useState(readSelection);

  useEffect(() => {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(selection));
  }, [selection]);

  // The first page of organizations says whether there is any (an empty system starts on the Organizations tab).
  const firstPage = useOrganizationSearch('');
  const organization = useOrganization(selection.tenantId);
  // A stored id that no longer exists (404) simply selects nothing.
  const gone = organization.error?.status === 404;
  const tenant = gone ? null : (organization.data ?? null);
  const tenantId = tenant?.id ?? null;
  const users = useUsers(tenantId);
  const rememberedUserId = tenantId ? selection.userByTenant[tenantId] : null;
  const currentUser = users.data?.find((user) => user.id === rememberedUserId) ?? null;
  const createOrganization = useCreateOrganization();
  const createUser = useCreateUser(tenantId);

  const rememberUser = (orgId, userId) =>
    setSelection((prev) => ({ ...prev, userByTenant: { ...prev.userByTenant, [orgId]: userId } }));

  async function addOrganization(fields) {
    const org = await createOrganization.mutateAsync(fields);
    setSelection((prev) => ({ ...prev, tenantId: org.id }));
    return org;
  }

  async function addUser(fields) {
    const user = await createUser.mutateAsync(fields);
    // The first user of a fresh organization is the obvious one to act as.
    if (!currentUser) rememberUser(tenantId, user.id);
    return user;
  }

  const session = useMemo(() => ({ tenantId, userId: currentUser?.id ?? null }), [tenantId, currentUser?.id]);
  const loadError = firstPage.error ?? (gone ? null : organization.error);

  const value = {
    hasOrganizations: firstPage.data ? firstPage.data.items.length > 0 : null,
    organizationsError: loadError,
    reloadOrganizations: () => Promise.all([firstPage.refetch(), selection.tenantId && organization.refetch()]),
    tenant,
    // Whether the chosen organization and its users are known yet (a reload shows nothing decided meanwhile).
    settled: !(selection.tenantId && organization.isPending && !loadError) && !(tenantId && users.isPending),
    users: users.data ?? null,
    usersError: users.error,
    reloadUsers: () => users.refetch(),
    currentUser,
    session,
    selectTenant: (id) => setSelection((prev) => ({ ...prev, tenantId: id || null })),
    selectUser: (id) => tenantId && rememberUser(tenantId, id || undefined),
    addOrganization,
    addUser,
  };
  return <TenancyContext.Provider value={value}>{children}</TenancyContext.Provider>;
}
