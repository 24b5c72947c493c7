import { useState } from 'react';
import { Combobox } from '../../../components/Combobox';
import { useDebouncedValue } from '../../../lib/useDebouncedValue';
import { matchesOrganization } from '../api/organizations';
import { useOrganizationSearch, useRememberOrganization } from '../useOrganizations';
import { useTenancy } from '../useTenancy';

const SEARCH_DELAY_MS = 200;

/** Describe what the open list holds, for the eye and (politely) for screen readers. */
function describe({ query, data, error, fetching }) {
  if (error) return `Could not search: ${error.message}`;
  if (!data) return 'Searching…';
  if (data.items.length === 0) return query ? `No organization matches “${query}”.` : 'No organizations yet.';
  const count = `${data.items.length} ${data.items.length === 1 ? 'organization' : 'organizations'}`;
  if (fetching) return `${count} shown; searching…`;
  return data.hasMore ? `The first ${count} shown; type to narrow.` : `${count} shown.`;
}

/** Choose the organization to work in: type to search by name or schema name (only the first 20 are fetched). */
export function OrganizationPicker() {
  const { tenant, hasOrganizations, selectTenant } = useTenancy();
  const remember = useRememberOrganization();
  const [searching, setSearching] = useState(null);
  const query = useDebouncedValue(searching ?? '', SEARCH_DELAY_MS).trim();
  const search = useOrganizationSearch(query, { enabled: searching !== null });
  // While the answer for the latest text is on its way, the last answer stays, narrowed to what
  // matches the text as typed: nothing offered ever contradicts the input.
  const typed = (searching ?? '').trim();
  const options =
    searching !== null ? (search.data?.items ?? []).filter((org) => matchesOrganization(org, typed)) : [];

  return (
    <div className="picker">
      <Combobox
        label="Organization"
        selectedText={tenant?.name}
        placeholder={hasOrganizations === false ? 'No organizations yet' : 'Search organizations…'}
        options={options}
        getKey={(org) => org.id}
        renderOption={(org) => (
          <>
            <span className="option-name">{org.name}</span>
            <span className="option-detail">{org.schemaName}</span>
          </>
        )}
        onSearch={setSearching}
        onSelect={(org) => {
          setSearching(null);
          remember(org);
          selectTenant(org.id);
        }}
        status={describe({ query, data: search.data, error: search.error, fetching: search.isFetching })}
        busy={search.isFetching}
      />
    </div>
  );
}
