import { useState } from 'react';
import { ErrorAlert } from '../../../components/Alert';
import { Field } from '../../../components/Field';
import { LIMITS } from '../../../lib/limits';
import { useSubmit } from '../../../lib/useSubmit';
import { suggestSchemaName } from '../schemaName';
import { useTenancy } from '../useTenancy';

const REQUIRED = { name: 'Enter an organization name.', schemaName: 'Enter a schema name.' };

const SCHEMA_HINT =
  'The name of the database schema that keeps this organization’s data apart from the others’. ' +
  'It is permanent: it cannot be changed later. Use 1–63 lowercase letters (a–z), digits and underscores, ' +
  'starting with a letter or underscore, and not with “pg_”.';

/** Create an organization (with its own database schema); `onCreated(org)` comes after it is chosen. */
export function OrganizationForm({ onCreated }) {
  const { addOrganization } = useTenancy();
  const { formRef, run, pending, error, fieldErrors } = useSubmit(REQUIRED);
  const [name, setName] = useState('');
  const [schemaName, setSchemaName] = useState('');
  const [schemaEdited, setSchemaEdited] = useState(false);
  const [created, setCreated] = useState(null);

  async function handleSubmit(event) {
    event.preventDefault();
    setCreated(null);
    await run({ name, schemaName }, async () => {
      const org = await addOrganization({ name: name.trim(), schemaName: schemaName.trim() });
      setCreated(org);
      setName('');
      setSchemaName('');
      setSchemaEdited(false);
      onCreated?.(org);
    });
  }

  return (
    <form
      ref={formRef}
      className="card form"
      onSubmit={handleSubmit}
      noValidate
      aria-labelledby="organization-form-heading"
    >
      <h2 id="organization-form-heading">New organization</h2>
      <ErrorAlert error={error} title="Could not create the organization." ignoreFields={['name', 'schemaName']} />
      <Field label="Organization name" errors={fieldErrors.name} required>
        <input
          value={name}
          maxLength={LIMITS.name}
          autoComplete="organization"
          onChange={(event) => {
            setName(event.target.value);
            if (!schemaEdited) setSchemaName(suggestSchemaName(event.target.value));
          }}
        />
      </Field>
      <Field label="Schema name" hint={SCHEMA_HINT} errors={fieldErrors.schemaName} required>
        <input
          value={schemaName}
          maxLength={LIMITS.schemaName}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          onChange={(event) => {
            setSchemaName(event.target.value);
            setSchemaEdited(true);
          }}
        />
      </Field>
      <div className="form-actions">
        <button type="submit" className="button button-primary" aria-disabled={pending || undefined}>
          {pending ? 'Creating…' : 'Create organization'}
        </button>
        {created && (
          <p role="status" className="form-success">
            Created {created.name}. It is now the chosen organization.
          </p>
        )}
      </div>
    </form>
  );
}
