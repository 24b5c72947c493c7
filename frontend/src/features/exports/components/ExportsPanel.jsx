import { useMemo } from 'react';
import { ErrorAlert } from '../../../components/Alert';
import { isFinished } from '../api/exports';
import { useExports, useStartExport } from '../useExports';
import { ExportItem } from './ExportItem';

// The 429's words from the server once named the export by its id; the UI says it without.
const STILL_RUNNING = {
  message: 'An export of this organization is still running; start another once it has finished.',
};

/**
 * Whether the error of the last "Start export" still holds: a 429 ("one is
 * running") no longer does once that export has finished.
 */
function startErrorThatHolds(error, exports) {
  if (!error || error.status !== 429) return error;
  const runningId = error.body?.exportId;
  const running = runningId ? exports?.find((exp) => exp.id === runningId) : exports?.find((exp) => !isFinished(exp));
  // Not listed yet (the list is being fetched again): it is still running as far as we know.
  if (runningId ? running && isFinished(running) : !running) return null;
  return STILL_RUNNING;
}

/** The Export tab (admins only): start an export, watch it, download it. `users` name the requesters. */
export function ExportsPanel({ session, tenantName, users = null, pollMs }) {
  const { exports, error, pollError, reload } = useExports(session, pollMs);
  const startExport = useStartExport(session);
  const [latest, ...earlier] = exports ?? [];
  const running = exports?.some((exp) => !isFinished(exp)) ?? false;
  const busy = running || startExport.isPending;
  const startError = startErrorThatHolds(startExport.error, exports);
  const namesById = useMemo(() => new Map((users ?? []).map((user) => [user.id, user.name])), [users]);
  const requesterName = (exp) => exp.requestedByName ?? namesById.get(exp.requestedBy) ?? null;

  return (
    <div className="stack">
      <section className="card" aria-labelledby="export-heading">
        <div className="section-head">
          <div>
            <h2 id="export-heading">Export tasks</h2>
            <p className="muted">A CSV of every task in {tenantName}, built in the background.</p>
          </div>
          <div className="export-start">
            {/* aria-disabled rather than disabled: the button keeps focus and its reason stays announced. */}
            <button
              type="button"
              className="button button-primary"
              aria-disabled={busy || undefined}
              aria-describedby={running ? 'export-busy-reason' : undefined}
              onClick={() => busy || startExport.mutate()}
            >
              {startExport.isPending ? 'Starting…' : 'Start export'}
            </button>
            {running && (
              <p id="export-busy-reason" className="export-busy-reason">
                An export is running. You can start another once it has finished.
              </p>
            )}
          </div>
        </div>
        <ErrorAlert error={startError} title="Could not start the export." />
        <ErrorAlert error={pollError} title="Lost touch with the export; still trying." />
        <ErrorAlert error={error} title="Could not load exports." onRetry={reload} />
        {!exports && !error && (
          <p role="status" className="muted">
            Loading exports…
          </p>
        )}
        {exports?.length === 0 && <p className="empty">No exports yet.</p>}
        {latest && (
          <div aria-live="polite">
            <ul className="export-list export-latest" aria-label="Latest export">
              <ExportItem key={latest.id} exp={latest} session={session} requesterName={requesterName(latest)} />
            </ul>
          </div>
        )}
      </section>
      {earlier.length > 0 && (
        <section className="card" aria-labelledby="earlier-exports-heading">
          <h2 id="earlier-exports-heading">Earlier exports</h2>
          <ul className="export-list">
            {earlier.map((exp) => (
              <ExportItem key={exp.id} exp={exp} session={session} requesterName={requesterName(exp)} />
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
