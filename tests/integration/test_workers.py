"""Several workers (one libuv loop per thread) under concurrent load from many
client threads, over most endpoint families (plain, compressed, streamed,
paced, suspended, WebSocket), with a graceful drain at the end and a second
signal during long streams. Meant above all for the ThreadSanitizer build
(test.sh runs every multi-worker test under TSan), but the assertions hold in
every build. Each test is bounded: a few seconds of load, then the signal."""
import asyncio
import json
import signal
import socket
import threading
import time

import httpx
import pytest
import requests
import websockets
from requests.auth import HTTPDigestAuth

from rawhttp import read_all, request

WORKERS = 4
T = 10  # per-request timeout (TSan makes the server several times slower)

# (method, path, expected status, extra request kwargs)
PLAIN = [
    ("GET", "/", 200, {}),
    ("GET", "/status/200", 200, {}),
    ("GET", "/status/418", 418, {"headers": {"Accept": "application/json"}}),
    ("GET", "/status/404", 404, {"headers": {"Accept-Language": "zh"}}),
    ("GET", "/get?a=1&a=2&b=x", 200, {}),
    ("GET", "/headers", 200, {"headers": {"X-Test": "1"}}),
    ("GET", "/ip", 200, {}),
    ("GET", "/user-agent", 200, {}),
    ("GET", "/uuid", 200, {}),
    ("GET", "/hostname", 200, {}),
    ("GET", "/json", 200, {}),
    ("GET", "/html", 200, {}),
    ("GET", "/xml", 200, {}),
    ("GET", "/robots.txt", 200, {}),
    ("GET", "/encoding/utf8", 200, {}),
    ("GET", "/gzip", 200, {}),
    ("GET", "/deflate", 200, {}),
    ("GET", "/brotli", 200, {}),
    ("GET", "/zstd", 200, {}),
    ("GET", "/get", 200, {"headers": {"Accept-Encoding": "gzip, br, zstd"}}),
    ("GET", "/bytes/700", 200, {}),
    ("GET", "/bytes/700?seed=3", 200, {}),
    ("GET", "/stream-bytes/3000?chunk_size=256", 200, {}),
    ("GET", "/stream/5", 200, {}),
    ("GET", "/range/2000", 206, {"headers": {"Range": "bytes=10-99"}}),
    ("GET", "/base64/SFRUUFNUQVRVUw==", 200, {}),
    ("GET", "/cache", 200, {}),
    ("GET", "/cache/30", 200, {}),
    ("GET", "/etag/abc", 304, {"headers": {"If-None-Match": '"abc"'}}),
    ("GET", "/response-headers?X-A=1&X-B=2", 200, {}),
    ("GET", "/redirect/2", 200, {}),
    ("GET", "/cookies/set?k=v", 200, {}),
    ("GET", "/links/5/2", 200, {}),
    ("GET", "/image/png", 200, {}),
    ("GET", "/image/webp", 200, {}),
    ("GET", "/image", 200, {"headers": {"Accept": "image/svg+xml"}}),
    ("GET", "/basic-auth/u/p", 200, {"auth": ("u", "p")}),
    ("GET", "/digest-auth/auth/u/p/SHA-256", 200, {"auth": HTTPDigestAuth("u", "p")}),
    ("GET", "/unstable?failure_rate=0", 200, {}),
    ("GET", "/delay/0.05", 200, {}),
    ("GET", "/drip?numbytes=4&duration=0.1", 200, {}),
    ("GET", "/sse?count=3&duration=100ms", 200, {}),
    ("GET", "/jsonl?count=4&duration=100ms&jitter=0.5", 200, {}),
    ("GET", "/trailers?X-T=1", 200, {}),
    ("GET", "/dump/request", 200, {}),
    ("POST", "/post", 200, {"json": {"k": [1, 2.5, "x"]}}),
    ("PUT", "/put", 200, {"data": {"f": "v", "g": "w"}}),
    ("PATCH", "/anything/p", 200, {"files": {"up": ("a.txt", b"abc" * 50)}}),
    ("DELETE", "/delete", 200, {}),
    ("POST", "/gzip", 405, {}),
    ("GET", "/no/such/route", 404, {}),
]


class Load:
    """Client threads that loop over the endpoints until told to stop. Before
    the stop signal every answer must be the expected one; after it, errors
    (refused, reset, closed) are allowed, wrong answers are not."""

    def __init__(self, srv):
        self.srv = srv
        self.stop = threading.Event()
        self.signalled = threading.Event()
        self.lock = threading.Lock()
        self.ok = 0
        self.failures = []
        self.threads = []

    def record(self, what, err=None):
        with self.lock:
            if err is None:
                self.ok += 1
            elif not self.signalled.is_set():
                self.failures.append(f"{what}: {err!r}")

    def check(self, what, method, path, want, r):
        if r.status_code != want:
            self.record(what, f"{method} {path}: {r.status_code} != {want}")
        else:
            self.record(what)

    def run(self, target, *args):
        def body():
            try:
                target(*args)
            except Exception as e:  # noqa: BLE001 - any error is a failure before the signal
                self.record(target.__name__, e)

        t = threading.Thread(target=body, daemon=True)
        self.threads.append(t)
        t.start()

    # One keep-alive session; a new session (new connection, maybe another
    # worker: all of them accept from the shared socket) every few requests.
    def with_requests(self, offset):
        i = offset
        while not self.stop.is_set():
            with requests.Session() as s:
                for _ in range(6):
                    if self.stop.is_set():
                        return
                    method, path, want, kw = PLAIN[i % len(PLAIN)]
                    i += 7
                    try:
                        r = s.request(method, self.srv.url + path, timeout=T, **kw)
                        r.content
                        self.check("requests", method, path, want, r)
                    except requests.RequestException as e:
                        self.record("requests", e)

    def with_httpx(self, offset):
        i = offset
        while not self.stop.is_set():
            with httpx.Client(timeout=T) as c:
                for _ in range(6):
                    if self.stop.is_set():
                        return
                    method, path, want, kw = PLAIN[i % len(PLAIN)]
                    i += 5
                    if "auth" in kw or "json" in kw or "files" in kw or "data" in kw:
                        continue  # the requests threads cover those
                    try:
                        with c.stream(method, self.srv.url + path, follow_redirects=True,
                                      headers=kw.get("headers")) as r:
                            for _ in r.iter_bytes():
                                pass
                        self.check("httpx", method, path, want, r)
                    except httpx.HTTPError as e:
                        self.record("httpx", e)

    # One request per connection, closed by the server: accept / close churn
    # on every worker.
    def with_sockets(self):
        while not self.stop.is_set():
            try:
                with socket.create_connection(("127.0.0.1", self.srv.port), timeout=T) as s:
                    s.sendall(request("GET", "/status/201", headers=[("Connection", "close")]))
                    data, _ = read_all(s, timeout=T)
                if data.startswith(b"HTTP/1.1 201 "):
                    self.record("socket")
                else:
                    self.record("socket", data[:60])
            except OSError as e:
                self.record("socket", e)

    def with_websocket(self):
        async def session():
            url = self.srv.url.replace("http://", "ws://") + "/websocket/echo"
            async with websockets.connect(url, open_timeout=T, close_timeout=T) as ws:
                for n in range(20):
                    if self.stop.is_set():
                        return
                    msg = f"hello {n} " * (1 + n * 7)
                    await ws.send(msg)
                    assert await asyncio.wait_for(ws.recv(), T) == msg
                    await ws.send(msg.encode())
                    assert await asyncio.wait_for(ws.recv(), T) == msg.encode()

        while not self.stop.is_set():
            try:
                asyncio.run(session())
                self.record("websocket")
            except (OSError, AssertionError, asyncio.TimeoutError,
                    websockets.exceptions.WebSocketException) as e:
                self.record("websocket", e)

    def start(self):
        for k in range(3):
            self.run(self.with_requests, k * 11)
        for k in range(2):
            self.run(self.with_httpx, k * 13 + 1)
        self.run(self.with_sockets)
        self.run(self.with_websocket)

    def join(self):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=3 * T)
        assert not any(t.is_alive() for t in self.threads), "a client thread hangs"


def first_requests_at_once(srv, n=16):
    """Opens n connections (the kernel spreads them over the workers), lets the
    workers accept them all, then sends one request on each at the same time:
    every worker parses and answers its first request with no synchronisation
    in between, so ThreadSanitizer sees any state that is set up lazily, on
    first use, by whichever thread comes first."""
    socks = [socket.create_connection(("127.0.0.1", srv.port), timeout=T) for _ in range(n)]
    try:
        time.sleep(0.3)
        paths = ["/get?x=1", "/status/200", "/gzip", "/json", "/headers", "/uuid", "/bytes/10",
                 "/status/418"]
        for i, s in enumerate(socks):
            s.sendall(request("GET", paths[i % len(paths)], host="127.0.0.1",
                              headers=[("Connection", "close"), ("Accept-Encoding", "gzip")]))
        for s in socks:
            data, _ = read_all(s, timeout=T)
            assert data.startswith(b"HTTP/1.1 "), (data[:60], srv.stderr())
    finally:
        for s in socks:
            s.close()


@pytest.mark.parametrize("access_log", ["clf", "json", "off"])
def test_load_on_every_worker_then_drain(make_server, access_log):
    """~3 s of mixed load, then SIGTERM during the load: exit 0 within the drain
    time, no wrong answer before the signal, a well-formed access log."""
    srv = make_server("--drain-timeout", "3s", "--idle-timeout", "5s", "--linger", "100ms",
                      workers=WORKERS, access_log=access_log)
    first_requests_at_once(srv)
    load = Load(srv)
    load.start()
    time.sleep(3.0)
    load.signalled.set()
    srv.send_signal(signal.SIGTERM)
    code = srv.proc.wait(timeout=15)
    srv.exit_code = code
    load.join()
    assert code == 0, srv.stderr()
    assert not load.failures, load.failures[:10]
    assert load.ok > 40, load.ok
    err = srv.stderr()
    assert f"({WORKERS} workers)" in err and "draining" in err and "stopped after" in err
    log = srv.access_log()
    if access_log == "off":
        assert log == ""
    else:
        lines = log.splitlines()
        assert len(lines) >= load.ok // 2
        if access_log == "json":  # whole lines only: workers never interleave
            for line in lines:
                json.loads(line)
        else:
            assert all(line.startswith("127.0.0.1 - - [") for line in lines), lines[:3]


def test_second_signal_stops_long_streams(make_server):
    """Long streams and WebSocket sessions on several workers, SIGTERM (drain,
    which would last 30 s), then a second SIGTERM: every worker closes at once."""
    srv = make_server("--drain-timeout", "30s", "--idle-timeout", "30s", workers=WORKERS,
                      access_log="clf")
    done = []

    def stream(path):
        try:
            with requests.get(srv.url + path, stream=True, timeout=T) as r:
                assert r.status_code == 200, (path, r.status_code)
                started.wait()
                for _ in r.iter_content(1):
                    pass
        except (requests.RequestException, threading.BrokenBarrierError):
            pass
        done.append(path)

    def suspended_before_headers():  # /delay answers only at the end of the wait
        try:
            with socket.create_connection(("127.0.0.1", srv.port), timeout=T) as s:
                s.sendall(request("GET", "/delay/10"))
                started.wait()
                read_all(s, timeout=3 * T)
        except (OSError, threading.BrokenBarrierError):
            pass
        done.append("delay")

    def ws_idle():
        async def session():
            url = srv.url.replace("http://", "ws://") + "/websocket/echo"
            async with websockets.connect(url, open_timeout=T) as ws:
                await ws.send("x")
                await asyncio.wait_for(ws.recv(), T)
                started.wait()
                await asyncio.wait_for(ws.recv(), 3 * T)  # until the server closes

        try:
            asyncio.run(session())
        except (OSError, asyncio.TimeoutError, threading.BrokenBarrierError,
                websockets.exceptions.WebSocketException):
            pass
        done.append("ws")

    paths = ["/drip?numbytes=20&duration=10", "/sse?count=20&duration=10s",
             "/jsonl?count=20&duration=10s", "/range/2000?chunk_size=10&duration=10"]
    threads = [threading.Thread(target=stream, args=(p,), daemon=True) for p in paths]
    threads += [threading.Thread(target=suspended_before_headers, daemon=True)]
    threads += [threading.Thread(target=ws_idle, daemon=True) for _ in range(3)]
    started = threading.Barrier(len(threads) + 1, timeout=T)
    for t in threads:
        t.start()
    started.wait()
    time.sleep(0.3)
    t0 = time.monotonic()
    srv.send_signal(signal.SIGTERM)
    time.sleep(0.5)
    assert srv.proc.poll() is None  # draining: the streams are still running
    srv.send_signal(signal.SIGTERM)
    code = srv.proc.wait(timeout=10)
    srv.exit_code = code
    assert code == 0, srv.stderr()
    assert time.monotonic() - t0 < 5
    for t in threads:
        t.join(timeout=T)
    assert len(done) == len(threads)
