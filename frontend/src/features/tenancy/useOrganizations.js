import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createOrganization, createUser, listOrganizations, listUsers } from './api/organizations';

/** Cache keys: the organizations, and each one's users under it. */
const organizationKeys = {
  all: ['organizations'],
  users: (orgId) => ['organizations', orgId, 'users'],
};

export const useOrganizations = () => useQuery({ queryKey: organizationKeys.all, queryFn: listOrganizations });

/** An organization's users; nothing is fetched until one is chosen. */
export const useUsers = (orgId) =>
  useQuery({ queryKey: organizationKeys.users(orgId), queryFn: () => listUsers(orgId), enabled: Boolean(orgId) });

/** Create an organization; it joins the cached list without a refetch. */
export function useCreateOrganization() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (fields) => createOrganization(fields),
    onSuccess: (org) => queryClient.setQueryData(organizationKeys.all, (prev) => [...(prev ?? []), org]),
  });
}

/** Add a user to an organization; it joins that organization's cached users. */
export function useCreateUser(orgId) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (fields) => createUser(orgId, fields),
    onSuccess: (user) => queryClient.setQueryData(organizationKeys.users(orgId), (prev) => [...(prev ?? []), user]),
  });
}
