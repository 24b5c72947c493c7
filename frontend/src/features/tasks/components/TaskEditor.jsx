import { useState } from 'react';
import { ErrorAlert } from '../../../components/Alert';
import { Field } from '../../../components/Field';
import { LIMITS } from '../../../lib/limits';
import { useSubmit } from '../../../lib/useSubmit';
import { useUpdateTask } from '../useTasks';

const REQUIRED = { title: 'Enter a title.' };

/** Edit a task's title and description in place; Escape or Cancel leaves it as it was. */
export function TaskEditor({ task, session, onDone }) {
  const update = useUpdateTask(session);
  const { formRef, run, pending, error, fieldErrors } = useSubmit(REQUIRED);
  const [fields, setFields] = useState({ title: task.title, description: task.description ?? '' });

  async function handleSubmit(event) {
    event.preventDefault();
    await run(fields, async () => {
      const changes = { title: fields.title, description: fields.description.trim() ? fields.description : null };
      await update.mutateAsync({ id: task.id, changes });
      onDone();
    });
  }

  const change = (key) => (event) => setFields((prev) => ({ ...prev, [key]: event.target.value }));

  return (
    <form
      ref={formRef}
      className="form task-editor"
      onSubmit={handleSubmit}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          onDone();
        }
      }}
      noValidate
      aria-label={`Edit task: ${task.title}`}
    >
      <ErrorAlert error={error} title="Could not save the task." ignoreFields={['title', 'description']} />
      <Field label="Title" errors={fieldErrors.title} required>
        {/* The editor opens on request (Edit), so focus belongs in it. */}
        <input autoFocus value={fields.title} maxLength={LIMITS.title} autoComplete="off" onChange={change('title')} />
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
        <button type="submit" className="button button-primary button-small" aria-disabled={pending || undefined}>
          {pending ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="button button-small" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
