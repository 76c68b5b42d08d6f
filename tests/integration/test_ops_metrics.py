"""Operations (issue 22): /metrics in the Prometheus text format, its counters
exact over HTTP/1.1, HTTP/2 and TLS, checked by promtool and scraped by a real
Prometheus; /healthz and /readyz; --metrics-listen; quiet start-up.

Run alone: HTTPSTATUS_BIN=build/httpstatus python3 -m pytest -q \
  tests/integration/test_ops_metrics.py
promtool and prometheus come from Debian's `prometheus` package (scripts/deps.sh);
a missing tool fails the test.
"""
import asyncio
import json
import re
import resource
import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import httpx
import pytest
import requests
import websockets

from conftest import DEFAULT_ARGS, Server

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$')


def scrape(port, path="/metrics"):
    r = requests.get(f"http://127.0.0.1:{port}{path}", timeout=10)
    assert r.status_code == 200, r.text
    return r


def parse(text):
    """{(name, frozenset of label pairs): value} of a text-format scrape."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        assert m, f"not a sample line: {line!r}"
        labels = frozenset(re.findall(r'(\w+)="([^"]*)"', m.group(2) or ""))
        out[(m.group(1), labels)] = float(m.group(3))
    return out


def value(samples, name, **labels):
    return samples.get((name, frozenset(labels.items())), 0.0)


def need(tool):
    path = shutil.which(tool)
    assert path, f"{tool} is missing: install Debian's prometheus package (scripts/deps.sh)"
    return path


@pytest.fixture(scope="module")
def ops(tmp_path_factory):
    d = tmp_path_factory.mktemp("ops")
    s = Server(*DEFAULT_ARGS, "--tls-listen", "127.0.0.1:0", "--tls-dir", str(d / "state"),
               "--h2c-listen", "127.0.0.1:0", "--metrics-listen", "127.0.0.1:0", workers=2)
    s.tls_port = s.port_of("https")
    s.h2c_port = s.port_of("http", "HTTP/2 only")
    s.metrics_port = s.port_of("http", "/metrics")
    s.ca = str(d / "state" / "ca.pem")
    yield s
    s.close()


def test_scrape_content_type_and_promtool(ops):
    requests.get(f"{ops.url}/status/404", timeout=5)
    r = scrape(ops.port)
    assert r.headers["content-type"].startswith("text/plain; version=0.0.4")
    p = subprocess.run([need("promtool"), "check", "metrics"], input=r.text, text=True,
                       capture_output=True, timeout=60)
    assert p.returncode == 0 and p.stdout == "" and p.stderr == "", (p.stdout, p.stderr)


def test_counters_exact_over_h1_h2_tls(ops):
    before = parse(scrape(ops.metrics_port).text)
    n = {"h1": 7, "h2c": 5, "tls_h1": 3, "tls_h2": 4}
    with requests.Session() as s:
        for _ in range(n["h1"]):
            assert s.get(f"{ops.url}/status/418", timeout=5).status_code == 418
        for _ in range(n["tls_h1"]):
            r = s.get(f"https://localhost:{ops.tls_port}/status/418", verify=ops.ca, timeout=5)
            assert r.status_code == 418
    with httpx.Client(http1=False, http2=True) as c:
        for _ in range(n["h2c"]):
            r = c.get(f"http://127.0.0.1:{ops.h2c_port}/status/418")
            assert r.status_code == 418 and r.http_version == "HTTP/2"
    with httpx.Client(http2=True, verify=ops.ca) as c:
        for _ in range(n["tls_h2"]):
            r = c.get(f"https://localhost:{ops.tls_port}/status/418")
            assert r.status_code == 418 and r.http_version == "HTTP/2"
    after = parse(scrape(ops.metrics_port).text)

    def delta(**labels):
        name = "httpstatus_requests_total"
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta(code="418", proto="http/1.1", scheme="http") == n["h1"]
    assert delta(code="418", proto="h2", scheme="http") == n["h2c"]
    assert delta(code="418", proto="http/1.1", scheme="https") == n["tls_h1"]
    assert delta(code="418", proto="h2", scheme="https") == n["tls_h2"]
    total = sum(n.values())
    # the histogram counts every request, the scrapes on the metrics listener included
    hist = ("httpstatus_request_duration_seconds_count", frozenset())
    assert after[hist] - before[hist] == total + 1
    hs = ("httpstatus_tls_handshakes_total", frozenset())
    assert after[hs] - before[hs] == 2  # one connection per client above
    assert value(after, "httpstatus_sent_bytes_total") > value(before, "httpstatus_sent_bytes_total")


def test_limit_refusals_and_tls_failures(ops):
    before = parse(scrape(ops.port).text)
    with socket.create_connection(("127.0.0.1", ops.port), timeout=5) as s:
        s.sendall(b"GET /" + b"a" * 2000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        assert b" 414 " in s.recv(4096)
    r = requests.post(f"{ops.url}/post", data=b"x" * 5000, timeout=5)
    assert r.status_code == 413
    with socket.create_connection(("127.0.0.1", ops.tls_port), timeout=5) as s:
        s.sendall(b"GET / HTTP/1.1\r\n\r\n")  # not a TLS ClientHello
        assert b" 400 " in s.recv(4096)  # nginx's 497 answer, in clear; a failed handshake
    with socket.create_connection(("127.0.0.1", ops.tls_port), timeout=5) as s:
        s.sendall(b"\x16\x03\x01\x00\x05garbage")  # a handshake record that is not one
        s.recv(4096)
    after = parse(scrape(ops.port).text)
    for code in ("414", "413"):
        key = ("httpstatus_limit_refusals_total", frozenset({("code", code)}))
        assert after[key] - before[key] == 1, code
    key = ("httpstatus_tls_handshake_failures_total", frozenset())
    assert after[key] - before[key] == 2


def read_some(sock, wait):
    sock.settimeout(wait)
    try:
        return sock.recv(4096)
    except socket.timeout:
        return b""


def test_refusals_408_and_503(make_server):
    s = make_server("--header-timeout", "500ms", "--max-connections", "1", "--linger", "0")
    refused = 0  # every 503 we see must be counted, no more
    deadline = time.monotonic() + 20
    while True:  # the connection the harness checked the port with may still count
        hold = socket.create_connection(("127.0.0.1", s.port), timeout=10)
        hold.sendall(b"GET /status/200 HTTP/1.1\r\nHost")  # and nothing more: 408 later
        first = read_some(hold, 0.2)
        if not first:
            break
        assert first.startswith(b"HTTP/1.1 503 "), first
        refused += 1
        hold.close()
        assert time.monotonic() < deadline
        time.sleep(0.2)
    with hold:
        with socket.create_connection(("127.0.0.1", s.port), timeout=10) as extra:
            assert read_some(extra, 10).startswith(b"HTTP/1.1 503 ")  # past --max-connections
            refused += 1
        assert read_some(hold, 10).startswith(b"HTTP/1.1 408 ")
    while True:  # the refused connections close before the scrape can connect
        with socket.create_connection(("127.0.0.1", s.port), timeout=10) as c:
            got = read_some(c, 0.2)  # a refusal comes at once, before any request
            if not got:
                c.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                c.settimeout(10)
                while chunk := c.recv(65536):
                    got += chunk
        if got.startswith(b"HTTP/1.1 200 "):
            break
        assert got.startswith(b"HTTP/1.1 503 ") and time.monotonic() < deadline, got
        refused += 1
        time.sleep(0.1)
    m = parse(got.split(b"\r\n\r\n", 1)[1].decode())
    assert value(m, "httpstatus_limit_refusals_total", code="408") == 1
    assert value(m, "httpstatus_limit_refusals_total", code="503") == refused
    assert value(m, "httpstatus_requests_total", code="408", proto="http/1.1", scheme="http") == 1


def test_websocket_sessions_and_close_codes(ops):
    before = parse(scrape(ops.port).text)

    async def run():
        async with websockets.connect(f"ws://127.0.0.1:{ops.port}/websocket/echo") as ws:
            await ws.send("hi")
            assert await ws.recv() == "hi"
            await ws.close(code=1000)
        with pytest.raises(websockets.ConnectionClosed):
            async with websockets.connect(
                    f"ws://127.0.0.1:{ops.port}/websocket/close/4001") as ws:
                await ws.recv()

    asyncio.run(run())
    time.sleep(0.3)
    after = parse(scrape(ops.port).text)

    def delta(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("httpstatus_websocket_sessions_total") == 2
    assert delta("httpstatus_websocket_close_received_total", code="1000") == 1
    assert delta("httpstatus_websocket_close_sent_total", code="1000") == 1
    assert delta("httpstatus_websocket_close_sent_total", code="4xxx") == 1


def test_open_connections_gauge(make_server):
    ops = make_server("--metrics-listen", "127.0.0.1:0", workers=2)
    ops.metrics_port = ops.port_of("http", "/metrics")
    key = dict(proto="http/1.1", scheme="http")

    def settles_at(n):  # connections closed a moment ago may still count: poll
        deadline = time.monotonic() + 10
        while True:
            # each scrape's own connection is the one beyond n
            got = value(parse(scrape(ops.metrics_port).text), "httpstatus_open_connections", **key)
            if got == n + 1:
                return True
            assert time.monotonic() < deadline, (got, n + 1)
            time.sleep(0.1)

    settles_at(0)
    socks = [socket.create_connection(("127.0.0.1", ops.port), timeout=5) for _ in range(3)]
    for s in socks:  # a request each, so that every one has been accepted
        s.sendall(b"GET /status/204 HTTP/1.1\r\nHost: x\r\n\r\n")
        assert b" 204 " in s.recv(4096)
    settles_at(3)
    for s in socks:
        s.close()
    settles_at(0)


def test_metrics_listener_serves_only_ops(ops):
    assert requests.get(f"http://127.0.0.1:{ops.metrics_port}/status/200").status_code == 404
    r = requests.get(f"http://127.0.0.1:{ops.metrics_port}/healthz", timeout=5)
    assert r.status_code == 200 and r.text == "ok\n"
    r = requests.get(f"http://127.0.0.1:{ops.metrics_port}/readyz", timeout=5)
    assert r.status_code == 200 and r.text == "ready\n"
    assert "listening on http://127.0.0.1:%d" % ops.metrics_port in ops.stderr()


def test_metrics_listener_passes_the_connection_limit(make_server):
    """A server full of clients is busy, not dead: its probes still answer."""
    s = make_server("--max-connections", "2", "--metrics-listen", "127.0.0.1:0")
    mport = s.port_of("http", "/metrics")
    held = []
    deadline = time.monotonic() + 10
    try:
        while len(held) < 2:  # the harness's check connection may still count a moment
            h = socket.create_connection(("127.0.0.1", s.port), timeout=5)
            h.sendall(b"GET /status/204 HTTP/1.1\r\nHost: x\r\n\r\n")
            if h.recv(4096).startswith(b"HTTP/1.1 204 "):
                held.append(h)
                continue
            h.close()
            assert time.monotonic() < deadline
            time.sleep(0.2)
        with socket.create_connection(("127.0.0.1", s.port), timeout=5) as extra:
            assert extra.recv(4096).startswith(b"HTTP/1.1 503 ")
        r = requests.get(f"http://127.0.0.1:{mport}/healthz", timeout=5)
        assert r.status_code == 200
        assert requests.get(f"http://127.0.0.1:{mport}/metrics", timeout=5).status_code == 200
    finally:
        for h in held:
            h.close()


def test_readyz_503_while_draining(make_server):
    """A keep-alive connection idle when the drain starts has DRAIN_IDLE_MS
    (250 ms, conn.c) before it is closed: /readyz asked on it then is 503."""
    for attempt in range(3):  # a loaded machine may miss the window: retry
        s = make_server("--drain-timeout", "5s")
        with socket.create_connection(("127.0.0.1", s.port), timeout=10) as c:
            c.sendall(b"GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n")
            first = c.recv(65536)
            assert first.startswith(b"HTTP/1.1 200 ") and first.endswith(b"ready\n"), first
            s.send_signal()
            time.sleep(0.05)
            data = b""
            try:
                c.sendall(b"GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n")
                while not data.endswith(b"\n\n") and not data.endswith(b"draining\n"):
                    chunk = c.recv(65536)
                    if not chunk:
                        break
                    data += chunk
            except OSError:
                pass
        # the drain is under way: wait for it, a second SIGTERM would race the
        # process's own exit (slow under a sanitizer)
        s.exit_code = s.proc.wait(timeout=15)
        if data:
            break
    assert data.startswith(b"HTTP/1.1 503 "), data
    assert b"Retry-After: 1" in data and data.endswith(b"draining\n"), data


def test_startup_quiet_at_default_limits(tmp_path):
    """A low open-file limit at default settings: the connection limit shrinks
    silently; start-up names the listeners and the web reference URL."""
    def low():
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))
    from conftest import BIN
    err_path = tmp_path / "err.txt"
    with open(err_path, "w") as err:
        p = subprocess.Popen([BIN, "serve", "--listen", "127.0.0.1:0", "--access-log", "off"],
                             stdout=subprocess.DEVNULL, stderr=err, preexec_fn=low)
        try:
            deadline = time.monotonic() + 10
            while "web reference" not in err_path.read_text():
                assert p.poll() is None and time.monotonic() < deadline, err_path.read_text()
                time.sleep(0.05)
        finally:
            p.terminate()
            assert p.wait(timeout=15) == 0
    text = err_path.read_text()
    assert "warning" not in text, text
    assert re.search(r"listening on http://127\.0\.0\.1:\d+ ", text), text
    assert re.search(r"web reference at http://127\.0\.0\.1:\d+/", text), text


PROM_CONFIG = """
global:
  scrape_interval: 1s
  scrape_timeout: 900ms
scrape_configs:
  - job_name: httpstatus
    metrics_path: /metrics
    static_configs:
      - targets: ['127.0.0.1:{port}']
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_prometheus_scrapes_known_traffic(ops, tmp_path):
    prom = need("prometheus")
    (tmp_path / "prometheus.yml").write_text(PROM_CONFIG.format(port=ops.metrics_port))
    web = free_port()
    log = open(tmp_path / "prometheus.log", "w")
    p = subprocess.Popen([prom, f"--config.file={tmp_path / 'prometheus.yml'}",
                          f"--storage.tsdb.path={tmp_path / 'data'}",
                          f"--web.listen-address=127.0.0.1:{web}"],
                         stdout=log, stderr=subprocess.STDOUT)
    try:
        def query(q):
            url = f"http://127.0.0.1:{web}/api/v1/query?" + urllib.parse.urlencode({"query": q})
            with urllib.request.urlopen(url, timeout=5) as r:
                return json.load(r)["data"]["result"]

        sel = 'httpstatus_requests_total{code="429",proto="http/1.1",scheme="http"}'
        deadline = time.monotonic() + 90
        while True:  # Prometheus up and a first scrape stored (before our traffic)
            try:
                if query('up{job="httpstatus"}') and query('up{job="httpstatus"}')[0]["value"][1] == "1":
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, (tmp_path / "prometheus.log").read_text()
            time.sleep(0.5)
        start = query(f"sum({sel}) or vector(0)")
        start = float(start[0]["value"][1]) if start else 0.0
        with requests.Session() as s:
            for _ in range(11):
                assert s.get(f"{ops.url}/status/429", timeout=5).status_code == 429
        while True:
            got = query(sel)
            if got and float(got[0]["value"][1]) - start == 11:
                break
            assert time.monotonic() < deadline, (got, start)
            time.sleep(0.5)
    finally:
        p.terminate()
        p.wait(timeout=30)
        log.close()


def test_access_log_drops_and_write_errors_are_counted(make_server):
    """Issue 18 + 22: a log sink that fails drops lines, never requests, and /metrics says
    so (the writer thread's counters, rendered by the server's process-wide family)."""
    s = make_server("--log-file", "/dev/full")
    for _ in range(5):
        assert requests.get(s.url + "/status/204", timeout=5).status_code == 204
    deadline = time.monotonic() + 5
    while True:
        m = parse(scrape(s.port).text)
        dropped = value(m, "httpstatus_access_log_lines_total", outcome="dropped")
        if dropped >= 5 or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert dropped >= 5, m
    assert value(m, "httpstatus_access_log_lines_total", outcome="written") == 0
    assert value(m, "httpstatus_access_log_write_errors_total") >= 1
