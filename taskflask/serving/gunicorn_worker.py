"""gunicorn's threaded worker, with a bounded read of every request and JSON for gunicorn's own errors.

gunicorn waits on a client's socket without limit once a request has begun:
a body shorter than its Content-Length, or headers sent a byte at a time,
hold a thread (a sync worker: the whole process) until the worker timeout.
Here each request may spend at most READ_TIMEOUT seconds waiting for the
client, summed over its reads; then its reads fail (the app answers 408, or
the connection closes while headers are still arriving). Other requests go on
in the worker's other threads meanwhile.

Errors gunicorn answers before the app sees the request (a request line over
limit_request_line: 414, too many or too large headers: 431, malformed
requests: 400) get the API's JSON error body instead of gunicorn's HTML page.
"""
import json
import os
import socket
import time

from gunicorn import util
from gunicorn.http.errors import NoMoreData
from gunicorn.workers.gthread import ThreadWorker

READ_TIMEOUT = float(os.environ.get("GUNICORN_READ_TIMEOUT", "5"))
# After a response, gunicorn lingers to drain what the client still sends (so that closing does
# not reset the connection); it does so on the worker's main loop, so keep it short.
CLOSE_LINGER = 0.2


class RequestReadTimeout(NoMoreData, TimeoutError):
    """The client used up its read time: gunicorn closes quietly; the app sees a TimeoutError."""


class BudgetedSocket:
    """A client socket whose reads share one budget of waiting time per request."""

    def __init__(self, sock):
        self._sock = sock
        self.budget = READ_TIMEOUT

    def new_request(self):
        self.budget = READ_TIMEOUT

    def _wait(self, read, *args):
        if self.budget <= 0:
            raise RequestReadTimeout()
        previous = self._sock.gettimeout()
        self._sock.settimeout(self.budget if previous is None else min(previous, self.budget))
        started = time.monotonic()
        try:
            return read(*args)
        except socket.timeout:
            raise RequestReadTimeout() from None
        finally:
            self.budget -= time.monotonic() - started
            self._sock.settimeout(previous)

    def recv(self, *args):
        return self._wait(self._sock.recv, *args)

    def recv_into(self, *args):
        return self._wait(self._sock.recv_into, *args)

    def shutdown(self, how):
        self.budget = min(self.budget, CLOSE_LINGER)
        return self._sock.shutdown(how)

    def __getattr__(self, name):
        return getattr(self._sock, name)


class BoundedReadWorker(ThreadWorker):
    """gthread, with each request's reads bounded by READ_TIMEOUT (see the module's docstring)."""

    def handle(self, conn):
        if not self.cfg.is_ssl:  # an SSL socket is wrapped by gunicorn itself; ours would be in the way
            if not isinstance(conn.sock, BudgetedSocket):
                conn.sock = BudgetedSocket(conn.sock)
            conn.sock.new_request()
        return super().handle(conn)


# gunicorn's own error answers (util.write_error, called by Worker.handle_error) as the API's JSON.
ERROR_CODES = {400: "bad_request", 403: "forbidden", 414: "request_line_too_long", 417: "expectation_failed",
               431: "headers_too_large", 500: "internal_error", 501: "not_implemented"}
ERROR_MESSAGES = {414: "The request line (method, path and query) is longer than the server accepts.",
                  431: "The request headers are too many or too large."}


def write_json_error(sock, status_int, reason, mesg):
    """What util.write_error writes, with {"error", "message"} instead of an HTML page."""
    body = json.dumps({"error": ERROR_CODES.get(status_int, reason.lower().replace(" ", "_")),
                       "message": ERROR_MESSAGES.get(status_int, f"{reason}.")}).encode()
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")
    util.write_nonblock(sock, head.encode("latin-1") + body)


util.write_error = write_json_error
