import { QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { createQueryClient } from '../api/queryClient';
import { ErrorAlert } from '../components/Alert';
import { Tabs } from '../components/Tabs';
import { ExportsPanel } from '../features/exports/components/ExportsPanel';
import { TasksPanel } from '../features/tasks/components/TasksPanel';
import { OrganizationsPanel } from '../features/tenancy/components/OrganizationsPanel';
import { TenancyBar } from '../features/tenancy/components/TenancyBar';
import { TenancyProvider } from '../features/tenancy/TenancyProvider';
import { useTenancy } from '../features/tenancy/useTenancy';
import { ErrorBoundary } from './ErrorBoundary';

export function App({ exportPollMs }) {
  // One cache per page load (and per mounted App in the tests).
  const [queryClient] = useState(createQueryClient);
  return (
    <ErrorBoundary>
      <QueryClientProvider client={queryClient}>
        <TenancyProvider>
          <Shell exportPollMs={exportPollMs} />
        </TenancyProvider>
      </QueryClientProvider>
    </ErrorBoundary>
  );
}

function Shell({ exportPollMs }) {
  const { organizations, organizationsError, reloadOrganizations, tenant, currentUser, session } = useTenancy();
  const [selectedTab, setSelectedTab] = useState(null);
  const isAdmin = currentUser?.role === 'admin';

  const tabs = [
    {
      id: 'tasks',
      label: 'Tasks',
      render: () =>
        tenant ? (
          <TasksPanel key={tenant.id} session={session} />
        ) : (
          <NoTenant onSetup={() => setSelectedTab('organizations')} />
        ),
    },
    // Only admins may export, so members never see the tab.
    isAdmin && {
      id: 'export',
      label: 'Export',
      render: () => (
        <ExportsPanel key={session.tenantId} session={session} tenantName={tenant.name} pollMs={exportPollMs} />
      ),
    },
    { id: 'organizations', label: 'Organizations', render: () => <OrganizationsPanel /> },
  ].filter(Boolean);

  // An empty system starts where the first organization is created; decided
  // once, so creating that organization does not pull the tab away.
  if (selectedTab === null && organizations) {
    setSelectedTab(organizations.length === 0 ? 'organizations' : 'tasks');
  }
  const activeTab = tabs.some((tab) => tab.id === selectedTab) ? selectedTab : 'tasks';

  return (
    <div className="app">
      <header className="topbar">
        <div className="topbar-inner">
          <span className="brand">
            <span className="brand-mark" aria-hidden="true" />
            taskflask
          </span>
          <TenancyBar />
        </div>
      </header>
      <main className="content">
        <ErrorAlert error={organizationsError} title="Could not load organizations." onRetry={reloadOrganizations} />
        <Tabs label="Sections" tabs={tabs} selected={activeTab} onSelect={setSelectedTab} />
      </main>
    </div>
  );
}

function NoTenant({ onSetup }) {
  return (
    <div className="card empty-state">
      <h2>Choose a tenant</h2>
      <p className="muted">Pick a tenant and user in the top bar, or create an organization to get started.</p>
      <button type="button" className="button button-primary" onClick={onSetup}>
        Set up an organization
      </button>
    </div>
  );
}
