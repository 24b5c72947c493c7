import { useEffect, useId, useRef, useState } from 'react';

/**
 * A searchable single-select combobox (WAI-ARIA 1.2: an input with a listbox
 * popup, list autocomplete). Typing calls `onSearch` and opens the list;
 * ArrowDown/ArrowUp move the active option (`aria-activedescendant`), Enter
 * chooses it, Escape closes and puts back the current choice. The options
 * are whatever the caller found for the text: it never needs all of them.
 */
export function Combobox({
  label,
  selectedText,
  placeholder,
  options,
  getKey,
  renderOption,
  onSearch,
  onSelect,
  status,
  busy = false,
  disabled = false,
}) {
  const id = useId();
  const listboxId = `${id}-listbox`;
  const statusId = `${id}-status`;
  const inputRef = useRef(null);
  const [open, setOpen] = useState(false);
  // null while not typing: the input then shows the current choice.
  const [text, setText] = useState(null);
  // The active option by key, so new results never make another option active under the keyboard.
  const [activeKey, setActiveKey] = useState(null);
  const optionId = (index) => `${id}-option-${index}`;
  const activeIndex = options.findIndex((option) => getKey(option) === activeKey);
  const activate = (index) => setActiveKey(index >= 0 && index < options.length ? getKey(options[index]) : null);

  // Keep the active option in sight as the arrows move through a scrolled list.
  useEffect(() => {
    if (!open || activeIndex < 0) return;
    document.getElementById(optionId(activeIndex))?.scrollIntoView?.({ block: 'nearest' });
  });

  function show(query) {
    setOpen(true);
    onSearch(query);
  }

  function close() {
    setOpen(false);
    setText(null);
    setActiveKey(null);
  }

  function choose(option) {
    close();
    onSelect(option);
  }

  function handleKeyDown(event) {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!open) {
        show(text ?? '');
        activate(event.key === 'ArrowDown' ? 0 : options.length - 1);
        return;
      }
      const step = event.key === 'ArrowDown' ? 1 : -1;
      activate(Math.min(Math.max(activeIndex + step, 0), options.length - 1));
    } else if (event.key === 'Enter') {
      if (open && activeIndex >= 0) {
        event.preventDefault();
        choose(options[activeIndex]);
      }
    } else if (event.key === 'Escape') {
      if (open || text !== null) {
        event.preventDefault();
        close();
      }
    }
  }

  return (
    <div className="combobox">
      <label htmlFor={`${id}-input`}>{label}</label>
      <input
        ref={inputRef}
        id={`${id}-input`}
        type="text"
        role="combobox"
        aria-expanded={open}
        aria-controls={listboxId}
        aria-autocomplete="list"
        aria-activedescendant={open && activeIndex >= 0 ? optionId(activeIndex) : undefined}
        aria-describedby={statusId}
        autoComplete="off"
        spellCheck={false}
        placeholder={placeholder}
        disabled={disabled}
        value={text ?? selectedText ?? ''}
        onChange={(event) => {
          setText(event.target.value);
          setActiveKey(null);
          show(event.target.value);
        }}
        onClick={() => {
          if (!open) show(text ?? '');
        }}
        onFocus={(event) => event.target.select()}
        onBlur={close}
        onKeyDown={handleKeyDown}
      />
      <div className="combobox-popup" hidden={!open}>
        <ul role="listbox" id={listboxId} aria-label={label} className="combobox-list">
          {options.map((option, index) => (
            <li
              key={getKey(option)}
              id={optionId(index)}
              role="option"
              aria-selected={index === activeIndex}
              className="combobox-option"
              // mousedown would blur the input first, closing the list before the click lands.
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => choose(option)}
              onMouseMove={() => index !== activeIndex && activate(index)}
            >
              {renderOption(option)}
            </li>
          ))}
        </ul>
        {status && (
          <p className="combobox-status" aria-hidden="true">
            {status}
          </p>
        )}
      </div>
      <span id={statusId} className="visually-hidden" aria-live="polite" aria-busy={busy}>
        {open ? status : ''}
      </span>
    </div>
  );
}
