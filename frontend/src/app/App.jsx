import { QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { createQueryClient } from '../api/queryClient';
import { ErrorAlert } from '../components/Alert';
import { Tabs } from '../components/Tabs';
import { ExportsPanel } from '../features/exports/components/ExportsPanel';
import { TasksPanel } from '../features/tasks/components/TasksPanel';
import { OrganizationsPanel } from '../features/tenancy/components/OrganizationsPanel';
import { TenancyBar } from '../features/tenancy/components/TenancyBar';
import { TenancyProvider } from '../features/tenancy/TenancyProvider';
import { useTenancy } from '../features/tenancy/useTenancy';
import { navigate, parseHash, useHashRoute } from '../lib/hashRoute';
import { ErrorBoundary } from './ErrorBoundary';

export function App({ exportPollMs, refreshMs, undoMs }) {
  // One cache per page load (and per mounted App in the tests).
  const [queryClient] = useState(() => createQueryClient({ refreshMs }));
  return (
    <ErrorBoundary>
      <QueryClientProvider client={queryClient}>
        <TenancyProvider>
          <Shell exportPollMs={exportPollMs} undoMs={undoMs} />
        </TenancyProvider>
      </QueryClientProvider>
    </ErrorBoundary>
  );
}

/** Change the task filters in the URL (replacing the entry: a search typed letter by letter is not history). */
function changeTaskFilters(changes) {
  const { params } = parseHash(window.location.hash);
  navigate('/tasks', { q: params.get('q'), status: params.get('status'), ...changes }, { replace: true });
}

function Shell({ exportPollMs, undoMs }) {
  const { hasOrganizations, organizationsError, reloadOrganizations, tenant, users, currentUser, session, settled } =
    useTenancy();
  const { path, params } = useHashRoute();
  const isAdmin = currentUser?.role === 'admin';

  const tabs = [
    {
      id: 'tasks',
      label: 'Tasks',
      render: () =>
        tenant ? (
          <TasksPanel
            key={tenant.id}
            session={session}
            isAdmin={isAdmin}
            users={users}
            filters={{ q: params.get('q') ?? '', status: params.get('status') ?? '' }}
            onFiltersChange={changeTaskFilters}
            undoMs={undoMs}
          />
        ) : (
          <NoOrganization />
        ),
    },
    // Only admins may export, so members never see the tab.
    isAdmin && {
      id: 'export',
      label: 'Export',
      render: () => (
        <ExportsPanel
          key={session.tenantId}
          session={session}
          tenantName={tenant.name}
          users={users}
          pollMs={exportPollMs}
        />
      ),
    },
    { id: 'organizations', label: 'Organizations', render: () => <OrganizationsPanel /> },
  ].filter(Boolean);

  const requested = path.replace(/^\//, '');
  const activeTab = tabs.find((tab) => tab.id === requested) ?? tabs[0];

  useEffect(() => {
    if (path === '/') {
      // No tab in the URL: an empty system starts where the first organization is created, any other on Tasks.
      if (hasOrganizations !== null) navigate(hasOrganizations ? '/tasks' : '/organizations', {}, { replace: true });
    } else if (settled && requested !== activeTab.id) {
      // A tab this user may not see (Export, once the user is known to be a member) becomes Tasks.
      navigate('/tasks', {}, { replace: true });
    }
  }, [path, requested, activeTab.id, hasOrganizations, settled]);

  useEffect(() => {
    document.title = `${activeTab.label} · taskflask`;
  }, [activeTab.label]);

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
        <Tabs
          label="Sections"
          tabs={tabs}
          selected={activeTab.id}
          onSelect={(id) => navigate(`/${id}`)}
        />
      </main>
    </div>
  );
}

function NoOrganization() {
  return (
    <div className="card empty-state">
      <h2>Choose an organization</h2>
      <p className="muted">Pick an organization and a user in the top bar, or create an organization to get started.</p>
      <a className="button button-primary" href="#/organizations">
        Set up an organization
      </a>
    </div>
  );
}
