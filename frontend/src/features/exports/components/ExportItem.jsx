import { useState } from 'react';
import { ErrorAlert } from '../../../components/Alert';
import { StatusBadge } from '../../../components/StatusBadge';
import { Time } from '../../../components/Time';
import { fetchExportFile } from '../api/exports';
import { formatRows } from '../format';
import { ExportProgress } from './ExportProgress';

/** Save a Blob under `filename` through a temporary <a download>. */
function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // Give the browser time to start the download before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function describeRows(exp) {
  if (exp.rowCount == null) return exp.status === 'failed' ? 'No file' : 'Waiting for a worker…';
  return formatRows(exp.rowCount);
}

/** One export: live status (a progress bar while it runs), row count, times and the CSV download. */
export function ExportItem({ exp, session }) {
  const [downloading, setDownloading] = useState(false);
  const [error, setError] = useState(null);

  async function download() {
    setDownloading(true);
    setError(null);
    try {
      const { blob, filename } = await fetchExportFile(session, exp);
      saveBlob(blob, filename ?? `tasks-export-${exp.id}.csv`);
    } catch (err) {
      setError(err);
    } finally {
      setDownloading(false);
    }
  }

  return (
    <li className="export">
      <div className="export-main">
        <h3 className="export-title">
          Export <Time value={exp.createdAt} />
        </h3>
        <p className="export-meta">
          {exp.status !== 'processing' && <span>{describeRows(exp)}</span>}
          {exp.completedAt && (
            <span>
              {exp.status === 'failed' ? 'Failed' : 'Finished'} <Time value={exp.completedAt} />
            </span>
          )}
        </p>
        {exp.status === 'processing' && <ExportProgress written={exp.rowsWritten} expected={exp.rowsExpected} />}
        {exp.status === 'failed' && exp.error && <p className="export-error">{exp.error}</p>}
        <ErrorAlert error={error} title="Download failed." />
      </div>
      <div className="export-side">
        <StatusBadge status={exp.status} />
        {exp.status === 'completed' && (
          <button type="button" className="button button-small" onClick={download} disabled={downloading}>
            {downloading ? 'Downloading…' : 'Download CSV'}
          </button>
        )}
      </div>
    </li>
  );
}
