/** The id of a task's title heading: where focus goes when a neighbour is deleted or it comes back (Undo). */
export const taskTitleId = (task) => `task-${task.id}-title`;
