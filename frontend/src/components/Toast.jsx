/**
 * A notice at the bottom of the screen with one action (Undo). The live
 * region is always in the page, so screen readers announce what appears in it.
 * Focus inside pauses the caller's timer (`onPause`/`onResume`), so a keyboard
 * user who tabs to it has time; a pointer does not (a notice that appears under
 * a resting pointer would otherwise wait for ever).
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
