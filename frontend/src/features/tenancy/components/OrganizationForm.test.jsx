import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { installFakeApi } from '../../../test/fakeApi';
import { installFakeFetch, jsonResponse } from '../../../test/fakeFetch';
import { renderWithQueries } from '../../../test/render';
import { TenancyProvider } from '../TenancyProvider';
import { OrganizationsPanel } from './OrganizationsPanel';

function renderPanel() {
  return renderWithQueries(
    <TenancyProvider>
      <OrganizationsPanel />
    </TenancyProvider>,
  );
}

describe('OrganizationForm', () => {
  it('shows the API validation message next to the schema name, with no banner above it', async () => {
    const user = userEvent.setup();
    installFakeFetch({
      'GET /organizations': [],
      'POST /organizations': jsonResponse(
        {
          error: 'validation_error',
          message: 'The request has invalid fields.',
          errors: { schemaName: ['Schema name is reserved by PostgreSQL.'] },
        },
        { status: 400 },
      ),
    });
    renderPanel();
    await user.type(screen.getByLabelText('Organization name'), 'Postgres fans');
    await user.clear(screen.getByLabelText('Schema name'));
    await user.type(screen.getByLabelText('Schema name'), 'pg_fans');
    await user.click(screen.getByRole('button', { name: 'Create organization' }));

    const schema = screen.getByLabelText('Schema name');
    await waitFor(() => expect(schema).toHaveAttribute('aria-invalid', 'true'));
    expect(schema).toHaveAccessibleDescription(expect.stringContaining('Schema name is reserved by PostgreSQL.'));
    expect(schema).toHaveFocus();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.queryByText('The request has invalid fields.')).not.toBeInTheDocument();
    // What the user typed stays, so it can be corrected.
    expect(schema).toHaveValue('pg_fans');
  });

  it('says which required fields are empty before sending anything', async () => {
    const user = userEvent.setup();
    const fake = installFakeApi();
    renderPanel();
    await user.click(screen.getByRole('button', { name: 'Create organization' }));

    expect(screen.getByLabelText('Organization name')).toHaveAccessibleDescription('Enter an organization name.');
    expect(screen.getByLabelText('Organization name')).toHaveFocus();
    expect(screen.getByLabelText('Schema name')).toHaveAccessibleDescription(
      expect.stringMatching(/^Enter a schema name\. /),
    );
    expect(fake.requestsLike(/^POST/)).toEqual([]);
  });

  it('explains the schema name beside its field: what it is, that it is permanent, which characters', () => {
    installFakeApi();
    renderPanel();
    const schema = screen.getByLabelText('Schema name');
    expect(schema).toHaveAccessibleDescription(expect.stringContaining('database schema'));
    expect(schema).toHaveAccessibleDescription(expect.stringContaining('permanent'));
    expect(schema).toHaveAccessibleDescription(expect.stringContaining('lowercase letters (a–z), digits and underscores'));
    expect(schema).toHaveAttribute('maxlength', '63');
    expect(screen.getByLabelText('Organization name')).toHaveAttribute('maxlength', '200');
  });

  it('shows a 409 for a taken schema name at the field', async () => {
    const user = userEvent.setup();
    installFakeApi({ organizations: [{ id: 'org-1', name: 'Acme', schemaName: 'acme', createdAt: '2026-11-29T10:00:00.000Z' }] });
    renderPanel();
    await user.type(screen.getByLabelText('Organization name'), 'Acme');
    await user.click(screen.getByRole('button', { name: 'Create organization' }));
    await waitFor(() => expect(screen.getByLabelText('Schema name')).toHaveAccessibleDescription(/^Already taken\./));
  });

  it('shows an error without field errors as an alert', async () => {
    const user = userEvent.setup();
    installFakeFetch({
      'GET /organizations': [],
      'POST /organizations': jsonResponse(
        { error: 'unauthorized', message: 'This server needs the operator key.' },
        { status: 401 },
      ),
    });
    renderPanel();
    await user.type(screen.getByLabelText('Organization name'), 'Acme');
    await user.click(screen.getByRole('button', { name: 'Create organization' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not create the organization.');
    expect(alert).toHaveTextContent('This server needs the operator key.');
  });

  it('moves focus to the new organization’s first user once it is created, then back to Name for the next', async () => {
    const user = userEvent.setup();
    const fake = installFakeApi();
    renderPanel();
    await user.type(screen.getByLabelText('Organization name'), 'Acme Inc.');
    expect(screen.getByLabelText('Schema name')).toHaveValue('acme_inc');
    await user.click(screen.getByRole('button', { name: 'Create organization' }));

    expect(await screen.findByText('Created Acme Inc.. It is now the chosen organization.')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByLabelText('Name')).toHaveFocus());
    expect(screen.getByRole('heading', { name: 'Add a user to Acme Inc.' })).toBeInTheDocument();

    await user.type(screen.getByLabelText('Name'), 'Ada');
    await user.type(screen.getByLabelText('Email'), 'ada@acme.test');
    await user.click(screen.getByRole('button', { name: 'Add user' }));

    expect(await screen.findByText('Added Ada as member.')).toBeInTheDocument();
    expect(screen.getByLabelText('Name')).toHaveFocus();
    expect(screen.getByLabelText('Name')).toHaveValue('');
    expect(fake.usersOf('org-new-1').map((u) => u.name)).toEqual(['Ada']);
  });

  it('asks for the user’s name and email before sending anything', async () => {
    const user = userEvent.setup();
    const fake = installFakeApi();
    renderPanel();
    await user.type(screen.getByLabelText('Organization name'), 'Acme');
    await user.click(screen.getByRole('button', { name: 'Create organization' }));
    await waitFor(() => expect(screen.getByLabelText('Name')).toHaveFocus());

    await user.click(screen.getByRole('button', { name: 'Add user' }));

    expect(screen.getByLabelText('Name')).toHaveAccessibleDescription('Enter a name.');
    expect(screen.getByLabelText('Email')).toHaveAccessibleDescription('Enter an email address.');
    expect(screen.getByLabelText('Name')).toHaveFocus();
    expect(fake.requestsLike(/^POST \/organizations\/.*\/users/)).toEqual([]);
  });
});
