import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { installFakeApi } from '../test/fakeApi';
import { admin, member, org, rememberSelection, task } from '../test/fixtures';
import { App } from './App';

const organizationPicker = () => screen.getByRole('combobox', { name: 'Organization' });

/** One organization with an admin and a member; `tasks` newest first. */
function api({ tasks = [], ...options } = {}) {
  return installFakeApi({ organizations: [{ ...org, users: [admin, member], tasks }], ...options });
}

/** Open the app at `hash` (as a typed or bookmarked URL) with `userId` chosen in the organization. */
function openApp(hash = '', userId = admin.id, props = {}) {
  window.history.replaceState(null, '', `/${hash}`);
  if (userId) rememberSelection(org.id, userId);
  return render(<App {...props} />);
}

const selectedTab = () => screen.getByRole('tab', { selected: true });

describe('App: who sees what', () => {
  it('hides the Export tab from a member', async () => {
    api();
    openApp('#/tasks', member.id);
    await waitFor(() => expect(screen.getByLabelText('User')).toHaveValue(member.id));
    expect(screen.getByRole('tab', { name: 'Tasks' })).toBeInTheDocument();
    expect(screen.queryByRole('tab', { name: 'Export' })).not.toBeInTheDocument();
  });

  it('shows the Export tab to an admin', async () => {
    api();
    openApp('#/tasks');
    expect(await screen.findByRole('tab', { name: 'Export' })).toBeInTheDocument();
  });

  it('goes to Tasks when switching from an admin to a member on the Export tab', async () => {
    const user = userEvent.setup();
    api();
    openApp('#/export');
    expect(await screen.findByRole('heading', { name: 'Export tasks' })).toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText('User'), member.id);

    expect(screen.queryByRole('tab', { name: 'Export' })).not.toBeInTheDocument();
    expect(selectedTab()).toHaveAccessibleName('Tasks');
    await waitFor(() => expect(window.location.hash).toBe('#/tasks'));
  });

  it('sends a member who opens the Export URL to Tasks once the user is known', async () => {
    api();
    openApp('#/export', member.id);
    await waitFor(() => expect(window.location.hash).toBe('#/tasks'));
    expect(selectedTab()).toHaveAccessibleName('Tasks');
  });
});

describe('App: each tab has its URL', () => {
  it('puts the tab in the URL, and Back returns to the one before', async () => {
    const user = userEvent.setup();
    api();
    openApp('#/tasks');
    await user.click(await screen.findByRole('tab', { name: 'Export' }));
    expect(window.location.hash).toBe('#/export');
    expect(await screen.findByRole('heading', { name: 'Export tasks' })).toBeInTheDocument();
    await user.click(screen.getByRole('tab', { name: 'Organizations' }));
    expect(window.location.hash).toBe('#/organizations');
    expect(document.title).toBe('Organizations · taskflask');

    act(() => window.history.back());

    await waitFor(() => expect(selectedTab()).toHaveAccessibleName('Export'));
    expect(window.location.hash).toBe('#/export');
  });

  it('opens the tab the URL names, and a reload keeps it', async () => {
    api();
    const { unmount } = openApp('#/organizations');
    await waitFor(() => expect(selectedTab()).toHaveAccessibleName('Organizations'));
    unmount();

    render(<App />);
    await waitFor(() => expect(organizationPicker()).toHaveValue('Acme'));
    expect(selectedTab()).toHaveAccessibleName('Organizations');
    await waitFor(() => expect(screen.getByRole('tab', { name: 'Export' })).toBeInTheDocument());
    expect(selectedTab()).toHaveAccessibleName('Organizations');
  });

  it('keeps the Export tab of a reload while the admin is still loading', async () => {
    api();
    openApp('#/export');
    expect(await screen.findByRole('heading', { name: 'Export tasks' })).toBeInTheDocument();
    expect(window.location.hash).toBe('#/export');
  });

  it('keeps the search and the status filter in the URL', async () => {
    const user = userEvent.setup();
    const fake = api({ tasks: [task({ id: 't2', title: 'Quarterly report' }), task({ id: 't1', title: 'Other' })] });
    openApp('#/tasks');
    await screen.findByText('Other');

    await user.type(screen.getByRole('searchbox', { name: 'Search tasks' }), 'report');
    await waitFor(() => expect(window.location.hash).toBe('#/tasks?q=report'));
    await user.click(screen.getByRole('radio', { name: /^Pending/ }));
    expect(window.location.hash).toBe('#/tasks?q=report&status=pending');
    await waitFor(() => expect(screen.queryByText('Other')).not.toBeInTheDocument());
    expect(fake.requestsLike(/^GET \/tasks\?/).at(-1)).toBe('GET /tasks?limit=100&status=pending&q=report');
  });

  it('opens a URL with a search already made', async () => {
    const fake = api({ tasks: [task({ id: 't2', title: 'Quarterly report' }), task({ id: 't1', title: 'Other' })] });
    openApp('#/tasks?q=report');
    expect(await screen.findByText('Quarterly report')).toBeInTheDocument();
    expect(screen.queryByText('Other')).not.toBeInTheDocument();
    expect(screen.getByRole('searchbox', { name: 'Search tasks' })).toHaveValue('report');
    expect(fake.requestsLike(/^GET \/tasks\?/)).toEqual(['GET /tasks?limit=100&q=report']);
  });

  it('moves between tabs with the arrow keys', async () => {
    const user = userEvent.setup();
    api();
    openApp('#/tasks');
    await screen.findByRole('tab', { name: 'Export' });
    screen.getByRole('tab', { name: 'Tasks' }).focus();

    await user.keyboard('{ArrowRight}');
    expect(screen.getByRole('tab', { name: 'Export' })).toHaveFocus();
    expect(selectedTab()).toHaveAccessibleName('Export');
    expect(screen.getByRole('tabpanel')).toHaveAccessibleName('Export');

    await user.keyboard('{ArrowRight}{ArrowRight}');
    expect(screen.getByRole('tab', { name: 'Tasks' })).toHaveFocus();
    await user.keyboard('{ArrowLeft}');
    expect(screen.getByRole('tab', { name: 'Organizations' })).toHaveFocus();
    expect(screen.getByRole('tab', { name: 'Tasks' })).toHaveAttribute('tabindex', '-1');
  });
});

describe('App: starting out', () => {
  it('starts an empty system on the Organizations tab and chooses the new organization', async () => {
    const user = userEvent.setup();
    const fake = installFakeApi();
    render(<App />);
    await waitFor(() => expect(selectedTab()).toHaveAccessibleName('Organizations'));
    expect(window.location.hash).toBe('#/organizations');

    await user.type(screen.getByLabelText('Organization name'), 'Acme Inc.');
    await user.click(screen.getByRole('button', { name: 'Create organization' }));

    await waitFor(() => expect(organizationPicker()).toHaveValue('Acme Inc.'));
    expect(fake.requestsLike(/^POST/)).toEqual(['POST /organizations']);
    expect(selectedTab()).toHaveAccessibleName('Organizations');
    await waitFor(() => expect(screen.getByLabelText('Name')).toHaveFocus());

    await user.type(screen.getByLabelText('Name'), 'Ada');
    await user.type(screen.getByLabelText('Email'), 'ada@acme.test');
    await user.selectOptions(screen.getByLabelText('Role'), 'admin');
    await user.click(screen.getByRole('button', { name: 'Add user' }));

    expect(await screen.findByRole('tab', { name: 'Export' })).toBeInTheDocument();
    expect(within(screen.getByLabelText('User')).getByRole('option', { selected: true })).toHaveTextContent(
      'Ada (admin)',
    );
  });

  it('starts on Tasks when there are organizations', async () => {
    api();
    render(<App />);
    await waitFor(() => expect(window.location.hash).toBe('#/tasks'));
    expect(screen.getByRole('heading', { name: 'Choose an organization' })).toBeInTheDocument();
  });

  it('shows an alert with a retry when the API cannot be reached', async () => {
    const user = userEvent.setup();
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    render(<App />);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load organizations.');
    expect(alert).toHaveTextContent('Cannot reach the server.');

    api();
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(screen.queryByRole('alert')).not.toBeInTheDocument());
    await waitFor(() => expect(window.location.hash).toBe('#/tasks'));
  });

  it('calls the tenant “Organization” on every tab', async () => {
    const user = userEvent.setup();
    api();
    openApp('#/tasks');
    for (const tab of ['Tasks', 'Export', 'Organizations']) {
      await user.click(await screen.findByRole('tab', { name: tab }));
      expect(document.body).not.toHaveTextContent(/tenant/i);
    }
    expect(organizationPicker()).toBeInTheDocument();
    window.history.replaceState(null, '', '/');
    localStorage.clear();
  });
});

describe('App: freshness', () => {
  function setVisibility(state) {
    Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
    act(() => document.dispatchEvent(new Event('visibilitychange', { bubbles: true })));
  }

  it('fetches the lists again when the page becomes visible again', async () => {
    const fake = api({ tasks: [task({ title: 'Old news' })] });
    openApp('#/tasks');
    await screen.findByText('Old news');
    fake.addTask(org.id, task({ id: 't9', title: 'Made elsewhere' }));

    setVisibility('hidden');
    setVisibility('visible');

    expect(await screen.findByText('Made elsewhere')).toBeInTheDocument();
    delete document.visibilityState;
  });

  it('fetches the lists again on a timer while the page is visible', async () => {
    const fake = api({ tasks: [task({ title: 'Old news' })] });
    openApp('#/tasks', admin.id, { refreshMs: 100 });
    await screen.findByText('Old news');
    fake.addTask(org.id, task({ id: 't9', title: 'Made elsewhere' }));
    expect(await screen.findByText('Made elsewhere')).toBeInTheDocument();
  });
});
