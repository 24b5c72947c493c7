import { apiBlob, apiJson } from '../../../api/client';

/** Queue an export of all tasks; answers `{exportId, jobId}`. */
export const startExport = (session) => apiJson('/tasks/export', { method: 'POST', body: {}, session });

export const listExports = (session) => apiJson('/exports', { session });

export const getExport = (session, id) => apiJson(`/exports/${encodeURIComponent(id)}`, { session });

/** The finished CSV as a Blob (needs the tenant/user headers, so no plain link). */
export const fetchExportFile = (session, exp) =>
  apiBlob(exp.fileUrl ?? `/exports/${encodeURIComponent(exp.id)}/download`, { session });

// Only pending and processing exports still change (completed ones may later expire: that is the sweep's doing).
export const isFinished = (exp) => exp.status !== 'pending' && exp.status !== 'processing';
