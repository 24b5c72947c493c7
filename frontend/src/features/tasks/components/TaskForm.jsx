import { useRef, useState } from 'react';
import { ErrorAlert } from '../../../components/Alert';
import { Field } from '../../../components/Field';
import { LIMITS } from '../../../lib/limits';
import { useSubmit } from '../../../lib/useSubmit';
import { useCreateTask } from '../useTasks';

const REQUIRED = { title: 'Enter a title.' };

/** Add a task; problems are shown next to their fields. `onClose` (narrow screens) hides the form. */
export function TaskForm({ session, onClose, titleRef }) {
  const createTask = useCreateTask(session);
  const { formRef, run, pending, error, fieldErrors } = useSubmit(REQUIRED);
  const ownTitleRef = useRef(null);
  const title = titleRef ?? ownTitleRef;
  const [fields, setFields] = useState({ title: '', description: '' });
  const canWrite = Boolean(session.userId);

  async function handleSubmit(event) {
    event.preventDefault();
    await run(fields, async () => {
      const description = fields.description.trim() ? fields.description : null;
      await createTask.mutateAsync({ title: fields.title, description });
      setFields({ title: '', description: '' });
      // Ready for the next task.
      title.current?.focus();
    });
  }

  const change = (key) => (event) => setFields((prev) => ({ ...prev, [key]: event.target.value }));

  return (
    <form
      ref={formRef}
      id="new-task"
      className="card form"
      onSubmit={handleSubmit}
      noValidate
      aria-labelledby="task-form-heading"
    >
      <div className="form-head">
        <h2 id="task-form-heading">New task</h2>
        {onClose && (
          <button type="button" className="button button-small" onClick={onClose}>
            Close
          </button>
        )}
      </div>
      <ErrorAlert error={error} title="Could not add the task." ignoreFields={['title', 'description']} />
      <fieldset disabled={!canWrite} className="plain-fieldset">
        <Field label="Title" errors={fieldErrors.title} required>
          <input
            ref={title}
            value={fields.title}
            maxLength={LIMITS.title}
            autoComplete="off"
            onChange={change('title')}
          />
        </Field>
        <Field label="Description" hint="Optional." errors={fieldErrors.description}>
          <textarea
            rows={3}
            value={fields.description}
            maxLength={LIMITS.description}
            onChange={change('description')}
          />
        </Field>
        <div className="form-actions">
          <button type="submit" className="button button-primary" aria-disabled={pending || undefined}>
            {pending ? 'Adding…' : 'Add task'}
          </button>
        </div>
      </fieldset>
      {!canWrite && <p className="muted">Choose a user in the top bar to add and change tasks.</p>}
    </form>
  );
}
