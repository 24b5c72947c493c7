import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { installFakeFetch, jsonResponse } from '../../../test/fakeFetch';
import { admin, org, task } from '../../../test/fixtures';
import { renderWithQueries } from '../../../test/render';
import { TasksPanel } from './TasksPanel';

const session = { tenantId: org.id, userId: admin.id };

describe('TasksPanel', () => {
  it('lists tasks with title, description, status and created time', async () => {
    installFakeFetch({
      'GET /tasks': [
        task({ id: 't2', title: 'Newest', description: 'Second line' }),
        task({ id: 't1', title: 'Oldest', status: 'completed', completedAt: '2026-11-29T13:00:00.000Z' }),
      ],
    });
    renderWithQueries(<TasksPanel session={session} />);
    expect(screen.getByRole('status')).toHaveTextContent('Loading tasks…');

    const items = within(await screen.findByRole('list')).getAllByRole('listitem');
    expect(items.map((item) => within(item).getByRole('heading').textContent)).toEqual(['Newest', 'Oldest']);
    expect(items[0]).toHaveTextContent('Second line');
    expect(items[0]).toHaveTextContent('Pending');
    expect(items[0].querySelector('time')).toHaveAttribute('datetime', '2026-11-29T11:00:00.000Z');
    expect(items[1]).toHaveTextContent('Completed');
    expect(within(items[1]).queryByRole('button')).not.toBeInTheDocument();
  });

  it('shows an empty state', async () => {
    installFakeFetch({ 'GET /tasks': [] });
    renderWithQueries(<TasksPanel session={session} />);
    expect(await screen.findByText(/No tasks yet/)).toBeInTheDocument();
  });

  it('sends the tenant header and filters by status', async () => {
    const user = userEvent.setup();
    const fetchMock = installFakeFetch({
      'GET /tasks?limit=100': [task()],
      'GET /tasks?limit=100&status=completed': [],
    });
    renderWithQueries(<TasksPanel session={session} />);
    await screen.findByText('Write the report');

    await user.click(screen.getByRole('radio', { name: 'Completed' }));

    expect(await screen.findByText('No completed tasks yet.')).toBeInTheDocument();
    const [url, init] = fetchMock.mock.calls.at(-1);
    expect(url).toBe('/tasks?limit=100&status=completed');
    expect(init.headers['x-tenant-id']).toBe(org.id);
  });

  it('adds a task to the top of the list', async () => {
    const user = userEvent.setup();
    const fetchMock = installFakeFetch({
      'GET /tasks': [task()],
      'POST /tasks': (req) => jsonResponse(task({ id: 't9', ...req.body }), { status: 201 }),
    });
    renderWithQueries(<TasksPanel session={session} />);
    await screen.findByText('Write the report');

    await user.type(screen.getByLabelText('Title'), 'Call the bank');
    await user.type(screen.getByLabelText('Description'), 'Before noon');
    await user.click(screen.getByRole('button', { name: 'Add task' }));

    await waitFor(() => expect(screen.getAllByRole('heading', { level: 3 })[0]).toHaveTextContent('Call the bank'));
    expect(screen.getByLabelText('Title')).toHaveValue('');
    const [, init] = fetchMock.mock.calls.find(([, i]) => i.method === 'POST');
    expect(JSON.parse(init.body)).toEqual({ title: 'Call the bank', description: 'Before noon' });
    expect(init.headers).toMatchObject({ 'x-tenant-id': org.id, 'x-user-id': admin.id });
  });

  it('shows the field errors of a 400 next to the field', async () => {
    const user = userEvent.setup();
    installFakeFetch({
      'GET /tasks': [],
      'POST /tasks': jsonResponse(
        {
          error: 'validation_error',
          message: 'Some fields are invalid.',
          errors: { title: ['Title must be between 1 and 200 characters.'] },
        },
        { status: 400 },
      ),
    });
    renderWithQueries(<TasksPanel session={session} />);
    await user.type(screen.getByLabelText('Title'), '   ');
    await user.click(screen.getByRole('button', { name: 'Add task' }));

    const title = screen.getByLabelText('Title');
    await waitFor(() => expect(title).toHaveAccessibleDescription('Title must be between 1 and 200 characters.'));
    expect(title).toHaveAttribute('aria-invalid', 'true');
    expect(title).toHaveFocus();
    expect(screen.getByRole('alert')).toHaveTextContent('Some fields are invalid.');
    expect(screen.getByLabelText('Description')).not.toHaveAttribute('aria-invalid');
  });

  it('marks a task completed in place', async () => {
    const user = userEvent.setup();
    const fetchMock = installFakeFetch({
      'GET /tasks': [task()],
      'PATCH /tasks/task-1': task({ status: 'completed', completedAt: '2026-11-29T12:30:00.000Z' }),
    });
    renderWithQueries(<TasksPanel session={session} />);

    await user.click(await screen.findByRole('button', { name: 'Mark completed: Write the report' }));

    const item = screen.getByRole('listitem');
    await waitFor(() => expect(item).toHaveTextContent('Completed'));
    expect(within(item).queryByRole('button')).not.toBeInTheDocument();
    const [, init] = fetchMock.mock.calls.find(([, i]) => i.method === 'PATCH');
    expect(init.body).toBe('{}');
    expect(fetchMock.mock.calls.filter(([url]) => url.startsWith('/tasks?'))).toHaveLength(1);
  });

  it('drops a completed task from the pending view', async () => {
    const user = userEvent.setup();
    installFakeFetch({
      'GET /tasks': [task()],
      'PATCH /tasks/task-1': task({ status: 'completed' }),
    });
    renderWithQueries(<TasksPanel session={session} />);
    await screen.findByText('Write the report');
    await user.click(screen.getByRole('radio', { name: 'Pending' }));
    await user.click(await screen.findByRole('button', { name: /Mark completed/ }));
    expect(await screen.findByText('Nothing pending. Nice work.')).toBeInTheDocument();
  });

  it('loads more when the API sends a next link', async () => {
    const user = userEvent.setup();
    const fetchMock = installFakeFetch({
      'GET /tasks?limit=100': jsonResponse([task({ id: 't2', title: 'Page one' })], {
        headers: { Link: '</tasks?limit=100&cursor=abc>; rel="next"' },
      }),
      'GET /tasks?limit=100&cursor=abc': [task({ id: 't1', title: 'Page two' })],
    });
    renderWithQueries(<TasksPanel session={session} />);
    await user.click(await screen.findByRole('button', { name: 'Load more tasks' }));

    expect(await screen.findByText('Page two')).toBeInTheDocument();
    expect(screen.getByText('Page one')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Load more tasks' })).not.toBeInTheDocument();
    expect(fetchMock.mock.calls.at(-1)[0]).toBe('/tasks?limit=100&cursor=abc');
  });

  it('keeps the list when loading more fails', async () => {
    const user = userEvent.setup();
    installFakeFetch({
      'GET /tasks?limit=100': jsonResponse([task({ id: 't2', title: 'Page one' })], {
        headers: { Link: '</tasks?limit=100&cursor=abc>; rel="next"' },
      }),
      'GET /tasks?limit=100&cursor=abc': jsonResponse({ error: 'unavailable', message: 'Try later.' }, { status: 503 }),
    });
    renderWithQueries(<TasksPanel session={session} />);
    await user.click(await screen.findByRole('button', { name: 'Load more tasks' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load more tasks.');
    expect(alert).toHaveTextContent('Try later.');
    expect(screen.getByText('Page one')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Load more tasks' })).toBeEnabled();
  });

  it('never shows a late answer for a filter no longer chosen', async () => {
    const user = userEvent.setup();
    let answerCompleted;
    installFakeFetch({
      'GET /tasks?limit=100': [task({ title: 'Everything' })],
      'GET /tasks?limit=100&status=completed': () => new Promise((resolve) => (answerCompleted = resolve)),
    });
    renderWithQueries(<TasksPanel session={session} />);
    await screen.findByText('Everything');
    await user.click(screen.getByRole('radio', { name: 'Completed' }));
    expect(await screen.findByText('Loading tasks…')).toBeInTheDocument();
    await user.click(screen.getByRole('radio', { name: 'All' }));
    await screen.findByText('Everything');

    answerCompleted([task({ id: 't7', title: 'Late and completed', status: 'completed' })]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(screen.queryByText('Late and completed')).not.toBeInTheDocument();
    expect(screen.getByText('Everything')).toBeInTheDocument();
  });

  it('puts a new task at the top of another view already loaded', async () => {
    const user = userEvent.setup();
    let allLoads = 0;
    installFakeFetch({
      // The first load answers; a reload stays in flight, so what shows is the cached list.
      'GET /tasks?limit=100': () => (allLoads++ === 0 ? [task({ title: 'Older' })] : new Promise(() => {})),
      'GET /tasks?limit=100&status=pending': [task({ title: 'Older' })],
      'POST /tasks': (req) => jsonResponse(task({ id: 't9', ...req.body }), { status: 201 }),
    });
    renderWithQueries(<TasksPanel session={session} />);
    await screen.findByText('Older');
    await user.click(screen.getByRole('radio', { name: 'Pending' }));
    await screen.findByText('Older');

    await user.type(screen.getByLabelText('Title'), 'Newer');
    await user.click(screen.getByRole('button', { name: 'Add task' }));
    await screen.findByText('Newer');
    await user.click(screen.getByRole('radio', { name: 'All' }));

    const titles = screen.getAllByRole('heading', { level: 3 }).map((heading) => heading.textContent);
    expect(titles).toEqual(['Newer', 'Older']);
  });

  it('shows an API error as an alert', async () => {
    installFakeFetch({
      'GET /tasks': jsonResponse({ error: 'not_found', message: 'Unknown tenant.' }, { status: 404 }),
    });
    renderWithQueries(<TasksPanel session={session} />);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load tasks.');
    expect(alert).toHaveTextContent('Unknown tenant.');
  });

  it('asks for a user before tasks can be added', async () => {
    installFakeFetch({ 'GET /tasks': [] });
    renderWithQueries(<TasksPanel session={{ tenantId: org.id, userId: null }} />);
    expect(screen.getByLabelText('Title')).toBeDisabled();
    expect(screen.getByText(/Choose a user in the top bar/)).toBeInTheDocument();
    await screen.findByText(/No tasks yet/);
  });
});
