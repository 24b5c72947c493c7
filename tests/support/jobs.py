"""Huey jobs of this run's queue, executed in the test process."""
from taskflask.queue import huey


def run_queued_jobs():
    """Execute every job waiting in this run's real Redis queue, in this process; returns how many."""
    waiting = huey.pending_count()  # dequeue() on an empty queue would block for a second
    for _ in range(waiting):
        huey.execute(huey.dequeue())
    return waiting
