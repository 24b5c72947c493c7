import { useId, useRef } from 'react';

/**
 * WAI-ARIA tabs with automatic activation: arrow keys, Home and End move
 * between tabs; only the selected tab is in the Tab order.
 */
export function Tabs({ label, tabs, selected, onSelect }) {
  const baseId = useId();
  const tabRefs = useRef({});
  const current = tabs.find((tab) => tab.id === selected) ?? tabs[0];

  function handleKeyDown(event) {
    const index = tabs.indexOf(current);
    const moves = {
      ArrowRight: index + 1,
      ArrowLeft: index - 1,
      Home: 0,
      End: tabs.length - 1,
    };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const next = tabs[(moves[event.key] + tabs.length) % tabs.length];
    onSelect(next.id);
    tabRefs.current[next.id]?.focus();
  }

  return (
    <div className="tabs">
      <div role="tablist" aria-label={label} className="tablist" onKeyDown={handleKeyDown}>
        {tabs.map((tab) => (
          <button
            key={tab.id}
            ref={(node) => {
              tabRefs.current[tab.id] = node;
            }}
            type="button"
            role="tab"
            id={`${baseId}-tab-${tab.id}`}
            aria-selected={tab === current}
            aria-controls={`${baseId}-panel-${tab.id}`}
            tabIndex={tab === current ? 0 : -1}
            className="tab"
            onClick={() => onSelect(tab.id)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`${baseId}-panel-${current.id}`}
        aria-labelledby={`${baseId}-tab-${current.id}`}
        tabIndex={0}
        className="tabpanel"
      >
        {current.render()}
      </div>
    </div>
  );
}
