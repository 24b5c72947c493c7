import { useState } from 'react';
import { ErrorAlert } from '../../../components/Alert';
import { Field } from '../../../components/Field';
import { useSubmit } from '../../../lib/useSubmit';
import { suggestSchemaName } from '../schemaName';
import { useTenancy } from '../useTenancy';

/** Create an organization (a tenant with its own database schema). */
export function OrganizationForm() {
  const { addOrganization } = useTenancy();
  const { formRef, run, pending, error, fieldErrors } = useSubmit();
  const [name, setName] = useState('');
  const [schemaName, setSchemaName] = useState('');
  const [schemaEdited, setSchemaEdited] = useState(false);
  const [created, setCreated] = useState(null);

  async function handleSubmit(event) {
    event.preventDefault();
    setCreated(null);
    await run(async () => {
      const org = await addOrganization({ name: name.trim(), schemaName: schemaName.trim() });
      setCreated(org);
      setName('');
      setSchemaName('');
      setSchemaEdited(false);
    });
  }

  return (
    <form ref={formRef} className="card form" onSubmit={handleSubmit} noValidate>
      <h2>New organization</h2>
      <ErrorAlert error={error} ignoreFields={['name', 'schemaName']} />
      <Field label="Organization name" errors={fieldErrors.name}>
        <input
          value={name}
          autoComplete="organization"
          onChange={(event) => {
            setName(event.target.value);
            if (!schemaEdited) setSchemaName(suggestSchemaName(event.target.value));
          }}
        />
      </Field>
      <Field
        label="Schema name"
        hint="Lowercase letters, digits and underscores; starts with a letter or underscore."
        errors={fieldErrors.schemaName}
      >
        <input
          value={schemaName}
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => {
            setSchemaName(event.target.value);
            setSchemaEdited(true);
          }}
        />
      </Field>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? 'Creating…' : 'Create organization'}
        </button>
        {created && (
          <p role="status" className="form-success">
            Created {created.name}. It is now the selected tenant.
          </p>
        )}
      </div>
    </form>
  );
}
