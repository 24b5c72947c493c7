import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createOrganization, createUser, getOrganization, listUsers, searchOrganizations } from './api/organizations';

/** Cache keys: searches by their text, each organization by id, and its users under it. */
const organizationKeys = {
  searches: ['organizations', 'search'],
  search: (q) => ['organizations', 'search', q],
  detail: (orgId) => ['organizations', 'detail', orgId],
  users: (orgId) => ['organizations', 'detail', orgId, 'users'],
};

/**
 * The first organizations matching `q`; the previous answer stays on screen
 * while the next loads, and an answer of the last seconds is not asked again
 * (the app's first page serves the picker's first opening).
 */
export const useOrganizationSearch = (q, { enabled = true } = {}) =>
  useQuery({
    queryKey: organizationKeys.search(q),
    queryFn: () => searchOrganizations(q),
    placeholderData: keepPreviousData,
    staleTime: 5_000,
    enabled,
  });

/** One organization (the chosen one), without listing the others. One just picked from a search is not fetched again at once. */
export const useOrganization = (orgId) =>
  useQuery({
    queryKey: organizationKeys.detail(orgId),
    queryFn: () => getOrganization(orgId),
    enabled: Boolean(orgId),
    staleTime: 60_000,
  });

/** An organization's users; nothing is fetched until one is chosen. */
export const useUsers = (orgId) =>
  useQuery({ queryKey: organizationKeys.users(orgId), queryFn: () => listUsers(orgId), enabled: Boolean(orgId) });

/** Prime the cache with an organization already in hand (a picked search result), so choosing it fetches nothing. */
export function useRememberOrganization() {
  const queryClient = useQueryClient();
  return (org) => queryClient.setQueryData(organizationKeys.detail(org.id), org);
}

/** Create an organization; it is cached as itself and every search is fetched again. */
export function useCreateOrganization() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (fields) => createOrganization(fields),
    onSuccess: (org) => {
      queryClient.setQueryData(organizationKeys.detail(org.id), org);
      queryClient.invalidateQueries({ queryKey: organizationKeys.searches });
    },
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
