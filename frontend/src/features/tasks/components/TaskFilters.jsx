import { useEffect, useRef, useState } from 'react';
import { LIMITS } from '../../../lib/limits';
import { formatCount } from '../countFormat';

const SEARCH_DELAY_MS = 300;

const FILTERS = [
  { value: '', label: 'All', count: 'total' },
  { value: 'pending', label: 'Pending', count: 'pending' },
  { value: 'completed', label: 'Completed', count: 'completed' },
];

/** The search box and the status pills (with their counts when the API gives them); `onChange` gets what changed. */
export function TaskFilters({ q, status, counts, onChange }) {
  return (
    <div className="task-filters">
      <SearchBox q={q} onSearch={(text) => onChange({ q: text })} />
      <fieldset className="segmented">
        <legend className="segmented-legend">Show</legend>
        {FILTERS.map((filter) => (
          <label key={filter.value} className="segment">
            <input
              type="radio"
              name="task-status"
              value={filter.value}
              checked={status === filter.value}
              onChange={() => onChange({ status: filter.value })}
            />
            <span>
              {filter.label}
              {counts && (
                <>
                  {' '}
                  <span className="segment-count">{formatCount(counts[filter.count], counts.capped)}</span>
                </>
              )}
            </span>
          </label>
        ))}
      </fieldset>
    </div>
  );
}

/** Search as you type (sent once typing pauses, or at once on Enter); the URL keeps what was searched. */
function SearchBox({ q, onSearch }) {
  const [text, setText] = useState(q);
  const [shownQ, setShownQ] = useState(q);
  const timer = useRef(null);
  // The URL changed by itself (Back, a link): show its search, unless it is what is being typed.
  if (q !== shownQ) {
    setShownQ(q);
    if (q !== text.trim()) setText(q);
  }

  useEffect(() => () => clearTimeout(timer.current), []);

  function searchNow(value) {
    clearTimeout(timer.current);
    onSearch(value.trim());
  }

  return (
    <form
      role="search"
      className="search"
      onSubmit={(event) => {
        event.preventDefault();
        searchNow(text);
      }}
    >
      <label htmlFor="task-search" className="search-label">
        Search tasks
      </label>
      <input
        id="task-search"
        type="search"
        value={text}
        maxLength={LIMITS.search}
        placeholder="Title or description"
        autoComplete="off"
        onChange={(event) => {
          const value = event.target.value;
          setText(value);
          clearTimeout(timer.current);
          timer.current = setTimeout(() => onSearch(value.trim()), SEARCH_DELAY_MS);
        }}
      />
    </form>
  );
}
