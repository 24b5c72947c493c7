import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { installFakeApi, manyOrganizations } from '../../../test/fakeApi';
import { installFakeFetch } from '../../../test/fakeFetch';
import { admin, member, org, rememberSelection } from '../../../test/fixtures';
import { renderWithQueries } from '../../../test/render';
import { TenancyProvider } from '../TenancyProvider';
import { TenancyBar } from './TenancyBar';

function renderBar() {
  return renderWithQueries(
    <TenancyProvider>
      <TenancyBar />
    </TenancyProvider>,
  );
}

const picker = () => screen.getByRole('combobox', { name: 'Organization' });
const options = () => within(screen.getByRole('listbox', { hidden: true })).queryAllByRole('option', { hidden: true });

describe('Organization picker', () => {
  it('shows the chosen organization by fetching it alone, never the list of all', async () => {
    const fake = installFakeApi({ organizations: [...manyOrganizations(50), { ...org, users: [admin] }] });
    rememberSelection(org.id, admin.id);
    renderBar();
    await waitFor(() => expect(picker()).toHaveValue('Acme'));
    await waitFor(() => expect(screen.getByLabelText('User')).toHaveValue(admin.id));
    expect(fake.requests).toContain(`GET /organizations/${org.id}`);
    expect(fake.requestsLike(/^GET \/organizations(\?|$)/)).toEqual(['GET /organizations?limit=20']);
  });

  it('searches as you type (one request once typing pauses) and shows at most 20 of 10,000', async () => {
    const user = userEvent.setup();
    const fake = installFakeApi({ organizations: manyOrganizations(10_000) });
    renderBar();
    await user.click(picker());
    expect(picker()).toHaveAttribute('aria-expanded', 'true');
    await waitFor(() => expect(options()).toHaveLength(20));
    expect(options()[0]).toHaveTextContent('Org 00001org_00001');
    expect(picker()).toHaveAccessibleDescription('The first 20 organizations shown; type to narrow.');

    await user.type(picker(), 'Org 0999');

    await waitFor(() => expect(options()).toHaveLength(10));
    expect(options().map((option) => option.querySelector('.option-name').textContent)).toEqual(
      Array.from({ length: 10 }, (_, i) => `Org 0999${i}`),
    );
    expect(fake.requestsLike(/^GET \/organizations\?/)).toEqual([
      'GET /organizations?limit=20',
      'GET /organizations?limit=20&q=Org+0999',
    ]);
    expect(picker()).toHaveAccessibleDescription('10 organizations shown.');
  });

  it('moves through the options with the arrow keys and chooses with Enter', async () => {
    const user = userEvent.setup();
    const fake = installFakeApi({
      organizations: [
        { ...org, users: [admin] },
        { id: 'org-2', name: 'Globex', schemaName: 'globex', createdAt: org.createdAt, users: [member] },
      ],
    });
    renderBar();
    await user.click(picker());
    await user.keyboard('{Escape}');
    expect(picker()).toHaveAttribute('aria-expanded', 'false');

    await user.keyboard('{ArrowDown}');
    await waitFor(() => expect(options()).toHaveLength(2));
    const [acme, globex] = options();
    expect(picker()).toHaveAttribute('aria-activedescendant', acme.id);
    expect(acme).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{ArrowDown}');
    expect(picker()).toHaveAttribute('aria-activedescendant', globex.id);
    await user.keyboard('{ArrowDown}');
    expect(picker()).toHaveAttribute('aria-activedescendant', globex.id);

    await user.keyboard('{Enter}');

    expect(picker()).toHaveValue('Globex');
    expect(picker()).toHaveAttribute('aria-expanded', 'false');
    expect(picker()).not.toHaveAttribute('aria-activedescendant');
    expect(picker()).toHaveFocus();
    await waitFor(() => expect(within(screen.getByLabelText('User')).getByRole('option', { name: 'Max Member (member)' })).toBeInTheDocument());
    // The picked organization came with the search: choosing it fetched only its users.
    expect(fake.requests).not.toContain('GET /organizations/org-2');
  });

  it('never offers an organization that does not match the text while its search is on the way', async () => {
    const user = userEvent.setup();
    const globex = { id: 'org-2', name: 'Globex', schemaName: 'globex', createdAt: org.createdAt };
    installFakeFetch({
      'GET /organizations?limit=20': [org, globex],
      // The search for what is typed never answers in this test.
      'GET /organizations': () => new Promise(() => {}),
    });
    renderBar();
    await user.click(picker());
    await waitFor(() => expect(options()).toHaveLength(2));

    await user.keyboard('glo{ArrowDown}');

    expect(options().map((option) => option.querySelector('.option-name').textContent)).toEqual(['Globex']);
    expect(picker()).toHaveAttribute('aria-activedescendant', options()[0].id);
  });

  it('puts the chosen organization back on Escape', async () => {
    const user = userEvent.setup();
    installFakeApi({ organizations: [{ ...org, users: [admin] }] });
    rememberSelection(org.id, admin.id);
    renderBar();
    await waitFor(() => expect(picker()).toHaveValue('Acme'));
    await user.click(picker());
    await user.keyboard('Glo');
    expect(picker()).toHaveValue('Glo');
    await waitFor(() => expect(picker()).toHaveAccessibleDescription('No organization matches “Glo”.'));

    await user.keyboard('{Escape}');

    expect(picker()).toHaveValue('Acme');
    expect(picker()).toHaveAttribute('aria-expanded', 'false');
  });

  it('chooses with a click', async () => {
    const user = userEvent.setup();
    installFakeApi({ organizations: [{ ...org, users: [admin] }] });
    renderBar();
    await user.click(picker());
    await user.click(await screen.findByRole('option', { name: /Acme/ }));
    expect(picker()).toHaveValue('Acme');
    await waitFor(() => expect(screen.getByLabelText('User')).toBeEnabled());
  });

  it('narrows and orders the answer of a server that lists every organization for a search', async () => {
    const user = userEvent.setup();
    installFakeApi({ organizations: [...manyOrganizations(30), { ...org, users: [admin] }], legacy: true });
    renderBar();
    await user.click(picker());
    await waitFor(() => expect(options()).toHaveLength(20));
    // In name order, as the new server answers: Acme first.
    expect(options()[0]).toHaveTextContent('Acme');
    await user.keyboard('00031');
    await waitFor(() => expect(picker()).toHaveAccessibleDescription('No organization matches “00031”.'));
  });

  it('shows only the matches when an older server answers every organization for a search', async () => {
    const user = userEvent.setup();
    installFakeApi({
      organizations: [
        { ...org, users: [admin] },
        { id: 'org-2', name: 'Globex', schemaName: 'globex', createdAt: org.createdAt },
        { id: 'org-3', name: 'Initech', schemaName: 'initech_glo', createdAt: org.createdAt },
      ],
      legacy: true,
    });
    renderBar();
    await user.click(picker());
    await user.keyboard('glo');
    await waitFor(() =>
      expect(options().map((option) => option.querySelector('.option-name').textContent)).toEqual([
        'Globex',
        'Initech',
      ]),
    );
  });
});

describe('User picker', () => {
  const globex = { id: 'org-2', name: 'Globex', schemaName: 'globex', createdAt: org.createdAt };
  const gina = { ...member, id: 'user-gina', name: 'Gina Globex', email: 'gina@globex.test' };

  it('remembers the user last chosen in each organization', async () => {
    const user = userEvent.setup();
    installFakeApi({ organizations: [{ ...org, users: [admin, member] }, { ...globex, users: [gina] }] });
    rememberSelection(org.id, member.id);
    renderBar();
    await waitFor(() => expect(screen.getByLabelText('User')).toHaveValue(member.id));

    await user.click(picker());
    await user.click(await screen.findByRole('option', { name: /Globex/ }));
    await waitFor(() => expect(screen.getByLabelText('User')).toBeEnabled());
    expect(screen.getByLabelText('User')).toHaveValue('');
    await user.selectOptions(screen.getByLabelText('User'), gina.id);

    await user.click(picker());
    await user.click(await screen.findByRole('option', { name: /Acme/ }));

    await waitFor(() => expect(screen.getByLabelText('User')).toHaveValue(member.id));
    expect(screen.getByLabelText('User')).toBeEnabled();

    await user.click(picker());
    await user.click(await screen.findByRole('option', { name: /Globex/ }));
    await waitFor(() => expect(screen.getByLabelText('User')).toHaveValue(gina.id));
  });

  it('ignores a remembered organization that no longer exists', async () => {
    installFakeApi({ organizations: [{ ...org, users: [admin] }] });
    rememberSelection('gone', 'gone-user');
    renderBar();
    await waitFor(() => expect(picker()).toHaveAttribute('placeholder', 'Search organizations…'));
    expect(picker()).toHaveValue('');
    expect(screen.getByLabelText('User')).toBeDisabled();
    expect(within(screen.getByLabelText('User')).getByRole('option')).toHaveTextContent('Choose an organization first');
  });

  it('reads a choice stored by the earlier version (one user for one organization)', async () => {
    installFakeApi({ organizations: [{ ...org, users: [admin, member] }] });
    localStorage.setItem('taskflask.selection', JSON.stringify({ tenantId: org.id, userId: member.id }));
    renderBar();
    await waitFor(() => expect(screen.getByLabelText('User')).toHaveValue(member.id));
  });
});
