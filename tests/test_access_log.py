"""The access log's text line: taskflask's short path writes what gunicorn's own access() writes."""
import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest
from gunicorn.config import Config
from gunicorn.glogging import Logger

from taskflask.serving.gunicorn_logging import TEXT_ACCESS_FORMAT, AccessLogger

TENANT = "bf6835c0-4198-4cd2-b839-5536ec66175f"


def logged_line(logger_class, resp, req, environ, request_time):
    """The one line ``logger_class`` (configured as gunicorn.conf.py ships) logs for a request."""
    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("access_log_format", TEXT_ACCESS_FORMAT)
    logger = logger_class(cfg)
    lines = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())
    logger.access_log.handlers = [handler]
    logger.access(resp, req, environ, request_time)
    assert len(lines) == 1
    return lines[0]


@pytest.mark.parametrize("request_headers, response_headers, status, uri", [
    ([("X-TENANT-ID", TENANT)], [("X-Request-ID", "abc")], "200 OK", "/tasks?limit=100"),
    ([("X-TENANT-ID", TENANT), ("X-USER-ID", TENANT)], [("X-Request-ID", "abc")], "201 CREATED", "/tasks"),
    ([], [], "404 NOT FOUND", "/nothing"),  # no ids: "-"
    ([("X-TENANT-ID", 'a "quoted" id'), ("X-USER-ID", "x"), ("X-USER-ID", "last")], [("x-request-id", "1"),
     ("X-Request-Id", 'r"2')], "400 BAD REQUEST", '/tasks?q="x"'),  # quotes escaped, the last of a repeated header
    ([("X-TENANT-ID", "%s %(h)s")], [], 200, "/tasks?q=%25"),  # an int status; % stays as is
])
def test_the_text_line_is_gunicorns(request_headers, response_headers, status, uri):
    resp = SimpleNamespace(status=status, headers=response_headers, sent=41577)
    req = SimpleNamespace(headers=request_headers)
    environ = {"REMOTE_ADDR": "127.0.0.1", "REQUEST_METHOD": "GET", "RAW_URI": uri, "SERVER_PROTOCOL": "HTTP/1.1",
               "PATH_INFO": uri.split("?")[0], "QUERY_STRING": uri.partition("?")[2]}
    request_time = timedelta(seconds=1, microseconds=234567)
    ours = logged_line(AccessLogger, resp, req, environ, request_time)
    assert ours == logged_line(Logger, resp, req, environ, request_time)
    assert ours.startswith('127.0.0.1 "GET ') and " 1234ms " in ours
