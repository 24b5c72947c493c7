import { useRef, useState } from 'react';
import { ErrorAlert } from '../../../components/Alert';
import { StatusBadge } from '../../../components/StatusBadge';
import { Time } from '../../../components/Time';
import { useFocusAfterRender } from '../../../lib/useFocusAfterRender';
import { taskTitleId } from '../taskIds';
import { useSetTaskStatus } from '../useTasks';
import { TaskEditor } from './TaskEditor';

/**
 * One task: its words, who made it, and its actions (complete or reopen,
 * edit, delete). `inView` false: the task no longer matches the list it is in
 * (just completed in the Pending view); it stays, says so, and offers Undo.
 */
export function TaskItem({ task, session, creatorName, inView = true, canDelete, onDelete }) {
  const statusChange = useSetTaskStatus(session);
  const [editing, setEditing] = useState(false);
  const editButton = useRef(null);
  const focusAfterRender = useFocusAfterRender();
  const done = task.status === 'completed';
  const canWrite = Boolean(session.userId);

  function finishEditing() {
    setEditing(false);
    // The editor goes away with the focus in it: focus goes back to the Edit button.
    focusAfterRender(() => editButton.current);
  }

  let toggleLabel = 'Mark completed';
  if (done) toggleLabel = inView ? 'Reopen' : 'Undo';

  return (
    <li className={`task${done ? ' task-done' : ''}${inView ? '' : ' task-leaving'}`}>
      <div className="task-main">
        {editing ? (
          <TaskEditor task={task} session={session} onDone={finishEditing} />
        ) : (
          <>
            <h3 className="task-title" id={taskTitleId(task)} tabIndex={-1}>
              {task.title}
            </h3>
            {task.description && <p className="task-description">{task.description}</p>}
          </>
        )}
        <p className="task-meta">
          <span>
            Created{creatorName && <> by {creatorName}</>} <Time value={task.createdAt} />
          </span>
          {done && task.completedAt && (
            <span>
              Completed <Time value={task.completedAt} />
            </span>
          )}
        </p>
        {!inView && <p className="task-leaving-note">Completed: it leaves this view at the next refresh.</p>}
        <ErrorAlert error={statusChange.error} title="Could not save the change." />
      </div>
      <div className="task-side">
        <StatusBadge status={task.status} />
        {canWrite && !editing && (
          <div className="task-actions">
            {/* One button whose words change, so focus stays on it from "Mark completed" to "Undo". */}
            <button
              type="button"
              className="button button-small"
              onClick={() => statusChange.mutate({ task, status: done ? 'pending' : 'completed' })}
              aria-label={`${toggleLabel}: ${task.title}`}
            >
              {toggleLabel}
            </button>
            <button
              ref={editButton}
              type="button"
              className="button button-small"
              onClick={() => setEditing(true)}
              aria-label={`Edit: ${task.title}`}
            >
              Edit
            </button>
            {canDelete && (
              <button
                type="button"
                className="button button-small button-danger"
                onClick={() => onDelete(task)}
                aria-label={`Delete: ${task.title}`}
              >
                Delete
              </button>
            )}
          </div>
        )}
      </div>
    </li>
  );
}
