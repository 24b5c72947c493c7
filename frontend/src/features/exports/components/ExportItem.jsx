import { ErrorAlert } from '../../../components/Alert';
import { StatusBadge } from '../../../components/StatusBadge';
import { Time } from '../../../components/Time';
import { formatRows } from '../format';
import { useExportDownload } from '../useExports';
import { ExportProgress } from './ExportProgress';

function describeRows(exp) {
  if (exp.rowCount == null) return exp.status === 'failed' ? 'No file' : 'Waiting for a worker…';
  return formatRows(exp.rowCount);
}

/** One export: who asked, live status (a progress bar while it runs), row count, times and the CSV download. */
export function ExportItem({ exp, session, requesterName }) {
  const download = useExportDownload(session, exp);

  return (
    <li className="export">
      <div className="export-main">
        <h3 className="export-title">{requesterName ? `Export by ${requesterName}` : 'Export'}</h3>
        <p className="export-meta">
          <span>
            Requested <Time value={exp.createdAt} />
          </span>
          {exp.status !== 'processing' && <span>{describeRows(exp)}</span>}
          {exp.completedAt && (
            <span>
              {exp.status === 'failed' ? 'Failed' : 'Finished'} <Time value={exp.completedAt} />
            </span>
          )}
        </p>
        {exp.status === 'processing' && <ExportProgress written={exp.rowsWritten} expected={exp.rowsExpected} />}
        {exp.status === 'failed' && exp.error && <p className="export-error">{exp.error}</p>}
        <ErrorAlert error={download.error} title="Download failed." />
      </div>
      <div className="export-side">
        <StatusBadge status={exp.status} />
        {exp.status === 'completed' && (
          <button
            type="button"
            className="button button-small"
            onClick={() => download.mutate()}
            disabled={download.isPending}
          >
            {download.isPending ? 'Downloading…' : 'Download CSV'}
          </button>
        )}
      </div>
    </li>
  );
}
