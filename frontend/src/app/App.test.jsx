import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { installFakeFetch, jsonResponse } from '../test/fakeFetch';
import { admin, member, org, rememberSelection } from '../test/fixtures';
import { App } from './App';

function tenantRoutes(extra = {}) {
  return {
    'GET /organizations': [org],
    [`GET /organizations/${org.id}/users`]: [admin, member],
    'GET /tasks': [],
    'GET /exports': [],
    ...extra,
  };
}

describe('App', () => {
  it('hides the Export tab from a member', async () => {
    installFakeFetch(tenantRoutes());
    rememberSelection(org.id, member.id);
    render(<App />);
    await waitFor(() => expect(screen.getByLabelText('User')).toHaveValue(member.id));
    expect(screen.getByRole('tab', { name: 'Tasks' })).toBeInTheDocument();
    expect(screen.queryByRole('tab', { name: 'Export' })).not.toBeInTheDocument();
  });

  it('shows the Export tab to an admin', async () => {
    installFakeFetch(tenantRoutes());
    rememberSelection(org.id, admin.id);
    render(<App />);
    expect(await screen.findByRole('tab', { name: 'Export' })).toBeInTheDocument();
  });

  it('removes the Export tab when switching from an admin to a member', async () => {
    const user = userEvent.setup();
    installFakeFetch(tenantRoutes());
    rememberSelection(org.id, admin.id);
    render(<App />);
    await user.click(await screen.findByRole('tab', { name: 'Export' }));
    expect(await screen.findByRole('heading', { name: 'Export tasks' })).toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText('User'), member.id);

    expect(screen.queryByRole('tab', { name: 'Export' })).not.toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Tasks' })).toHaveAttribute('aria-selected', 'true');
  });

  it('remembers the chosen tenant and user across a reload', async () => {
    const user = userEvent.setup();
    installFakeFetch(tenantRoutes());
    const { unmount } = render(<App />);
    await screen.findByRole('option', { name: org.name }); // the picker fills in after the fetch
    await user.selectOptions(screen.getByLabelText('Tenant'), org.id);
    await waitFor(() => expect(screen.getByLabelText('User')).toBeEnabled());
    await user.selectOptions(screen.getByLabelText('User'), admin.id);
    unmount();

    render(<App />);
    await waitFor(() => expect(screen.getByLabelText('User')).toHaveValue(admin.id));
    expect(screen.getByLabelText('Tenant')).toHaveValue(org.id);
  });

  it('never shows a late answer for the users of a tenant no longer chosen', async () => {
    const user = userEvent.setup();
    const other = { ...org, id: 'org-2', name: 'Globex', schemaName: 'globex' };
    const intruder = { ...member, id: 'user-late', name: 'Late Answer' };
    let answerAcme;
    installFakeFetch({
      'GET /organizations': [org, other],
      [`GET /organizations/${org.id}/users`]: () => new Promise((resolve) => (answerAcme = resolve)),
      [`GET /organizations/${other.id}/users`]: [admin],
      'GET /tasks': [],
    });
    render(<App />);
    await screen.findByRole('option', { name: org.name });
    await user.selectOptions(screen.getByLabelText('Tenant'), org.id);
    await user.selectOptions(screen.getByLabelText('Tenant'), other.id);
    await screen.findByRole('option', { name: 'Ada Admin (admin)' });

    answerAcme(jsonResponse([intruder]));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const userPicker = screen.getByLabelText('User');
    expect(within(userPicker).queryByRole('option', { name: /Late Answer/ })).not.toBeInTheDocument();
    expect(within(userPicker).getByRole('option', { name: 'Ada Admin (admin)' })).toBeInTheDocument();
  });

  it('ignores a remembered tenant that no longer exists', async () => {
    installFakeFetch(tenantRoutes());
    rememberSelection('gone', 'gone-user');
    render(<App />);
    await waitFor(() => expect(screen.getByLabelText('Tenant')).toBeEnabled());
    expect(screen.getByLabelText('Tenant')).toHaveValue('');
    expect(screen.getByRole('heading', { name: 'Choose a tenant' })).toBeInTheDocument();
  });

  it('starts an empty system on the Organizations tab and selects the new organization', async () => {
    const user = userEvent.setup();
    const fetchMock = installFakeFetch({
      'GET /organizations': [],
      'POST /organizations': (req) => jsonResponse({ ...org, ...req.body }, { status: 201 }),
      [`GET /organizations/${org.id}/users`]: [],
      [`POST /organizations/${org.id}/users`]: (req) =>
        jsonResponse({ ...admin, ...req.body, id: 'new-user' }, { status: 201 }),
    });
    render(<App />);
    // The tab exists at once; it is selected once the (empty) list of organizations has loaded.
    const organizationsTab = await screen.findByRole('tab', { name: 'Organizations' });
    await waitFor(() => expect(organizationsTab).toHaveAttribute('aria-selected', 'true'));

    await user.type(screen.getByLabelText('Organization name'), 'Acme Inc.');
    expect(screen.getByLabelText('Schema name')).toHaveValue('acme_inc');
    await user.click(screen.getByRole('button', { name: 'Create organization' }));

    await waitFor(() => expect(screen.getByLabelText('Tenant')).toHaveValue(org.id));
    expect(fetchMock).toHaveBeenCalledWith(
      '/organizations',
      expect.objectContaining({ body: JSON.stringify({ name: 'Acme Inc.', schemaName: 'acme_inc' }) }),
    );
    // Still on the same tab, ready to add users.
    expect(screen.getByRole('tab', { name: 'Organizations' })).toHaveAttribute('aria-selected', 'true');

    await user.type(screen.getByLabelText('Name'), 'Ada');
    await user.type(screen.getByLabelText('Email'), 'ada@acme.test');
    await user.selectOptions(screen.getByLabelText('Role'), 'admin');
    await user.click(screen.getByRole('button', { name: 'Add user' }));

    expect(await screen.findByRole('tab', { name: 'Export' })).toBeInTheDocument();
    expect(screen.getByLabelText('User')).toHaveValue('new-user');
  });

  it('shows an alert with a retry when the API cannot be reached', async () => {
    const user = userEvent.setup();
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    render(<App />);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load organizations.');
    expect(alert).toHaveTextContent('Cannot reach the server.');

    installFakeFetch({ 'GET /organizations': [org] });
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(screen.queryByRole('alert')).not.toBeInTheDocument());
    expect(within(screen.getByLabelText('Tenant')).getByRole('option', { name: 'Acme' })).toBeInTheDocument();
  });

  it('moves between tabs with the arrow keys', async () => {
    const user = userEvent.setup();
    installFakeFetch(tenantRoutes());
    rememberSelection(org.id, admin.id);
    render(<App />);
    await screen.findByRole('tab', { name: 'Export' });
    const tasksTab = screen.getByRole('tab', { name: 'Tasks' });
    tasksTab.focus();

    await user.keyboard('{ArrowRight}');
    expect(screen.getByRole('tab', { name: 'Export' })).toHaveFocus();
    expect(screen.getByRole('tab', { name: 'Export' })).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByRole('tabpanel')).toHaveAccessibleName('Export');

    await user.keyboard('{ArrowRight}{ArrowRight}');
    expect(screen.getByRole('tab', { name: 'Tasks' })).toHaveFocus();
    await user.keyboard('{ArrowLeft}');
    expect(screen.getByRole('tab', { name: 'Organizations' })).toHaveFocus();
    expect(screen.getByRole('tab', { name: 'Tasks' })).toHaveAttribute('tabindex', '-1');
  });
});
