"""Running taskflask: the local launcher, embedded servers, and gunicorn worker and logging."""
