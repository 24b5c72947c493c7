import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { installFakeFetch, jsonResponse } from '../../../test/fakeFetch';
import { renderWithQueries } from '../../../test/render';
import { TenancyProvider } from '../TenancyProvider';
import { OrganizationForm } from './OrganizationForm';

describe('OrganizationForm', () => {
  it('shows the API validation message next to the schema name', async () => {
    const user = userEvent.setup();
    installFakeFetch({
      'GET /organizations': [],
      'POST /organizations': jsonResponse(
        {
          error: 'validation_error',
          message: 'Some fields are invalid.',
          errors: { schemaName: ['Schema name must not start with pg_.'] },
        },
        { status: 400 },
      ),
    });
    renderWithQueries(
      <TenancyProvider>
        <OrganizationForm />
      </TenancyProvider>,
    );
    await user.type(screen.getByLabelText('Organization name'), 'Postgres fans');
    await user.clear(screen.getByLabelText('Schema name'));
    await user.type(screen.getByLabelText('Schema name'), 'pg_fans');
    await user.click(screen.getByRole('button', { name: 'Create organization' }));

    const schema = screen.getByLabelText('Schema name');
    await waitFor(() => expect(schema).toHaveAttribute('aria-invalid', 'true'));
    expect(schema).toHaveAccessibleDescription(expect.stringContaining('Schema name must not start with pg_.'));
    expect(schema).toHaveFocus();
    expect(screen.getByRole('alert')).toHaveTextContent('Some fields are invalid.');
    // What the user typed stays, so it can be corrected.
    expect(schema).toHaveValue('pg_fans');
  });

  it('shows a 409 for a taken schema name as an alert', async () => {
    const user = userEvent.setup();
    installFakeFetch({
      'GET /organizations': [],
      'POST /organizations': jsonResponse(
        { error: 'conflict', message: 'An organization with schema "acme" already exists.' },
        { status: 409 },
      ),
    });
    renderWithQueries(
      <TenancyProvider>
        <OrganizationForm />
      </TenancyProvider>,
    );
    await user.type(screen.getByLabelText('Organization name'), 'Acme');
    await user.click(screen.getByRole('button', { name: 'Create organization' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('An organization with schema "acme" already exists.');
  });
});
