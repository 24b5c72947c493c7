"""Slow clients against gunicorn: how long /healthz waits while 4 of them are connected, per worker type.

Each client opens a POST /tasks and then: promises 100 bytes of body and sends
10 (short), sends its body a byte every 0.3 s (trickle), sends its headers a
byte every 0.3 s (slowloris), or sends nothing (silent). Meanwhile /healthz is
asked every 50 ms for 8 s; the table shows the slowest answer (a timeout of
10 s counts as 10 s) and how long the server held the slow clients (until it
answered and closed, or the client gave up after 40 s). Before that, wrk
measures GET /tasks?limit=100 at 16 connections on the three servers side by
side (5 rounds, order rotating), to show what the threads cost on a fast path.

    python bench/bench_slow_clients.py
"""
import select
import socket
import threading
import time

import requests

from harness import BIN, ROOT, SERVER_START_TIMEOUT, Taskflask, interleaved, log, summary, wait_until

CLIENTS = 4
WINDOW = 8.0
CLIENT_PATIENCE = 40  # a slow client gives up after this; "held" then reads as this
WORKERS = {
    "sync (before)": ["--worker-class", "sync", "--threads", "1"],
    "gthread x8, gunicorn's reads": ["--worker-class", "gthread", "--threads", "8"],
    "gunicorn.conf.py (bounded reads)": [],
}


class ConfiguredTaskflask(Taskflask):
    """gunicorn with gunicorn.conf.py, the worker options on top."""

    def __init__(self, name, options):
        super().__init__(name)
        self.options = options

    def start(self, consumer=False):
        self.migrate()
        self.gunicorn = self._spawn("gunicorn", [
            str(BIN / "gunicorn"), "--config", str(ROOT / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{self.port}",
            "--workers", "2", *self.options, "wsgi:app"])
        wait_until(self._ready, timeout=SERVER_START_TIMEOUT, interval=0.05, message="gunicorn")
        return self


def head(headers, extra):
    return (f"POST /tasks HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
            f"x-tenant-id: {headers['x-tenant-id']}\r\nx-user-id: {headers['x-user-id']}\r\n{extra}")


def trickle(sock, text):
    for byte in text:
        if select.select([sock], [], [], 0.3)[0]:
            return
        sock.sendall(byte.encode())


BEHAVIOURS = {
    "short": lambda sock, h: sock.sendall((head(h, "Content-Length: 100\r\n\r\n") + '{"title": ').encode()),
    "trickle": lambda sock, h: (sock.sendall(head(h, "Content-Length: 74\r\n\r\n").encode()),
                                trickle(sock, '{"title": "' + "x" * 60 + '"}')),
    "slowloris": lambda sock, h: trickle(sock, head(h, "X-Padding: " + "p" * 60 + "\r\n\r\n")),
    "silent": lambda sock, h: None,
}


def hold(port, behaviour, headers, held):
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.settimeout(CLIENT_PATIENCE)
        try:
            behaviour(sock, headers)
            while sock.recv(65536):
                pass
        except OSError:
            pass
    held.append(time.monotonic() - started)


def slowest_healthz(url):
    worst, deadline = 0.0, time.monotonic() + WINDOW
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            requests.get(url + "/healthz", timeout=10)
            worst = max(worst, time.monotonic() - started)
        except requests.RequestException:
            worst = max(worst, 10.0)
        time.sleep(0.05)
    return worst


def main():
    servers = {label: ConfiguredTaskflask(f"bench_slow_clients_{number}", options)
               for number, (label, options) in enumerate(WORKERS.items())}
    admins = {}
    try:
        for label, app in servers.items():
            app.start()
            admins[label] = app.create_tenant("slow")[1]
        # The three side by side, their order rotating: a shared machine's load hits them alike.
        runs = interleaved({label: {"url": app.url + "/tasks?limit=100",
                                    "headers": {"x-tenant-id": admins[label]["x-tenant-id"]}}
                            for label, app in servers.items()}, [16])
        rows = []
        for label, app in servers.items():
            for kind, behaviour in BEHAVIOURS.items():
                held = []
                threads = [threading.Thread(target=hold, args=(app.port, behaviour, admins[label], held))
                           for _ in range(CLIENTS)]
                for thread in threads:
                    thread.start()
                time.sleep(0.3)
                worst = slowest_healthz(app.url)
                for thread in threads:
                    thread.join(60)
                rows.append((label, kind, worst, max(held)))
                log(f"{label:34} {kind:10} /healthz max {worst:6.2f} s   clients held {max(held):6.2f} s")
    finally:
        for app in servers.values():
            app.stop()
    print(f"\n| Worker | Client ({CLIENTS} of them) | slowest /healthz | held up to |\n|---|---|---|---|")
    for label, kind, worst, held in rows:
        print(f"| {label} | {kind} | {worst:.2f} s | {held:.1f} s |")
    print("\n| Worker | GET /tasks?limit=100, 16 connections: req/s, median of 5 | p99 |\n|---|---|---|")
    for label in servers:
        figures = summary(runs[label][16])
        print(f"| {label} | {figures['rps']:.0f} | {figures['p99_ms']:.1f} ms |")


if __name__ == "__main__":
    main()
