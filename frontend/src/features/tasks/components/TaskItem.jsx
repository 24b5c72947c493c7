import { useState } from 'react';
import { ErrorAlert } from '../../../components/Alert';
import { StatusBadge } from '../../../components/StatusBadge';
import { Time } from '../../../components/Time';
import { completeTask } from '../api/tasks';

/** One task with its "Mark completed" button. */
export function TaskItem({ task, session, onUpdated }) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState(null);
  const done = task.status === 'completed';

  async function markCompleted() {
    setPending(true);
    setError(null);
    try {
      onUpdated(await completeTask(session, task.id));
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  }

  return (
    <li className={`task${done ? ' task-done' : ''}`}>
      <div className="task-main">
        <h3 className="task-title">{task.title}</h3>
        {task.description && <p className="task-description">{task.description}</p>}
        <p className="task-meta">
          <span>
            Created <Time value={task.createdAt} />
          </span>
          {done && task.completedAt && (
            <span>
              Completed <Time value={task.completedAt} />
            </span>
          )}
        </p>
        <ErrorAlert error={error} />
      </div>
      <div className="task-side">
        <StatusBadge status={task.status} />
        {!done && (
          <button
            type="button"
            className="button button-small"
            onClick={markCompleted}
            disabled={pending || !session.userId}
            aria-label={`Mark completed: ${task.title}`}
          >
            {pending ? 'Saving…' : 'Mark completed'}
          </button>
        )}
      </div>
    </li>
  );
}
