import { useEffect, useRef, useState } from 'react';
import { ErrorAlert } from '../../../components/Alert';
import { Field } from '../../../components/Field';
import { LIMITS } from '../../../lib/limits';
import { useSubmit } from '../../../lib/useSubmit';
import { useTenancy } from '../useTenancy';

const EMPTY = { name: '', email: '', role: 'member' };
const REQUIRED = { name: 'Enter a name.', email: 'Enter an email address.' };

/** Add a user with a role to the chosen organization; `focusRequest` (a changing number) puts focus on Name. */
export function UserForm({ focusRequest }) {
  const { tenant, addUser } = useTenancy();
  const { formRef, run, pending, error, fieldErrors } = useSubmit(REQUIRED);
  const [fields, setFields] = useState(EMPTY);
  const [created, setCreated] = useState(null);
  const nameRef = useRef(null);
  const focusHandled = useRef(0);

  // Once a new organization is chosen the fieldset is enabled, and its first field can take focus (once per request).
  const hasTenant = Boolean(tenant);
  useEffect(() => {
    if (focusRequest > focusHandled.current && hasTenant) {
      focusHandled.current = focusRequest;
      nameRef.current?.focus();
    }
  }, [focusRequest, hasTenant]);

  const change = (key) => (event) => setFields((prev) => ({ ...prev, [key]: event.target.value }));

  async function handleSubmit(event) {
    event.preventDefault();
    setCreated(null);
    await run(fields, async () => {
      const user = await addUser({ name: fields.name.trim(), email: fields.email.trim(), role: fields.role });
      setCreated(user);
      setFields(EMPTY);
      // Ready for the next user.
      nameRef.current?.focus();
    });
  }

  return (
    <form ref={formRef} className="card form" onSubmit={handleSubmit} noValidate aria-labelledby="user-form-heading">
      <h2 id="user-form-heading">Add a user{tenant ? ` to ${tenant.name}` : ''}</h2>
      <ErrorAlert error={error} title="Could not add the user." ignoreFields={['name', 'email', 'role']} />
      <fieldset disabled={!tenant} className="plain-fieldset">
        <Field label="Name" errors={fieldErrors.name} required>
          <input ref={nameRef} value={fields.name} maxLength={LIMITS.name} autoComplete="name" onChange={change('name')} />
        </Field>
        <Field label="Email" errors={fieldErrors.email} required>
          <input
            type="email"
            value={fields.email}
            maxLength={LIMITS.email}
            autoComplete="email"
            onChange={change('email')}
          />
        </Field>
        <Field label="Role" errors={fieldErrors.role}>
          <select value={fields.role} onChange={change('role')}>
            <option value="member">Member</option>
            <option value="admin">Admin</option>
          </select>
        </Field>
        <div className="form-actions">
          <button type="submit" className="button button-primary" aria-disabled={pending || undefined}>
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
