import { ErrorAlert } from '../../../components/Alert';
import { useExports, useStartExport } from '../useExports';
import { ExportItem } from './ExportItem';

/** The Export tab (admins only): start an export, watch it, download it. */
export function ExportsPanel({ session, tenantName, pollMs }) {
  const { exports, error, pollError, reload } = useExports(session, pollMs);
  const startExport = useStartExport(session);
  const [latest, ...earlier] = exports ?? [];

  return (
    <div className="stack">
      <section className="card" aria-labelledby="export-heading">
        <div className="section-head">
          <div>
            <h2 id="export-heading">Export tasks</h2>
            <p className="muted">A CSV of every task in {tenantName}, built in the background.</p>
          </div>
          <button
            type="button"
            className="button button-primary"
            onClick={() => startExport.mutate()}
            disabled={startExport.isPending}
          >
            {startExport.isPending ? 'Starting…' : 'Start export'}
          </button>
        </div>
        <ErrorAlert error={startExport.error} title="Could not start the export." />
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
              <ExportItem key={latest.id} exp={latest} session={session} />
            </ul>
          </div>
        )}
      </section>
      {earlier.length > 0 && (
        <section className="card" aria-labelledby="earlier-exports-heading">
          <h2 id="earlier-exports-heading">Earlier exports</h2>
          <ul className="export-list">
            {earlier.map((exp) => (
              <ExportItem key={exp.id} exp={exp} session={session} />
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
