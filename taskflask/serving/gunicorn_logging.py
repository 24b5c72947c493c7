"""gunicorn's access log: one line per request with its id, tenant, user, status and duration."""
import json
import os
from datetime import datetime, timezone

from gunicorn.glogging import Logger

TEXT_ACCESS_FORMAT = ('%(h)s "%(r)s" %(s)s %(B)sB %(M)sms request_id=%({x-request-id}o)s '
                      'tenant=%({x-tenant-id}i)s user=%({x-user-id}i)s')


class AccessLogger(Logger):
    """With LOG_FORMAT=json each access line is a JSON object; otherwise gunicorn's own format."""

    def access(self, resp, req, environ, request_time):
        if os.environ.get("LOG_FORMAT") != "json":
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
