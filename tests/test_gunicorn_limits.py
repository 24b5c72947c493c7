"""Real gunicorn with gunicorn.conf.py: slow clients cannot hold it, and what gunicorn answers itself is JSON."""
import json
import select
import socket
import threading
import time

import pytest
import requests

from support.polling import free_port
from support.processes import gunicorn_process
from support.tenants import TenantFixture

pytestmark = pytest.mark.slow
SLOW_CLIENTS = 4
READ_TIMEOUT = 2.0  # GUNICORN_READ_TIMEOUT for this server (5 by default), to keep the tests short


@pytest.fixture(scope="module")
def server(app, tmp_path_factory):
    """gunicorn wsgi:app on all interfaces, without ADMIN_TOKEN (so it must warn)."""
    port = free_port()
    log_path = tmp_path_factory.mktemp("gunicorn-limits") / "gunicorn.log"
    with gunicorn_process(f"0.0.0.0:{port}", log_path, ADMIN_TOKEN="",  # nosec B104: the warning's test
                          GUNICORN_READ_TIMEOUT=str(READ_TIMEOUT)) as url:
        yield {"url": url, "port": port, "log": log_path}


def healthz_latencies(url, seconds):
    """Seconds each /healthz took, asked one after another for ``seconds``."""
    latencies = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        assert requests.get(url + "/healthz", timeout=10).status_code == 200
        latencies.append(time.monotonic() - started)
        time.sleep(0.05)
    return latencies


def request_head(tenant, extra=""):
    return (f"POST /tasks HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
            f"x-tenant-id: {tenant.id}\r\nx-user-id: {tenant.member['id']}\r\n{extra}")


def short_body(sock, tenant):
    """Promises 100 bytes, sends 10, then waits."""
    sock.sendall((request_head(tenant, "Content-Length: 100\r\n\r\n") + '{"title": ').encode())


def trickled_body(sock, tenant):
    """Sends its body a byte every 0.3 s, for longer than any read timeout, until answered."""
    body = '{"title": "' + "x" * 60 + '"}'
    sock.sendall(request_head(tenant, f"Content-Length: {len(body)}\r\n\r\n").encode())
    for byte in body:
        if select.select([sock], [], [], 0.3)[0]:
            return
        sock.sendall(byte.encode())


def trickled_headers(sock, tenant):
    """Sends its headers a byte every 0.3 s (slowloris)."""
    for byte in request_head(tenant, "X-Padding: " + "p" * 60 + "\r\n\r\n"):
        if select.select([sock], [], [], 0.3)[0]:
            return
        sock.sendall(byte.encode())


def silent(sock, tenant):
    """Connects and sends nothing."""


def run_client(port, behaviour, tenant, outcome):
    """One hostile client; records what the server answered and when it let go."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.settimeout(30)
        try:
            behaviour(sock, tenant)
            received = b""
            while chunk := sock.recv(65536):
                received += chunk
        except OSError:  # the server closed while we were still sending
            received = b""
    outcome.update(answer=received, held=time.monotonic() - started)


@pytest.mark.parametrize("behaviour", [short_body, trickled_body, trickled_headers, silent])
def test_four_slow_clients_delay_healthz_by_less_than_a_second(client, server, behaviour):
    tenant = TenantFixture(client, "slow")
    outcomes = [{} for _ in range(SLOW_CLIENTS)]
    threads = [threading.Thread(target=run_client, args=(server["port"], behaviour, tenant, outcome))
               for outcome in outcomes]
    for thread in threads:
        thread.start()
    time.sleep(0.3)
    latencies = healthz_latencies(server["url"], READ_TIMEOUT + 1.5)
    for thread in threads:
        thread.join(40)
    assert max(latencies) < 1.0, f"/healthz took up to {max(latencies):.2f} s"
    # gunicorn lets go after the read timeout; a silent connection waits 5 s in a thread, then
    # (without a thread) for the keep-alive time, 5 s.
    let_go_within = 12 if behaviour is silent else READ_TIMEOUT + 2
    for outcome in outcomes:
        assert outcome["held"] < let_go_within, outcome
        if behaviour in (short_body, trickled_body):
            status_line, _, rest = outcome["answer"].partition(b"\r\n")
            assert status_line.startswith(b"HTTP/1.1 408"), outcome["answer"][:200]
            assert json.loads(rest.partition(b"\r\n\r\n")[2])["error"] == "request_timeout"
        else:
            assert outcome["answer"] == b""
    assert client.get("/tasks", headers=tenant.headers()).json == []


def test_a_chunked_body_over_the_limit_is_413_json(client, server):
    tenant = TenantFixture(client, "chunked")

    def chunks(total):
        yield b'{"title": "big", "padding": "'
        for _ in range(total // 65536):
            yield b"x" * 65536
        yield b'"}'
    over = requests.post(f"{server['url']}/tasks", data=chunks(1024 * 1024 + 65536), headers={
        **tenant.as_member, "Content-Type": "application/json"}, timeout=30)
    assert over.status_code == 413 and over.json()["error"] == "payload_too_large"
    under = requests.post(f"{server['url']}/tasks", data=chunks(1024 * 1024 - 65536 * 2), headers={
        **tenant.as_member, "Content-Type": "application/json"}, timeout=30)
    assert under.status_code == 201
    assert [task["title"] for task in client.get("/tasks", headers=tenant.headers()).json] == ["big"]


@pytest.mark.parametrize("request_text, status, error", [
    (f"GET /tasks?cursor={'a' * 5000} HTTP/1.1\r\nHost: x\r\n\r\n", 414, "request_line_too_long"),
    ("GET /tasks HTTP/1.1\r\nHost: x\r\nx-big: " + "b" * 20000 + "\r\n\r\n", 431, "headers_too_large"),
    ("GET /tasks HTTP/1.1\r\nHost: x\r\n" + "".join(f"x-h{i}: 1\r\n" for i in range(150)) + "\r\n",
     431, "headers_too_large"),
    ("GET /tasks HTTP/9.9\r\nHost: x\r\n\r\n", 400, "bad_request"),
])
def test_what_gunicorn_refuses_itself_is_answered_as_json(server, request_text, status, error):
    with socket.create_connection(("127.0.0.1", server["port"]), timeout=10) as sock:
        sock.sendall(request_text.encode())
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.split(b"\r\n")[0].startswith(f"HTTP/1.1 {status}".encode()), head
    assert b"Content-Type: application/json" in head
    assert json.loads(body)["error"] == error


def test_listening_beyond_loopback_without_a_key_logs_one_warning(server):
    log = server["log"].read_text()
    assert log.count("ADMIN_TOKEN is not set") == 1, log[-2000:]
