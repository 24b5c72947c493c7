import { useMemo, useRef, useState } from 'react';
import { ErrorAlert } from '../../../components/Alert';
import { Toast } from '../../../components/Toast';
import { useFocusAfterRender } from '../../../lib/useFocusAfterRender';
import { useMediaQuery } from '../../../lib/useMediaQuery';
import { COUNT_CAP, formatCount } from '../countFormat';
import { taskTitleId } from '../taskIds';
import { useDeleteWithUndo } from '../useDeleteWithUndo';
import { matchesFilter, useTaskCounts, useTaskList } from '../useTasks';
import { TaskFilters } from './TaskFilters';
import { TaskForm } from './TaskForm';
import { TaskItem } from './TaskItem';

// Below this width the list comes first and the form opens from a "New task" button.
export const NARROW = '(max-width: 859px)';

const EMPTY_TEXT = {
  '': 'No tasks yet. Add the first one with the form.',
  pending: 'Nothing pending. Nice work.',
  completed: 'No completed tasks yet.',
};

const emptyText = (status, narrow) =>
  !status && narrow ? 'No tasks yet. Add the first one with “New task”.' : EMPTY_TEXT[status];

/** Counts with the tasks hidden here (deleted, Undo still possible) already taken off. */
function withoutHidden(counts, hidden) {
  if (!counts || counts.capped) return counts;
  const result = { ...counts };
  for (const task of hidden) {
    result.total -= 1;
    result[task.status] -= 1;
  }
  return result;
}

/**
 * The Tasks tab: search, status filter with counts, the list with its actions,
 * and the add form. `filters` `{q, status}` come from the URL; `onFiltersChange`
 * takes what changed. `users` name the creators when the API does not.
 */
export function TasksPanel({ session, isAdmin = false, users = null, filters, onFiltersChange, undoMs }) {
  const { q = '', status = '' } = filters ?? {};
  const narrow = useMediaQuery(NARROW);
  const [formOpen, setFormOpen] = useState(false);
  const list = useTaskList(session.tenantId, { status, q });
  const deletion = useDeleteWithUndo(session, { undoMs });
  const counts = withoutHidden(useTaskCounts(session.tenantId, q), deletion.hidden);
  const focusAfterRender = useFocusAfterRender();
  const headingRef = useRef(null);
  const newTaskButton = useRef(null);
  const titleRef = useRef(null);
  const namesById = useMemo(() => new Map((users ?? []).map((user) => [user.id, user.name])), [users]);

  const hiddenIds = new Set(deletion.hidden.map((task) => task.id));
  const items = list.items.filter((task) => !hiddenIds.has(task.id));
  const filter = { status, q };
  const viewCount = counts ? counts[status || 'total'] : null;
  const loadedInView = items.filter((task) => matchesFilter(task, filter)).length;
  const remaining = viewCount == null ? null : Math.max(viewCount - loadedInView, 0);
  const capped = Boolean(counts?.capped && viewCount >= COUNT_CAP);
  let loadMoreLabel = 'Load more tasks';
  if (list.loadingMore) loadMoreLabel = 'Loading…';
  else if (remaining > 0 && !capped) loadMoreLabel = `Load more (${formatCount(remaining)} remaining)`;

  function handleDelete(task) {
    const index = items.indexOf(task);
    const neighbour = items[index + 1] ?? items[index - 1];
    deletion.remove(task);
    // Focus goes to the next task (or the one before), else to the list's heading.
    focusAfterRender(() => (neighbour && document.getElementById(taskTitleId(neighbour))) || headingRef.current);
  }

  function handleUndo() {
    const task = deletion.undo();
    if (task) focusAfterRender(() => document.getElementById(taskTitleId(task)));
  }

  function openForm() {
    setFormOpen(true);
    focusAfterRender(() => titleRef.current);
  }

  function closeForm() {
    setFormOpen(false);
    focusAfterRender(() => newTaskButton.current);
  }

  const creatorName = (task) => task.createdByName ?? namesById.get(task.createdBy) ?? null;
  const canDelete = (task) => isAdmin || task.createdBy === session.userId;

  return (
    <div className="grid-tasks">
      {(!narrow || formOpen) && (
        <TaskForm session={session} titleRef={titleRef} onClose={narrow ? closeForm : undefined} />
      )}
      <section className="card" aria-labelledby="task-list-heading">
        <div className="section-head">
          <h2 id="task-list-heading" ref={headingRef} tabIndex={-1}>
            Tasks
          </h2>
          {narrow && !formOpen && (
            <button
              ref={newTaskButton}
              type="button"
              className="button button-primary"
              onClick={openForm}
              aria-controls="new-task"
              aria-expanded="false"
            >
              New task
            </button>
          )}
        </div>
        <TaskFilters q={q} status={status} counts={counts} onChange={onFiltersChange} />
        <p role="status" className="list-summary">
          {list.searching && 'Searching…'}
          {!list.searching && q && viewCount != null && (
            <>
              {formatCount(viewCount, capped)} {viewCount === 1 ? 'task matches' : 'tasks match'} “{q}”.
            </>
          )}
        </p>
        <ErrorAlert error={list.error} title="Could not load tasks." onRetry={list.reload} />
        {list.loading && <TaskSkeleton />}
        {!list.loading && !list.error && items.length === 0 && (
          <div className="empty">
            <p>{q ? `No tasks match “${q}”.` : emptyText(status, narrow)}</p>
            {q && (
              <button type="button" className="button button-small" onClick={() => onFiltersChange({ q: '' })}>
                Clear the search
              </button>
            )}
          </div>
        )}
        {items.length > 0 && (
          <ul className={`task-list${list.searching ? ' task-list-stale' : ''}`} aria-busy={list.searching}>
            {items.map((task) => (
              <TaskItem
                key={task.id}
                task={task}
                session={session}
                creatorName={creatorName(task)}
                inView={matchesFilter(task, filter)}
                canDelete={canDelete(task)}
                onDelete={handleDelete}
              />
            ))}
          </ul>
        )}
        <ErrorAlert error={list.moreError} title="Could not load more tasks." />
        {list.hasMore && (
          <div className="load-more">
            {viewCount != null && (
              <p className="muted">
                {formatCount(loadedInView)} of {formatCount(viewCount, capped)} shown
              </p>
            )}
            <button type="button" className="button" onClick={list.loadMore} disabled={list.loadingMore}>
              {loadMoreLabel}
            </button>
          </div>
        )}
      </section>
      <Toast
        label="Deleted task"
        actionLabel="Undo"
        onAction={deletion.waiting ? handleUndo : undefined}
        onPause={deletion.pause}
        onResume={deletion.resume}
      >
        {deletion.waiting && <>Deleted “{deletion.waiting.title}”.</>}
      </Toast>
      {deletion.failedTask && (
        <div className="toast-region toast-region-error">
          <div className="toast toast-error" role="alert">
            <span className="toast-text">
              Could not delete “{deletion.failedTask.title}”: {deletion.error.message}
            </span>
            <button type="button" className="button button-small" onClick={deletion.dismissError}>
              Dismiss
            </button>
          </div>
        </div>
      )}
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
