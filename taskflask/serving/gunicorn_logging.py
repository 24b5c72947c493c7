"""gunicorn's access log: one line per request with its id, tenant, user, status and duration."""
import json
import os
import traceback
from datetime import datetime, timezone

from gunicorn.glogging import Logger

TEXT_ACCESS_FORMAT = ('%(h)s "%(r)s" %(s)s %(B)sB %(M)sms request_id=%({x-request-id}o)s '
                      'tenant=%({x-tenant-id}i)s user=%({x-user-id}i)s')


class AccessLogger(Logger):
    """With LOG_FORMAT=json each access line is a JSON object; otherwise gunicorn's own format."""

    def access(self, resp, req, environ, request_time):
        if os.environ.get("LOG_FORMAT") != "json":
            if self.cfg.access_log_format == TEXT_ACCESS_FORMAT and self.access_log_enabled:
                return self.access_text(resp, req, environ, request_time)
            return super().access(resp, req, environ, request_time)
        if not self.cfg.accesslog:
            return None
        atoms = self.atoms(resp, req, environ, request_time)
        line = {
            "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
            "logger": "access",
            "method": atoms["m"],
            "path": atoms["U"],
            "query": atoms["q"] or None,
            "status": resp.status_code if hasattr(resp, "status_code") else atoms["s"],
            "bytes": atoms["B"],
            "duration_ms": round(request_time.total_seconds() * 1000, 2),
            "request_id": atoms["{x-request-id}o"] if atoms["{x-request-id}o"] != "-" else None,
            "tenant": atoms["{x-tenant-id}i"] if atoms["{x-tenant-id}i"] != "-" else None,
            "user": atoms["{x-user-id}i"] if atoms["{x-user-id}i"] != "-" else None,
            "remote": atoms["h"],
        }
        self.access_log.info(json.dumps(line))
        return None

    def access_text(self, resp, req, environ, request_time):
        """gunicorn's own line for TEXT_ACCESS_FORMAT, from only the atoms it names.

        gunicorn's atoms() builds every atom of every format (the time, each
        request and response header and environ variable, all of them escaped)
        for the few this format reads: that was a tenth of a worker's time on
        GET /tasks. The values are escaped as gunicorn's SafeAtoms does.
        """
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        request_headers = dict((name.lower(), value) for name, value in req.headers)
        request_id = "-"
        for name, value in resp.headers:
            if name.lower() == "x-request-id":
                request_id = value  # the last one, as atoms() keeps
        line = '%s "%s %s %s" %s %sB %sms request_id=%s tenant=%s user=%s' % (
            _escaped(environ.get("REMOTE_ADDR", "-")),
            _escaped(environ["REQUEST_METHOD"]), _escaped(environ["RAW_URI"]), _escaped(environ["SERVER_PROTOCOL"]),
            _escaped(status), getattr(resp, "sent", None),
            request_time.seconds * 1000 + int(request_time.microseconds / 1000),
            _escaped(request_id), _escaped(request_headers.get("x-tenant-id", "-")),
            _escaped(request_headers.get("x-user-id", "-")))
        try:
            self.access_log.info(line)
        except Exception:
            self.error(traceback.format_exc())


def _escaped(value):
    """An atom's value as gunicorn's SafeAtoms writes it: a string's quotes escaped."""
    return value.replace('"', '\\"') if isinstance(value, str) else value
