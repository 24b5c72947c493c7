import { useState } from 'react';
import { ErrorAlert } from '../../../components/Alert';
import { useTaskList } from '../useTasks';
import { TaskForm } from './TaskForm';
import { TaskItem } from './TaskItem';

const FILTERS = [
  { value: '', label: 'All' },
  { value: 'pending', label: 'Pending' },
  { value: 'completed', label: 'Completed' },
];

const EMPTY_TEXT = {
  '': 'No tasks yet. Add the first one with the form.',
  pending: 'Nothing pending. Nice work.',
  completed: 'No completed tasks yet.',
};

/** The Tasks tab: the add form, the status filter and the list. */
export function TasksPanel({ session }) {
  const [status, setStatus] = useState('');
  const list = useTaskList(session.tenantId, status);

  return (
    <div className="grid-tasks">
      <TaskForm session={session} />
      <section className="card" aria-labelledby="task-list-heading">
        <div className="section-head">
          <h2 id="task-list-heading">Tasks</h2>
          <fieldset className="segmented">
            <legend className="segmented-legend">Show</legend>
            {FILTERS.map((filter) => (
              <label key={filter.value} className="segment">
                <input
                  type="radio"
                  name="task-status"
                  value={filter.value}
                  checked={status === filter.value}
                  onChange={() => setStatus(filter.value)}
                />
                <span>{filter.label}</span>
              </label>
            ))}
          </fieldset>
        </div>
        <ErrorAlert error={list.error} title="Could not load tasks." onRetry={list.reload} />
        {list.loading && <TaskSkeleton />}
        {!list.loading && !list.error && list.items.length === 0 && <p className="empty">{EMPTY_TEXT[status]}</p>}
        {list.items.length > 0 && (
          <ul className="task-list">
            {list.items.map((task) => (
              <TaskItem key={task.id} task={task} session={session} />
            ))}
          </ul>
        )}
        <ErrorAlert error={list.moreError} title="Could not load more tasks." />
        {list.hasMore && (
          <div className="load-more">
            <button type="button" className="button" onClick={list.loadMore} disabled={list.loadingMore}>
              {list.loadingMore ? 'Loading…' : 'Load more tasks'}
            </button>
          </div>
        )}
      </section>
    </div>
  );
}

function TaskSkeleton() {
  return (
    <div role="status" aria-live="polite">
      <span className="visually-hidden">Loading tasks…</span>
      <ul className="task-list" aria-hidden="true">
        {[0, 1, 2].map((key) => (
          <li key={key} className="task task-skeleton" />
        ))}
      </ul>
    </div>
  );
}
