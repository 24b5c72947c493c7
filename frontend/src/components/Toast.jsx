/**
 * A notice at the bottom of the screen with one action (Undo). The live
 * region is always in the page, so screen readers announce what appears in it.
 * Focus or pointer inside pauses the caller's timer (`onPause`/`onResume`).
 */
export function Toast({ children, actionLabel, onAction, onPause, onResume, label }) {
  return (
    <div className="toast-region" aria-live="polite">
      {children && (
        <div
          className="toast"
          role="group"
          aria-label={label}
          onFocus={onPause}
          onBlur={onResume}
          onMouseEnter={onPause}
          onMouseLeave={onResume}
        >
          <span className="toast-text">{children}</span>
          {onAction && (
            <button type="button" className="button button-small toast-action" onClick={onAction}>
              {actionLabel}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
