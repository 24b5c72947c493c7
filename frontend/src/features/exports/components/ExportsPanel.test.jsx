import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { installFakeFetch, jsonResponse } from '../../../test/fakeFetch';
import { installFakeApi } from '../../../test/fakeApi';
import { admin, exportJob, member, org } from '../../../test/fixtures';
import { renderWithQueries } from '../../../test/render';
import { ExportsPanel } from './ExportsPanel';

const session = { tenantId: org.id, userId: admin.id };

function renderPanel(props = {}) {
  return renderWithQueries(
    <ExportsPanel session={session} tenantName={org.name} users={[admin, member]} pollMs={10} {...props} />,
  );
}

describe('ExportsPanel', () => {
  it('starts an export and follows its status until it completes', async () => {
    const user = userEvent.setup();
    const states = [
      exportJob({ id: 'exp-2', status: 'pending' }),
      exportJob({ id: 'exp-2', status: 'processing' }),
      exportJob({
        id: 'exp-2',
        status: 'completed',
        rowCount: 42,
        fileUrl: '/exports/exp-2/download',
        completedAt: '2026-11-29T12:00:05.000Z',
      }),
    ];
    const seen = [];
    const fetchMock = installFakeFetch({
      'GET /exports': [exportJob({ id: 'exp-1', status: 'completed', rowCount: 3 })],
      'POST /tasks/export': jsonResponse({ exportId: 'exp-2', jobId: 'job-2' }, { status: 202 }),
      'GET /exports/exp-2': () => {
        const next = states.length > 1 ? states.shift() : states[0];
        seen.push(next.status);
        return next;
      },
    });
    renderPanel();
    expect(await screen.findByText('3 rows')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Start export' }));

    const latest = await screen.findByRole('list', { name: 'Latest export' });
    await waitFor(() => expect(latest).toHaveTextContent('42 rows'));
    expect(latest).toHaveTextContent('Completed');
    expect(seen).toEqual(['pending', 'processing', 'completed']);
    // The earlier export moved down to its own list.
    expect(screen.getByRole('heading', { name: 'Earlier exports' })).toBeInTheDocument();
    for (const [, init] of fetchMock.mock.calls) {
      expect(init.headers).toMatchObject({ 'x-tenant-id': org.id, 'x-user-id': admin.id });
    }
    // Polling stops once nothing is unfinished.
    const calls = fetchMock.mock.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fetchMock.mock.calls.length).toBe(calls);
  });

  it('shows a running export as a progress bar with its percent and rows, then its row count', async () => {
    const states = [
      exportJob({ status: 'processing', rowsWritten: 0, rowsExpected: 1000300 }),
      exportJob({ status: 'processing', rowsWritten: 450135, rowsExpected: 1000300 }),
      exportJob({
        status: 'completed',
        rowCount: 1000300,
        rowsWritten: 1000300,
        rowsExpected: 1000300,
        fileUrl: '/exports/exp-1/download',
        completedAt: '2026-11-29T12:00:05.000Z',
      }),
    ];
    // Each poll answers the current state; the test moves it on, so no step depends on timing.
    let current = states[0];
    installFakeFetch({
      'GET /exports': [states[0]],
      'GET /exports/exp-1': () => current,
    });
    renderPanel();

    const bar = await screen.findByRole('progressbar', { name: 'Export progress' });
    expect(bar).toHaveAttribute('value', '0');
    expect(screen.getByText(/0 of 1,000,300 rows/)).toHaveTextContent('0% · 0 of 1,000,300 rows');
    current = states[1];
    await waitFor(() => expect(bar).toHaveAttribute('value', '45'));
    expect(screen.getByText(/of 1,000,300 rows/)).toHaveTextContent('45% · 450,135 of 1,000,300 rows');

    const latest = screen.getByRole('list', { name: 'Latest export' });
    current = states[2];
    // The progress line says "of 1,000,300 rows" too: wait for the bar to go, then read the row count.
    await waitFor(() => expect(screen.queryByRole('progressbar')).not.toBeInTheDocument());
    expect(latest).toHaveTextContent('1,000,300 rows');
    expect(latest).toHaveTextContent('Completed');
  });

  it.each(['failed', 'expired'])('stops polling an export once it has %s', async (status) => {
    const answers = [exportJob({ status: 'processing' }), exportJob({ status })];
    const fetchMock = installFakeFetch({
      'GET /exports': [exportJob({ status: 'pending' })],
      'GET /exports/exp-1': () => (answers.length > 1 ? answers.shift() : answers[0]),
    });
    renderPanel();
    const latest = await screen.findByRole('list', { name: 'Latest export' });
    await waitFor(() => expect(latest).toHaveTextContent(status === 'failed' ? 'Failed' : 'Expired'));

    const calls = fetchMock.mock.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fetchMock.mock.calls.length).toBe(calls);
  });

  it('says when a poll fails, keeps polling, and clears the message once one answers', async () => {
    let current = jsonResponse({ error: 'unavailable', message: 'The database is unavailable.' }, { status: 503 });
    installFakeFetch({
      'GET /exports': [exportJob({ status: 'processing', rowsWritten: 10, rowsExpected: 100 })],
      'GET /exports/exp-1': () => current.clone(),
    });
    renderPanel();

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Lost touch with the export; still trying.');
    expect(alert).toHaveTextContent('The database is unavailable.');
    // The last known progress stays on screen meanwhile.
    expect(screen.getByRole('progressbar', { name: 'Export progress' })).toHaveAttribute('value', '10');

    current = jsonResponse(exportJob({ status: 'completed', rowCount: 100, completedAt: '2026-11-29T12:00:05.000Z' }));
    await waitFor(() => expect(screen.queryByRole('alert')).not.toBeInTheDocument());
    expect(screen.getByRole('list', { name: 'Latest export' })).toHaveTextContent('100 rows');
  });

  it('says a running export is starting until its total is known', async () => {
    installFakeFetch({
      'GET /exports': [exportJob({ status: 'processing', rowsWritten: 0, rowsExpected: null })],
      'GET /exports/exp-1': exportJob({ status: 'processing', rowsWritten: 0, rowsExpected: null }),
    });
    renderPanel();
    expect(await screen.findByText('Starting…')).toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
  });

  it('shows why an export failed', async () => {
    installFakeFetch({ 'GET /exports': [exportJob({ status: 'failed', error: 'Disk full' })] });
    renderPanel();
    expect(await screen.findByText('Disk full')).toBeInTheDocument();
    expect(screen.getByText('Failed')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Download CSV' })).not.toBeInTheDocument();
  });

  it('downloads the CSV with the session headers', async () => {
    const user = userEvent.setup();
    const createObjectURL = vi.fn(() => 'blob:csv');
    vi.stubGlobal(
      'URL',
      class extends URL {
        static createObjectURL = createObjectURL;
        static revokeObjectURL = vi.fn();
      },
    );
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    const fetchMock = installFakeFetch({
      'GET /exports': [exportJob({ status: 'completed', rowCount: 1, fileUrl: '/exports/exp-1/download' })],
      'GET /exports/exp-1/download': new Response('id,title\n1,A\n', {
        headers: { 'Content-Type': 'text/csv', 'Content-Disposition': 'attachment; filename="tasks.csv"' },
      }),
    });
    renderPanel();

    await user.click(await screen.findByRole('button', { name: 'Download CSV' }));

    await waitFor(() => expect(click).toHaveBeenCalled());
    const link = click.mock.contexts[0];
    expect(link.download).toBe('tasks.csv');
    expect(link.href).toBe('blob:csv');
    expect(await createObjectURL.mock.calls[0][0].text()).toBe('id,title\n1,A\n');
    const [url, init] = fetchMock.mock.calls.at(-1);
    expect(url).toBe('/exports/exp-1/download');
    expect(init.headers).toMatchObject({ 'x-tenant-id': org.id, 'x-user-id': admin.id });
  });

  it('shows a 503 from the queue as an alert', async () => {
    const user = userEvent.setup();
    installFakeFetch({
      'GET /exports': [],
      'POST /tasks/export': jsonResponse(
        { error: 'queue_unavailable', message: 'The export queue is unavailable; try again later.' },
        { status: 503 },
      ),
    });
    renderPanel();
    expect(await screen.findByText('No exports yet.')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Start export' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not start the export.');
    expect(alert).toHaveTextContent('The export queue is unavailable; try again later.');
    expect(within(alert).queryByRole('button')).not.toBeInTheDocument();
  });
});

describe('isFinished', () => {
  it('treats only pending and processing exports as still running', async () => {
    const { isFinished } = await import('../api/exports');
    expect(['pending', 'processing'].map((status) => isFinished({ status }))).toEqual([false, false]);
    expect(['completed', 'failed', 'expired'].map((status) => isFinished({ status }))).toEqual([true, true, true]);
  });
});

describe('ExportsPanel: honest feedback', () => {
  it('names who asked for each export and formats its row count', async () => {
    installFakeFetch({
      'GET /exports': [
        exportJob({ id: 'exp-2', status: 'completed', rowCount: 1000300, completedAt: '2026-11-29T12:05:00.000Z' }),
        exportJob({ id: 'exp-1', status: 'completed', rowCount: 1, requestedBy: member.id, requestedByName: undefined }),
      ],
    });
    renderPanel();
    const latest = await screen.findByRole('list', { name: 'Latest export' });
    expect(within(latest).getByRole('heading')).toHaveTextContent('Export by Ada Admin');
    expect(latest).toHaveTextContent('1,000,300 rows');
    // Without requestedByName (a server from before it), the organization's users name the requester.
    const earlier = screen.getByRole('heading', { name: 'Earlier exports' }).closest('section');
    expect(within(earlier).getByRole('heading', { level: 3 })).toHaveTextContent('Export by Max Member');
    expect(earlier).toHaveTextContent('1 row');
  });

  it('keeps Start export unavailable, saying why, while an export runs, and offers it again after', async () => {
    const user = userEvent.setup();
    const fake = installFakeApi({
      organizations: [{ ...org, users: [admin], exports: [exportJob({ status: 'processing', rowsWritten: 5, rowsExpected: 10 })] }],
    });
    renderPanel();
    await screen.findByRole('progressbar');
    const start = screen.getByRole('button', { name: 'Start export' });
    expect(start).toHaveAttribute('aria-disabled', 'true');
    expect(start).toHaveAccessibleDescription('An export is running. You can start another once it has finished.');
    await user.click(start);
    expect(fake.requestsLike(/^POST/)).toEqual([]);

    fake.setExport(org.id, 'exp-1', { status: 'completed', rowCount: 10, completedAt: '2026-11-29T12:00:05.000Z' });

    await waitFor(() => expect(start).not.toHaveAttribute('aria-disabled'));
    expect(start).not.toHaveAccessibleDescription();
    await user.click(start);
    await waitFor(() => expect(fake.requestsLike(/^POST/)).toEqual(['POST /tasks/export']));
  });

  it('says an export of another browser is running without its id, and clears that once it finished', async () => {
    const user = userEvent.setup();
    // The list on screen was loaded before another browser started an export.
    const fake = installFakeApi({ organizations: [{ ...org, users: [admin], exports: [] }], legacy: true });
    renderPanel();
    expect(await screen.findByText('No exports yet.')).toBeInTheDocument();
    fake.exportsOf(org.id).unshift(exportJob({ id: '159ce5f3-0000-4000-8000-000000000000', status: 'pending' }));

    await user.click(screen.getByRole('button', { name: 'Start export' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not start the export.');
    expect(alert).toHaveTextContent('An export of this organization is still running; start another once it has finished.');
    expect(alert).not.toHaveTextContent('159ce5f3');
    // The running export is fetched, shown and followed.
    expect(await screen.findByRole('list', { name: 'Latest export' })).toHaveTextContent('Pending');
    expect(screen.getByRole('button', { name: 'Start export' })).toHaveAttribute('aria-disabled', 'true');

    fake.setExport(org.id, '159ce5f3-0000-4000-8000-000000000000', {
      status: 'completed',
      rowCount: 2,
      completedAt: '2026-11-29T12:00:05.000Z',
    });

    await waitFor(() => expect(screen.queryByRole('alert')).not.toBeInTheDocument());
    expect(screen.getByRole('list', { name: 'Latest export' })).toHaveTextContent('Completed');
    expect(screen.getByRole('button', { name: 'Start export' })).not.toHaveAttribute('aria-disabled');
  });

  it('keeps focus on Start export while the export it started runs', async () => {
    const user = userEvent.setup();
    installFakeApi({ organizations: [{ ...org, users: [admin], exports: [] }] });
    renderPanel();
    await screen.findByText('No exports yet.');
    const start = screen.getByRole('button', { name: 'Start export' });
    await user.click(start);
    await screen.findByRole('list', { name: 'Latest export' });
    expect(start).toHaveAttribute('aria-disabled', 'true');
    expect(start).toHaveFocus();
  });
});
