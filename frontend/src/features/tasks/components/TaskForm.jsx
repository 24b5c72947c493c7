import { useState } from 'react';
import { ErrorAlert } from '../../../components/Alert';
import { Field } from '../../../components/Field';
import { useSubmit } from '../../../lib/useSubmit';
import { useCreateTask } from '../useTasks';

/** Add a task; the API's field errors are shown next to the fields. */
export function TaskForm({ session }) {
  const createTask = useCreateTask(session);
  const { formRef, run, pending, error, fieldErrors } = useSubmit();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const canWrite = Boolean(session.userId);

  async function handleSubmit(event) {
    event.preventDefault();
    await run(async () => {
      await createTask.mutateAsync({ title, description: description.trim() ? description : null });
      setTitle('');
      setDescription('');
    });
  }

  return (
    <form ref={formRef} className="card form" onSubmit={handleSubmit} noValidate aria-labelledby="task-form-heading">
      <h2 id="task-form-heading">New task</h2>
      <ErrorAlert error={error} ignoreFields={['title', 'description']} />
      <fieldset disabled={!canWrite} className="plain-fieldset">
        <Field label="Title" errors={fieldErrors.title}>
          <input value={title} autoComplete="off" onChange={(event) => setTitle(event.target.value)} />
        </Field>
        <Field label="Description" errors={fieldErrors.description}>
          <textarea rows={3} value={description} onChange={(event) => setDescription(event.target.value)} />
        </Field>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={pending}>
            {pending ? 'Adding…' : 'Add task'}
          </button>
        </div>
      </fieldset>
      {!canWrite && <p className="muted">Choose a user in the top bar to add and complete tasks.</p>}
    </form>
  );
}
