import { formatCount, formatRows, percentDone } from '../format';

/** A running export's progress: a bar, its percent, and the rows written of those expected. */
export function ExportProgress({ written, expected }) {
  if (expected == null) return <p className="export-progress muted">Starting…</p>;
  const rows = written ?? 0;
  const percent = percentDone(rows, expected);
  return (
    <div className="export-progress">
      <progress value={percent} max={100} aria-label="Export progress" />
      <p>
        <strong>{percent}%</strong> · {formatCount(rows)} of {formatRows(expected)}
      </p>
    </div>
  );
}
