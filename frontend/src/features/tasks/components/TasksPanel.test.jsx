import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { installFakeApi } from '../../../test/fakeApi';
import { installFakeFetch, jsonResponse } from '../../../test/fakeFetch';
import { admin, member, org, task } from '../../../test/fixtures';
import { renderWithQueries } from '../../../test/render';
import { TasksPanel } from './TasksPanel';

const session = { tenantId: org.id, userId: admin.id };

/** The panel with its filters held as the URL would hold them; `onFiltersChange` is reported to `spy`. */
function Harness({ initialFilters, spy, ...props }) {
  const [filters, setFilters] = useState({ q: '', status: '', ...initialFilters });
  return (
    <TasksPanel
      session={session}
      isAdmin
      users={[admin, member]}
      filters={filters}
      onFiltersChange={(changes) => {
        spy?.(changes);
        setFilters((prev) => ({ ...prev, ...changes }));
      }}
      {...props}
    />
  );
}

function renderPanel(props = {}, clientOptions) {
  return renderWithQueries(<Harness {...props} />, clientOptions);
}

/** The fake server with one organization holding `tasks` (newest first). */
function api(tasks, options = {}) {
  return installFakeApi({ organizations: [{ ...org, users: [admin, member], tasks }], ...options });
}

const titles = () => screen.queryAllByRole('heading', { level: 3 }).map((heading) => heading.textContent);

const manyTasks = (count, overrides = () => ({})) =>
  Array.from({ length: count }, (_, index) => task({ id: `t${count - index}`, title: `Task ${count - index}`, ...overrides(index) }));

describe('TasksPanel: the list', () => {
  it('lists tasks with title, description, status, created time and creator', async () => {
    api([
      task({ id: 't2', title: 'Newest', description: 'Second line', createdBy: member.id }),
      task({ id: 't1', title: 'Oldest', status: 'completed', completedAt: '2026-11-29T13:00:00.000Z' }),
    ]);
    renderPanel();
    expect(screen.getByText('Loading tasks…')).toBeInTheDocument();

    const items = within(await screen.findByRole('list')).getAllByRole('listitem');
    expect(titles()).toEqual(['Newest', 'Oldest']);
    expect(items[0]).toHaveTextContent('Second line');
    expect(items[0]).toHaveTextContent('Pending');
    expect(items[0]).toHaveTextContent('Created by Max Member');
    expect(items[0].querySelector('time')).toHaveAttribute('datetime', '2026-11-29T11:00:00.000Z');
    expect(items[1]).toHaveTextContent('Created by Ada Admin');
    expect(items[1]).toHaveTextContent('Completed');
    expect(within(items[1]).getByRole('button', { name: 'Reopen: Oldest' })).toBeInTheDocument();
  });

  it('names the creator from the organization’s users when the server does not', async () => {
    api([task({ createdBy: member.id })], { legacy: true });
    renderPanel();
    expect(await screen.findByText(/Created by Max Member/)).toBeInTheDocument();
  });

  it('shows an empty state', async () => {
    api([]);
    renderPanel();
    expect(await screen.findByText(/No tasks yet/)).toBeInTheDocument();
  });

  it('sends the tenant header and filters by status', async () => {
    const user = userEvent.setup();
    const fake = api([task(), task({ id: 't2', title: 'Done', status: 'completed' })]);
    const spy = vi.fn();
    renderPanel({ spy });
    await screen.findByText('Write the report');

    await user.click(screen.getByRole('radio', { name: /^Completed/ }));

    await waitFor(() => expect(titles()).toEqual(['Done']));
    expect(spy).toHaveBeenLastCalledWith({ status: 'completed' });
    expect(fake.requestsLike(/^GET \/tasks\?/).at(-1)).toBe('GET /tasks?limit=100&status=completed');
    const [, init] = fake.fetchMock.mock.calls.at(-1);
    expect(init.headers['x-tenant-id']).toBe(org.id);
  });

  it('shows the counts on the filter pills', async () => {
    api([task({ id: 't3' }), task({ id: 't2' }), task({ id: 't1', status: 'completed' })]);
    renderPanel();
    expect(await screen.findByRole('radio', { name: 'All 3' })).toBeChecked();
    expect(screen.getByRole('radio', { name: 'Pending 2' })).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'Completed 1' })).toBeInTheDocument();
  });

  it('shows a capped count of a search as 500+', async () => {
    installFakeFetch({
      'GET /tasks': [task()],
      'GET /tasks/counts': { total: 500, pending: 500, completed: 42, capped: true },
    });
    renderPanel({ initialFilters: { q: 'report' } });
    expect(await screen.findByRole('radio', { name: 'All 500+' })).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'Pending 500+' })).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'Completed 42' })).toBeInTheDocument();
    expect(screen.getByText('500+ tasks match “report”.')).toBeInTheDocument();
  });

  it('shows the pills without counts when the server has none', async () => {
    api([task()], { legacy: true });
    renderPanel();
    await screen.findByText('Write the report');
    expect(screen.getByRole('radio', { name: 'All' })).toBeChecked();
  });

  it('says how many remain when loading more, from the counts', { timeout: 20_000 }, async () => {
    const user = userEvent.setup();
    const fake = api(manyTasks(230));
    renderPanel();
    // Text queries: role queries over hundreds of tasks are slow in jsdom.
    const more = await screen.findByText('Load more (130 remaining)');
    expect(screen.getByText('100 of 230 shown')).toBeInTheDocument();

    await user.click(more);
    await user.click(await screen.findByText('Load more (30 remaining)'));

    await waitFor(() => expect(document.querySelectorAll('.task')).toHaveLength(230));
    expect(screen.queryByText(/Load more/)).not.toBeInTheDocument();
    expect(fake.requestsLike(/^GET \/tasks\?/).at(-1)).toBe('GET /tasks?limit=100&cursor=200');
  });

  it('keeps the list when loading more fails', async () => {
    const user = userEvent.setup();
    installFakeFetch({
      'GET /tasks?limit=100': jsonResponse([task({ id: 't2', title: 'Page one' })], {
        headers: { Link: '</tasks?limit=100&cursor=abc>; rel="next"' },
      }),
      'GET /tasks?limit=100&cursor=abc': jsonResponse({ error: 'unavailable', message: 'Try later.' }, { status: 503 }),
    });
    renderPanel();
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
    renderPanel();
    await screen.findByText('Everything');
    await user.click(screen.getByRole('radio', { name: /^Completed/ }));
    expect(await screen.findByText('Loading tasks…')).toBeInTheDocument();
    await user.click(screen.getByRole('radio', { name: /^All/ }));
    await screen.findByText('Everything');

    answerCompleted(jsonResponse([task({ id: 't7', title: 'Late and completed', status: 'completed' })]));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(screen.queryByText('Late and completed')).not.toBeInTheDocument();
    expect(screen.getByText('Everything')).toBeInTheDocument();
  });

  it('shows an API error as an alert', async () => {
    installFakeFetch({
      'GET /tasks': jsonResponse({ error: 'not_found', message: 'Unknown organization.' }, { status: 404 }),
    });
    renderPanel();
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load tasks.');
    expect(alert).toHaveTextContent('Unknown organization.');
  });

  it('fetches the list again on its own, so tasks made elsewhere appear', async () => {
    const fake = api([task({ title: 'Mine' })]);
    renderPanel({}, { refreshMs: 50 });
    await screen.findByText('Mine');
    fake.addTask(org.id, task({ id: 't9', title: 'Made in another browser' }));
    expect(await screen.findByText('Made in another browser')).toBeInTheDocument();
  });
});

describe('TasksPanel: search', () => {
  it('searches once typing pauses, keeps the text in the filters, and says how many match', async () => {
    const user = userEvent.setup();
    const fake = api([
      task({ id: 't3', title: 'Quarterly report' }),
      task({ id: 't2', title: 'Call the bank', description: 'About the REPORT' }),
      task({ id: 't1', title: 'Water the plants' }),
    ]);
    const spy = vi.fn();
    renderPanel({ spy });
    await screen.findByText('Water the plants');

    await user.type(screen.getByRole('searchbox', { name: 'Search tasks' }), 'report');

    await waitFor(() => expect(titles()).toEqual(['Quarterly report', 'Call the bank']));
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy).toHaveBeenCalledWith({ q: 'report' });
    expect(fake.requestsLike(/q=/)).toEqual(['GET /tasks?limit=100&q=report', 'GET /tasks/counts?q=report']);
    expect(await screen.findByText('2 tasks match “report”.')).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'All 2' })).toBeChecked();
  });

  it('says when nothing matches and clears the search', async () => {
    const user = userEvent.setup();
    api([task()]);
    const spy = vi.fn();
    renderPanel({ spy, initialFilters: { q: 'nothing like it' } });
    expect(await screen.findByText('No tasks match “nothing like it”.')).toBeInTheDocument();
    expect(screen.getByRole('searchbox')).toHaveValue('nothing like it');

    await user.click(screen.getByRole('button', { name: 'Clear the search' }));

    expect(await screen.findByText('Write the report')).toBeInTheDocument();
    expect(spy).toHaveBeenCalledWith({ q: '' });
    expect(screen.getByRole('searchbox')).toHaveValue('');
  });

  it('limits the search text to 200 characters', async () => {
    api([]);
    renderPanel();
    expect(screen.getByRole('searchbox')).toHaveAttribute('maxlength', '200');
  });
});

describe('TasksPanel: adding', () => {
  it('adds a task to the top of the list, counts it and puts focus back on the title', async () => {
    const user = userEvent.setup();
    const fake = api([task()]);
    renderPanel();
    await screen.findByRole('radio', { name: 'All 1' });

    await user.type(screen.getByLabelText('Title'), 'Call the bank');
    await user.type(screen.getByLabelText('Description'), 'Before noon');
    await user.click(screen.getByRole('button', { name: 'Add task' }));

    await waitFor(() => expect(titles()[0]).toBe('Call the bank'));
    expect(screen.getByLabelText('Title')).toHaveValue('');
    expect(screen.getByLabelText('Title')).toHaveFocus();
    expect(screen.getByRole('radio', { name: 'All 2' })).toBeInTheDocument();
    const [, init] = fake.fetchMock.mock.calls.find(([, i]) => i.method === 'POST');
    expect(JSON.parse(init.body)).toEqual({ title: 'Call the bank', description: 'Before noon' });
    expect(init.headers).toMatchObject({ 'x-tenant-id': org.id, 'x-user-id': admin.id });
  });

  it('asks for a title before sending anything', async () => {
    const user = userEvent.setup();
    const fake = api([]);
    renderPanel();
    await user.type(screen.getByLabelText('Title'), '   ');
    await user.click(screen.getByRole('button', { name: 'Add task' }));

    const title = screen.getByLabelText('Title');
    expect(title).toHaveAccessibleDescription('Enter a title.');
    expect(title).toHaveAttribute('aria-invalid', 'true');
    expect(title).toHaveFocus();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(fake.requestsLike(/^POST/)).toEqual([]);
  });

  it('shows the server’s field errors at their field, with no banner above them', async () => {
    const user = userEvent.setup();
    installFakeFetch({
      'GET /tasks': [],
      'POST /tasks': jsonResponse(
        {
          error: 'validation_error',
          message: 'The request has invalid fields.',
          errors: { description: ['Text holds a character PostgreSQL cannot store.'] },
        },
        { status: 400 },
      ),
    });
    renderPanel();
    await user.type(screen.getByLabelText('Title'), 'Fine');
    await user.type(screen.getByLabelText('Description'), 'Not fine');
    await user.click(screen.getByRole('button', { name: 'Add task' }));

    const description = screen.getByLabelText('Description');
    await waitFor(() => expect(description).toHaveAttribute('aria-invalid', 'true'));
    expect(description).toHaveAccessibleDescription(expect.stringContaining('cannot store'));
    expect(description).toHaveFocus();
    expect(screen.queryByText('The request has invalid fields.')).not.toBeInTheDocument();
    expect(screen.getByLabelText('Title')).not.toHaveAttribute('aria-invalid');
  });

  it('puts an empty title refused by the server in the form’s words', async () => {
    const user = userEvent.setup();
    installFakeFetch({
      'GET /tasks': [],
      'POST /tasks': jsonResponse(
        { error: 'validation_error', message: 'Invalid.', errors: { title: ['Length must be between 1 and 200.'] } },
        { status: 400 },
      ),
    });
    renderPanel();
    // A character the browser trims but the form does not see as blank cannot reach here; a server
    // that calls "\u200b" blank still gets the form's words for what the user sees as an empty title.
    await user.type(screen.getByLabelText('Title'), 'x');
    await user.clear(screen.getByLabelText('Title'));
    await user.type(screen.getByLabelText('Title'), 'ok');
    await user.click(screen.getByRole('button', { name: 'Add task' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Title')).toHaveAccessibleDescription('Length must be between 1 and 200.'),
    );
  });

  it('limits the fields to the API’s lengths and counts the characters near the limit', async () => {
    const user = userEvent.setup();
    api([]);
    renderPanel();
    const title = screen.getByLabelText('Title');
    expect(title).toHaveAttribute('maxlength', '200');
    expect(screen.getByLabelText('Description')).toHaveAttribute('maxlength', '10000');

    await user.click(title);
    await user.paste('x'.repeat(159));
    expect(screen.queryByText(/of 200 characters/)).not.toBeInTheDocument();
    await user.type(title, 'x');
    expect(title).toHaveAccessibleDescription('160 of 200 characters');
  });

  it('asks for a user before tasks can be added or changed', async () => {
    api([task()]);
    renderWithQueries(
      <TasksPanel session={{ tenantId: org.id, userId: null }} filters={{ q: '', status: '' }} onFiltersChange={() => {}} />,
    );
    expect(screen.getByLabelText('Title')).toBeDisabled();
    expect(screen.getByText(/Choose a user in the top bar/)).toBeInTheDocument();
    await screen.findByText('Write the report');
    expect(within(screen.getByRole('listitem')).queryByRole('button')).not.toBeInTheDocument();
  });
});

describe('TasksPanel: completing and reopening', () => {
  it('marks a task completed at once, keeping focus on the same button, now Reopen', async () => {
    const user = userEvent.setup();
    const fake = api([task()]);
    renderPanel();

    await user.click(await screen.findByRole('button', { name: 'Mark completed: Write the report' }));

    const item = screen.getByRole('listitem');
    expect(item).toHaveTextContent('Completed');
    expect(within(item).getByRole('button', { name: 'Reopen: Write the report' })).toHaveFocus();
    await waitFor(() => expect(fake.tasksOf(org.id)[0].status).toBe('completed'));
    const [, init] = fake.fetchMock.mock.calls.find(([, i]) => i.method === 'PATCH');
    expect(init.body).toBe('{}');
    await waitFor(() => expect(screen.getByRole('radio', { name: 'Completed 1' })).toBeInTheDocument());
  });

  it('keeps a task just completed in the Pending view, with Undo, until the next refresh', async () => {
    const user = userEvent.setup();
    const fake = api([task()]);
    renderPanel({ initialFilters: { status: 'pending' } });

    await user.click(await screen.findByRole('button', { name: 'Mark completed: Write the report' }));

    const item = screen.getByRole('listitem');
    expect(item).toHaveTextContent('Completed: it leaves this view at the next refresh.');
    const undo = within(item).getByRole('button', { name: 'Undo: Write the report' });
    expect(undo).toHaveFocus();
    await waitFor(() => expect(fake.tasksOf(org.id)[0].status).toBe('completed'));

    await user.click(undo);

    await waitFor(() => expect(fake.tasksOf(org.id)[0].status).toBe('pending'));
    const [, init] = fake.fetchMock.mock.calls.filter(([, i]) => i.method === 'PATCH').at(-1);
    expect(JSON.parse(init.body)).toEqual({ status: 'pending' });
    expect(within(item).getByRole('button', { name: 'Mark completed: Write the report' })).toHaveFocus();
    expect(item).not.toHaveTextContent('leaves this view');
  });

  it('lets a task just completed in the Pending view go at the next refresh', async () => {
    const user = userEvent.setup();
    api([task()]);
    renderPanel({ initialFilters: { status: 'pending' } }, { refreshMs: 100 });
    await user.click(await screen.findByRole('button', { name: 'Mark completed: Write the report' }));
    expect(screen.getByText(/leaves this view/)).toBeInTheDocument();
    expect(await screen.findByText('Nothing pending. Nice work.')).toBeInTheDocument();
  });

  it('reopens a completed task', async () => {
    const user = userEvent.setup();
    const fake = api([task({ status: 'completed', completedAt: '2026-11-29T12:00:00.000Z' })]);
    renderPanel();
    await user.click(await screen.findByRole('button', { name: 'Reopen: Write the report' }));
    await waitFor(() => expect(fake.tasksOf(org.id)[0]).toMatchObject({ status: 'pending', completedAt: null }));
    expect(screen.getByRole('listitem')).toHaveTextContent('Pending');
  });

  it('puts the task back and says why when completing fails', async () => {
    const user = userEvent.setup();
    installFakeFetch({
      'GET /tasks': [task()],
      'PATCH /tasks/task-1': jsonResponse({ error: 'unavailable', message: 'The database is down.' }, { status: 503 }),
    });
    renderPanel();
    await user.click(await screen.findByRole('button', { name: 'Mark completed: Write the report' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The database is down.');
    expect(screen.getByRole('button', { name: 'Mark completed: Write the report' })).toBeInTheDocument();
    expect(screen.getByRole('listitem')).toHaveTextContent('Pending');
  });
});

describe('TasksPanel: editing', () => {
  it('edits the title and description in place and puts focus back on Edit', async () => {
    const user = userEvent.setup();
    const fake = api([task({ description: 'Old words' })]);
    renderPanel();
    await user.click(await screen.findByRole('button', { name: 'Edit: Write the report' }));

    const form = screen.getByRole('form', { name: 'Edit task: Write the report' });
    const title = within(form).getByLabelText('Title');
    expect(title).toHaveFocus();
    expect(title).toHaveValue('Write the report');
    expect(title).toHaveAttribute('maxlength', '200');
    await user.clear(title);
    await user.type(title, 'Write the annual report');
    await user.clear(within(form).getByLabelText('Description'));
    await user.type(within(form).getByLabelText('Description'), 'New words');
    await user.click(within(form).getByRole('button', { name: 'Save' }));

    expect(await screen.findByRole('heading', { name: 'Write the annual report' })).toBeInTheDocument();
    expect(screen.getByText('New words')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Edit: Write the annual report' })).toHaveFocus();
    const [, init] = fake.fetchMock.mock.calls.find(([, i]) => i.method === 'PATCH');
    expect(JSON.parse(init.body)).toEqual({ title: 'Write the annual report', description: 'New words' });
  });

  it('asks for a title and sends nothing when it is cleared', async () => {
    const user = userEvent.setup();
    const fake = api([task()]);
    renderPanel();
    await user.click(await screen.findByRole('button', { name: 'Edit: Write the report' }));
    const form = screen.getByRole('form', { name: /Edit task/ });
    await user.clear(within(form).getByLabelText('Title'));
    await user.click(within(form).getByRole('button', { name: 'Save' }));

    expect(within(form).getByLabelText('Title')).toHaveAccessibleDescription('Enter a title.');
    expect(fake.requestsLike(/^PATCH/)).toEqual([]);
  });

  it('leaves the task as it was on Escape', async () => {
    const user = userEvent.setup();
    const fake = api([task()]);
    renderPanel();
    await user.click(await screen.findByRole('button', { name: 'Edit: Write the report' }));
    await user.type(screen.getByRole('form', { name: /Edit task/ }).querySelector('input'), ' and more');
    await user.keyboard('{Escape}');

    expect(screen.queryByRole('form', { name: /Edit task/ })).not.toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Write the report' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Edit: Write the report' })).toHaveFocus();
    expect(fake.requestsLike(/^PATCH/)).toEqual([]);
  });
});

describe('TasksPanel: deleting with Undo', () => {
  const three = () => [task({ id: 't3', title: 'Third' }), task({ id: 't2', title: 'Second' }), task({ id: 't1', title: 'First' })];

  it('hides the task at once, moves focus to the next one, and sends the DELETE when the Undo window closes', async () => {
    const user = userEvent.setup();
    const fake = api(three());
    renderPanel({ undoMs: 200 });
    await screen.findByRole('radio', { name: 'All 3' });

    await user.click(screen.getByRole('button', { name: 'Delete: Second' }));

    expect(titles()).toEqual(['Third', 'First']);
    expect(screen.getByRole('heading', { name: 'First' })).toHaveFocus();
    expect(screen.getByRole('group', { name: 'Deleted task' })).toHaveTextContent('Deleted “Second”.');
    expect(screen.getByRole('radio', { name: 'All 2' })).toBeInTheDocument();
    expect(fake.requestsLike(/^DELETE/)).toEqual([]);

    await waitFor(() => expect(fake.requestsLike(/^DELETE/)).toEqual(['DELETE /tasks/t2']));
    await waitFor(() => expect(screen.queryByRole('group', { name: 'Deleted task' })).not.toBeInTheDocument());
    expect(fake.tasksOf(org.id).map((t) => t.id)).toEqual(['t3', 't1']);
    expect(titles()).toEqual(['Third', 'First']);
    expect(screen.getByRole('radio', { name: 'All 2' })).toBeInTheDocument();
  });

  it('brings the task back on Undo, sends nothing, and focuses it', async () => {
    const user = userEvent.setup();
    const fake = api(three());
    renderPanel({ undoMs: 300 });
    await screen.findByRole('radio', { name: 'All 3' });
    await user.click(screen.getByRole('button', { name: 'Delete: Second' }));

    await user.click(within(screen.getByRole('group', { name: 'Deleted task' })).getByRole('button', { name: 'Undo' }));

    expect(titles()).toEqual(['Third', 'Second', 'First']);
    expect(screen.getByRole('heading', { name: 'Second' })).toHaveFocus();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(fake.requestsLike(/^DELETE/)).toEqual([]);
    expect(screen.getByRole('radio', { name: 'All 3' })).toBeInTheDocument();
  });

  it('waits while the Undo notice has focus, and sends once focus leaves and the window closes', async () => {
    const user = userEvent.setup();
    const fake = api(three());
    renderPanel({ undoMs: 150 });
    await user.click(await screen.findByRole('button', { name: 'Delete: Second' }));
    within(screen.getByRole('group', { name: 'Deleted task' })).getByRole('button', { name: 'Undo' }).focus();

    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.requestsLike(/^DELETE/)).toEqual([]);

    act(() => screen.getByRole('heading', { name: 'First' }).focus());
    await waitFor(() => expect(fake.requestsLike(/^DELETE/)).toEqual(['DELETE /tasks/t2']));
  });

  it('focuses the list’s heading when the last task goes', async () => {
    const user = userEvent.setup();
    api([task()]);
    renderPanel({ undoMs: 10_000 });
    await user.click(await screen.findByRole('button', { name: 'Delete: Write the report' }));
    expect(screen.getByRole('heading', { name: 'Tasks', level: 2 })).toHaveFocus();
  });

  it('sends a waiting delete at once when another task is deleted', async () => {
    const user = userEvent.setup();
    const fake = api(three());
    renderPanel({ undoMs: 10_000 });
    await user.click(await screen.findByRole('button', { name: 'Delete: Third' }));
    await user.click(screen.getByRole('button', { name: 'Delete: Second' }));
    await waitFor(() => expect(fake.requestsLike(/^DELETE/)).toEqual(['DELETE /tasks/t3']));
    expect(screen.getByRole('group', { name: 'Deleted task' })).toHaveTextContent('Deleted “Second”.');
  });

  it('sends a waiting delete when the page is left, as a keepalive request', async () => {
    const user = userEvent.setup();
    const fake = api(three());
    renderPanel({ undoMs: 10_000 });
    await user.click(await screen.findByRole('button', { name: 'Delete: Third' }));
    act(() => window.dispatchEvent(new Event('pagehide')));
    await waitFor(() => expect(fake.requestsLike(/^DELETE/)).toEqual(['DELETE /tasks/t3']));
    const [, init] = fake.fetchMock.mock.calls.find(([, i]) => i.method === 'DELETE');
    expect(init.keepalive).toBe(true);
  });

  it('brings the task back and says why when the server refuses', async () => {
    const user = userEvent.setup();
    installFakeFetch({
      'GET /tasks': [task()],
      'DELETE /tasks/task-1': jsonResponse({ error: 'forbidden', message: 'Only an admin or its creator may.' }, { status: 403 }),
    });
    renderPanel({ undoMs: 50 });
    await user.click(await screen.findByRole('button', { name: 'Delete: Write the report' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not delete “Write the report”: Only an admin or its creator may.',
    );
    expect(titles()).toEqual(['Write the report']);
  });

  it('offers Delete to a member only on the tasks they created', async () => {
    api([task({ id: 't2', title: 'Theirs' }), task({ id: 't1', title: 'Mine', createdBy: member.id })]);
    renderWithQueries(
      <TasksPanel
        session={{ tenantId: org.id, userId: member.id }}
        users={[admin, member]}
        filters={{ q: '', status: '' }}
        onFiltersChange={() => {}}
      />,
    );
    expect(await screen.findByRole('button', { name: 'Delete: Mine' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Delete: Theirs' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Edit: Theirs' })).toBeInTheDocument();
  });
});

describe('TasksPanel: on a narrow screen', () => {
  function narrowScreen() {
    vi.stubGlobal('matchMedia', (query) => ({
      matches: query === '(max-width: 859px)',
      addEventListener() {},
      removeEventListener() {},
    }));
  }

  it('shows the list first and opens the form with one tap', async () => {
    narrowScreen();
    const user = userEvent.setup();
    api([task()]);
    renderPanel();
    await screen.findByText('Write the report');
    expect(screen.queryByLabelText('Title')).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'New task' }));

    expect(screen.getByLabelText('Title')).toHaveFocus();
    await user.type(screen.getByLabelText('Title'), 'From the phone');
    await user.click(screen.getByRole('button', { name: 'Add task' }));
    await waitFor(() => expect(titles()[0]).toBe('From the phone'));
    expect(screen.getByLabelText('Title')).toHaveFocus();

    await user.click(screen.getByRole('button', { name: 'Close' }));
    expect(screen.queryByLabelText('Title')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'New task' })).toHaveFocus();
  });
});
