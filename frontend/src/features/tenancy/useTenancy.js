import { createContext, useContext } from 'react';

/** What <TenancyProvider> shares: the organizations, the chosen tenant and user, and their session. */
export const TenancyContext = createContext(null);

export function useTenancy() {
  const context = useContext(TenancyContext);
  if (!context) throw new Error('useTenancy must be used inside <TenancyProvider>');
  return context;
}
