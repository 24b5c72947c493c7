// Sample API objects for unit tests, shaped like the real API's answers.

export const org = { id: 'org-1', name: 'Acme', schemaName: 'acme', createdAt: '2026-11-29T10:00:00.000Z' };

export const admin = {
  id: 'user-admin',
  name: 'Ada Admin',
  email: 'ada@acme.test',
  role: 'admin',
  createdAt: '2026-11-29T10:01:00.000Z',
};

export const member = {
  id: 'user-member',
  name: 'Max Member',
  email: 'max@acme.test',
  role: 'member',
  createdAt: '2026-11-29T10:02:00.000Z',
};

export function task(overrides = {}) {
  return {
    id: 'task-1',
    title: 'Write the report',
    description: null,
    status: 'pending',
    createdBy: admin.id,
    createdByName: admin.name,
    createdAt: '2026-11-29T11:00:00.000Z',
    updatedAt: '2026-11-29T11:00:00.000Z',
    completedAt: null,
    ...overrides,
  };
}

export function exportJob(overrides = {}) {
  return {
    id: 'exp-1',
    status: 'pending',
    requestedBy: admin.id,
    requestedByName: admin.name,
    rowCount: null,
    fileUrl: null,
    error: null,
    createdAt: '2026-11-29T12:00:00.000Z',
    completedAt: null,
    rowsWritten: null,
    rowsExpected: null,
    ...overrides,
  };
}

/** Make the app start with this organization and user chosen, as after a reload. */
export function rememberSelection(tenantId, userId) {
  localStorage.setItem('taskflask.selection', JSON.stringify({ tenantId, userByTenant: { [tenantId]: userId } }));
}
