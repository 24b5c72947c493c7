import { ErrorAlert } from '../../../components/Alert';
import { StatusBadge } from '../../../components/StatusBadge';
import { Time } from '../../../components/Time';
import { useCompleteTask } from '../useTasks';

/** One task with its "Mark completed" button. */
export function TaskItem({ task, session }) {
  const completion = useCompleteTask(session);
  const done = task.status === 'completed';

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
        <ErrorAlert error={completion.error} />
      </div>
      <div className="task-side">
        <StatusBadge status={task.status} />
        {!done && (
          <button
            type="button"
            className="button button-small"
            onClick={() => completion.mutate(task.id)}
            disabled={completion.isPending || !session.userId}
            aria-label={`Mark completed: ${task.title}`}
          >
            {completion.isPending ? 'Saving…' : 'Mark completed'}
          </button>
        )}
      </div>
    </li>
  );
}
