import { useState } from 'react';
import { ErrorAlert } from '../../../components/Alert';
import { Field } from '../../../components/Field';
import { useSubmit } from '../../../lib/useSubmit';
import { useTenancy } from '../useTenancy';

const EMPTY = { name: '', email: '', role: 'member' };

/** Add a user with a role to the selected tenant. */
export function UserForm() {
  const { tenant, addUser } = useTenancy();
  const { formRef, run, pending, error, fieldErrors } = useSubmit();
  const [fields, setFields] = useState(EMPTY);
  const [created, setCreated] = useState(null);

  const change = (key) => (event) => setFields((prev) => ({ ...prev, [key]: event.target.value }));

  async function handleSubmit(event) {
    event.preventDefault();
    setCreated(null);
    await run(async () => {
      const user = await addUser({ name: fields.name.trim(), email: fields.email.trim(), role: fields.role });
      setCreated(user);
      setFields(EMPTY);
    });
  }

  return (
    <form ref={formRef} className="card form" onSubmit={handleSubmit} noValidate>
      <h2>Add a user{tenant ? ` to ${tenant.name}` : ''}</h2>
      <ErrorAlert error={error} ignoreFields={['name', 'email', 'role']} />
      <fieldset disabled={!tenant} className="plain-fieldset">
        <Field label="Name" errors={fieldErrors.name}>
          <input value={fields.name} autoComplete="name" onChange={change('name')} />
        </Field>
        <Field label="Email" errors={fieldErrors.email}>
          <input type="email" value={fields.email} autoComplete="email" onChange={change('email')} />
        </Field>
        <Field label="Role" errors={fieldErrors.role}>
          <select value={fields.role} onChange={change('role')}>
            <option value="member">Member</option>
            <option value="admin">Admin</option>
          </select>
        </Field>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={pending}>
            {pending ? 'Adding…' : 'Add user'}
          </button>
          {created && (
            <p role="status" className="form-success">
              Added {created.name} as {created.role}.
            </p>
          )}
        </div>
      </fieldset>
      {!tenant && <p className="muted">Create or choose an organization first.</p>}
    </form>
  );
}
