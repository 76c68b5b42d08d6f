"""Responses produced over time (issue 4): /delay, /drip, /stream, /stream-bytes,
/sse, /jsonl, /trailers, driven by real clients (requests, httpx, curl, raw
sockets). Also the connection-level behaviour of suspended exchanges: later
pipelined requests wait, no request timeout fires, a client that leaves frees
the exchange, graceful shutdown lets a stream finish or cuts it at the drain
deadline. Every server is checked for sanitizer reports and exit 0 at teardown
(conftest), so leaks under ASan fail these tests."""
import json
import signal
import socket
import struct
import subprocess
import threading
import time

import httpx
import pytest
import requests

from conftest import DEFAULT_ARGS
from rawhttp import read_all, request


# ---------------------------------------------------------------- helpers

class Reader:
    """Buffered reads from a socket with one deadline."""

    def __init__(self, sock, timeout=5.0):
        self.s = sock
        self.buf = bytearray()
        self.deadline = time.monotonic() + timeout

    def _fill(self):
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(self.buf[:200])
        self.s.settimeout(left)
        b = self.s.recv(262144)
        if not b:
            raise ConnectionError("closed; have %r" % bytes(self.buf[:200]))
        self.buf += b

    def line(self):
        while b"\r\n" not in self.buf:
            self._fill()
        i = self.buf.index(b"\r\n")
        ln = bytes(self.buf[:i])
        del self.buf[:i + 2]
        return ln

    def exactly(self, n):
        while len(self.buf) < n:
            self._fill()
        out = bytes(self.buf[:n])
        del self.buf[:n]
        return out

    def rest(self):
        try:
            while True:
                self._fill()
        except (ConnectionError, OSError):
            pass
        out = bytes(self.buf)
        self.buf = bytearray()
        return out


def read_response(rd, head=False):
    """One response: (status, headers dict lower-case → list, body, trailers,
    chunk sizes, chunked?)."""
    status = int(rd.line().split(b" ", 2)[1])
    hdrs = {}
    while True:
        ln = rd.line()
        if not ln:
            break
        k, _, v = ln.partition(b":")
        hdrs.setdefault(k.decode().strip().lower(), []).append(v.decode("latin-1").strip())
    body, trailers, sizes = b"", {}, []
    chunked = "chunked" in ",".join(hdrs.get("transfer-encoding", [])).lower()
    if head or status in (204, 304) or status < 200:
        return status, hdrs, body, trailers, sizes, chunked
    if chunked:
        while True:
            n = int(rd.line().split(b";")[0], 16)
            if n == 0:
                break
            sizes.append(n)
            body += rd.exactly(n)
            assert rd.exactly(2) == b"\r\n"
        while True:
            ln = rd.line()
            if not ln:
                break
            k, _, v = ln.partition(b":")
            trailers[k.decode().strip()] = v.decode("latin-1").strip()
    elif "content-length" in hdrs:
        body = rd.exactly(int(hdrs["content-length"][0]))
    else:
        body = rd.rest()
    return status, hdrs, body, trailers, sizes, chunked


def raw(srv, data, n=1, head=(), timeout=5.0):
    """Sends data on a new connection, reads n responses."""
    with srv.connect(timeout=timeout) as s:
        s.sendall(data)
        rd = Reader(s, timeout)
        return [read_response(rd, head=i in head) for i in range(n)]


@pytest.fixture(scope="module")
def hb(request):
    """A shared server with short request timeouts (which must not fire on
    suspended exchanges) and a small drain time."""
    from conftest import Server
    s = Server(*DEFAULT_ARGS)
    yield s
    s.close()


# ---------------------------------------------------------------- /delay

def test_delay_waits_and_answers_like_httpbin(hb):
    t0 = time.monotonic()
    r = requests.get(hb.url + "/delay/0.5?a=1", timeout=5)
    took = time.monotonic() - t0
    assert r.status_code == 200 and 0.45 <= took < 2.0, took
    j = r.json()
    assert set(j) == {"args", "data", "files", "form", "headers", "origin", "url"}
    assert j["args"] == {"a": "1"} and j["url"].endswith("/delay/0.5?a=1")
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert r.text.startswith('{\n  "args"') and r.text.endswith("}\n")


def test_delay_fractions_and_go_durations_with_httpx(hb):
    with httpx.Client(timeout=5) as c:
        for path, want in (("/delay/0.25", 0.25), ("/delay/300ms", 0.3), ("/delay/0", 0)):
            t0 = time.monotonic()
            r = c.get(hb.url + path)
            took = time.monotonic() - t0
            assert r.status_code == 200 and want - 0.02 <= took < want + 1.0, (path, took)


@pytest.mark.parametrize("path", ["/delay/abc", "/delay/-1", "/delay/11", "/delay/nan", "/delay/inf",
                                  "/delay/1e3"])
def test_delay_bad_input_is_400_at_once(hb, path):
    t0 = time.monotonic()
    r = requests.get(hb.url + path, timeout=5)
    assert r.status_code == 400 and time.monotonic() - t0 < 1.0
    assert r.json()["code"] == 400


def test_delay_404_and_405(hb):
    assert requests.get(hb.url + "/delay/1/2", timeout=5).status_code == 404
    assert requests.get(hb.url + "/delay/", timeout=5).status_code == 404
    r = requests.post(hb.url + "/delay/0", timeout=5)
    assert r.status_code == 405 and r.headers["Allow"] == "GET, HEAD, OPTIONS"


def test_delay_cap_option(make_server):
    srv = make_server(*DEFAULT_ARGS, "--max-delay", "0.2")
    assert requests.get(srv.url + "/delay/0.3", timeout=5).status_code == 400
    assert requests.get(srv.url + "/delay/0.2", timeout=5).status_code == 200
    assert requests.get(srv.url + "/drip?duration=0.15&delay=0.1", timeout=5).status_code == 400
    assert requests.get(srv.url + "/sse?duration=0.3", timeout=5).status_code == 400


def test_delay_head_waits_then_headers_only(hb):
    t0 = time.monotonic()
    r = requests.head(hb.url + "/delay/0.3", timeout=5)
    assert r.status_code == 200 and r.content == b"" and time.monotonic() - t0 >= 0.28
    assert int(r.headers["Content-Length"]) > 100


def test_delays_run_concurrently(hb):
    """Suspended exchanges do not block the event loop: 40 delays of 0.5 s on
    40 connections finish in about 0.5 s."""
    results = []

    def one():
        r = requests.get(hb.url + "/delay/0.5", timeout=10)
        results.append(r.status_code)

    t0 = time.monotonic()
    ts = [threading.Thread(target=one) for _ in range(40)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(15)
    assert results == [200] * 40
    assert time.monotonic() - t0 < 3.0


# ---------------------------------------------------------------- pipelining

def test_pipelined_requests_wait_behind_a_delay(hb):
    data = (request("GET", "/delay/0.4") + request("GET", "/status/201") +
            request("GET", "/stream/2") + request("HEAD", "/drip?numbytes=3") +
            request("GET", "/status/202"))
    with hb.connect() as s:
        t0 = time.monotonic()
        s.sendall(data)
        rd = Reader(s, 5)
        first = read_response(rd)
        t_first = time.monotonic() - t0
        rest = [read_response(rd, head=(i == 2)) for i in range(4)]
    assert t_first >= 0.38
    assert [first[0]] + [r[0] for r in rest] == [200, 201, 200, 200, 202]
    assert json.loads(first[2])["url"].endswith("/delay/0.4")
    assert rest[1][5] and len(rest[1][2].splitlines()) == 2
    assert rest[2][1]["content-length"] == ["3"] and rest[2][2] == b""


def test_many_pipelined_requests_fill_the_read_buffer(hb):
    """More pipelined bytes than the read buffer holds wait in the kernel while
    the first exchange is suspended; all are answered, in order."""
    n = 120
    reqs = [request("GET", "/delay/0.3")] + [
        request("GET", "/status/%d" % (200 + i % 7), headers=[("X-Pad", "p" * 40)]) for i in range(n)]
    with hb.connect() as s:
        s.sendall(b"".join(reqs))
        rd = Reader(s, 10)
        got = [read_response(rd)[0] for _ in range(n + 1)]
    assert got == [200] + [200 + i % 7 for i in range(n)]


def test_no_request_timeout_while_suspended(make_server):
    srv = make_server("--header-timeout", "300ms", "--body-timeout", "300ms", "--idle-timeout", "400ms")
    with requests.Session() as sess:
        t0 = time.monotonic()
        r = sess.get(srv.url + "/delay/1", timeout=5)
        assert r.status_code == 200 and time.monotonic() - t0 >= 0.95
        r = sess.get(srv.url + "/drip?numbytes=4&duration=1", timeout=5)
        assert r.status_code == 200 and r.content == b"****"
        r = sess.get(srv.url + "/status/204", timeout=5)  # same connection still usable
        assert r.status_code == 204
    assert '" 408 ' not in srv.access_log()


# ---------------------------------------------------------------- /drip

def test_drip_paced_bytes_with_requests_stream(hb):
    t0 = time.monotonic()
    with requests.get(hb.url + "/drip?numbytes=5&duration=1&code=201", stream=True, timeout=5) as r:
        assert r.status_code == 201 and r.headers["Content-Length"] == "5"
        assert r.headers["Content-Type"] == "application/octet-stream"
        assert "Transfer-Encoding" not in r.headers
        times = []
        for b in r.iter_content(1):
            assert b == b"*"
            times.append(time.monotonic() - t0)
    assert len(times) == 5
    assert times[0] < 0.4 and times[-1] >= 0.7, times  # bytes at 0, .2, .4, .6, .8 s


def test_drip_delay_before_headers_with_curl(hb):
    out = subprocess.run(["curl", "-s", "-N", "-o", "/dev/null", "-w", "%{http_code} %{time_starttransfer} %{size_download}",
                          hb.url + "/drip?numbytes=3&duration=0&delay=0.4"],
                         capture_output=True, text=True, timeout=10).stdout.split()
    assert out[0] == "200" and float(out[1]) >= 0.38 and out[2] == "3"


def test_drip_large_body_with_backpressure(hb):
    """10 MiB (the cap) of '*' at once, more than the socket buffers hold: the
    server must wait for the client, which starts reading late."""
    with hb.connect(timeout=10) as s:
        s.sendall(request("GET", "/drip?numbytes=20000000&duration=0"))
        time.sleep(0.5)  # the server fills the socket and must wait
        rd = Reader(s, 20)
        st, h, body, *_ = read_response(rd)
    assert st == 200 and h["content-length"] == [str(10 * 1024 * 1024)]
    assert len(body) == 10 * 1024 * 1024 and body.count(b"*") == len(body)


@pytest.mark.parametrize("query", ["numbytes=0", "numbytes=-3"])
def test_drip_non_positive_is_httpbins_400(hb, query):
    r = requests.get(hb.url + "/drip?" + query, timeout=5)
    assert r.status_code == 400 and r.text == "number of bytes must be positive"


@pytest.mark.parametrize("query", ["numbytes=x", "code=abc", "duration=x", "delay=-1", "code=99",
                                   "code=100", "code=600", "duration=8&delay=3"])
def test_drip_bad_input_is_400(hb, query):
    r = requests.get(hb.url + "/drip?" + query, timeout=5)
    assert r.status_code == 400 and r.json()["code"] == 400


def test_drip_no_content_codes_and_head(hb):
    r = requests.get(hb.url + "/drip?numbytes=3&duration=0&code=204", timeout=5)
    assert r.status_code == 204 and r.content == b"" and "Content-Length" not in r.headers
    r = requests.head(hb.url + "/drip?numbytes=7&duration=3", timeout=5)
    assert r.status_code == 200 and r.headers["Content-Length"] == "7" and r.content == b""


def test_drip_case_insensitive_params(hb):
    r = requests.get(hb.url + "/drip?NumBytes=3&DURATION=0", timeout=5)
    assert r.status_code == 200 and r.content == b"***"


# ---------------------------------------------------------------- /stream

def test_stream_lines_like_httpbin(hb):
    with requests.get(hb.url + "/stream/3?a=1&a=2", headers={"X-Test": "1"}, stream=True, timeout=5) as r:
        assert r.headers["Transfer-Encoding"] == "chunked"
        assert r.headers["Content-Type"] == "application/json"
        lines = [ln for ln in r.iter_lines() if ln]
    assert len(lines) == 3
    for i, ln in enumerate(lines):
        assert ln.startswith(b'{"url": "http://127.0.0.1:')
        j = json.loads(ln)
        assert list(j) == ["url", "args", "headers", "origin", "id"] and j["id"] == i
        assert j["args"] == {"a": ["1", "2"]} and j["headers"]["X-Test"] == "1"
        assert ln.endswith(b', "id": %d}' % i)


def test_stream_with_httpx_and_caps(hb):
    with httpx.Client(timeout=5) as c:
        with c.stream("GET", hb.url + "/stream/150") as r:
            lines = [ln for ln in r.iter_lines() if ln]
        assert len(lines) == 100 and json.loads(lines[-1])["id"] == 99
        r = c.get(hb.url + "/stream/0")
        assert r.status_code == 200 and r.content == b""
        assert c.get(hb.url + "/stream/-1").status_code == 404
        assert c.get(hb.url + "/stream/x").status_code == 404


def test_stream_http10_is_close_delimited(hb):
    (st, h, body, _, _, chunked), = raw(hb, request("GET", "/stream/2", version="HTTP/1.0",
                                                    headers=[("Connection", "keep-alive")]))
    assert st == 200 and not chunked and h["connection"] == ["close"]
    assert len(body.splitlines()) == 2


def test_stream_head(hb):
    r = requests.head(hb.url + "/stream/3", timeout=5)
    assert r.status_code == 200 and r.content == b"" and r.headers["Transfer-Encoding"] == "chunked"


# ---------------------------------------------------------------- /stream-bytes

def test_stream_bytes_chunks_and_seed(hb):
    (st, h, body, _, sizes, chunked), = raw(hb, request("GET", "/stream-bytes/20?chunk_size=7&seed=3"))
    assert st == 200 and chunked and sizes == [7, 7, 6] and len(body) == 20
    assert h["content-type"] == ["application/octet-stream"]
    again = requests.get(hb.url + "/stream-bytes/20?chunk_size=7&seed=3", timeout=5).content
    assert again == body
    other = requests.get(hb.url + "/stream-bytes/20?chunk_size=7&seed=4", timeout=5).content
    assert other != body and len(other) == 20


def test_stream_bytes_cap_zero_and_errors(hb):
    r = requests.get(hb.url + "/stream-bytes/200000?chunk_size=65536", timeout=10)
    assert r.status_code == 200 and len(r.content) == 102400
    r = requests.get(hb.url + "/stream-bytes/0", timeout=5)
    assert r.status_code == 200 and r.content == b""
    assert requests.get(hb.url + "/stream-bytes/5?seed=x", timeout=5).status_code == 400
    assert requests.get(hb.url + "/stream-bytes/5?chunk_size=x", timeout=5).status_code == 400
    (st, _, body, _, sizes, _), = raw(hb, request("GET", "/stream-bytes/5?chunk_size=0"))
    assert st == 200 and sizes == [1] * 5


def test_stream_bytes_curl(hb):
    out = subprocess.run(["curl", "-s", "-N", hb.url + "/stream-bytes/3000?chunk_size=100"],
                         capture_output=True, timeout=10).stdout
    assert len(out) == 3000


# ---------------------------------------------------------------- /sse, /jsonl

def test_sse_events_paced_with_httpx(hb):
    t0 = time.monotonic()
    text, times = "", []
    with httpx.Client(timeout=5) as c:
        with c.stream("GET", hb.url + "/sse?count=3&duration=400ms&delay=100ms") as r:
            assert r.headers["content-type"] == "text/event-stream; charset=utf-8"
            for piece in r.iter_text():
                text += piece
                times += [time.monotonic() - t0] * piece.count("\n\n")
    events = []
    for block in text.split("\n\n"):
        if block:
            events.append(dict((k, v.strip()) for k, _, v in (ln.partition(":") for ln in block.split("\n"))))
    assert [e["event"] for e in events] == ["ping"] * 3
    assert [json.loads(e["data"])["id"] for e in events] == [0, 1, 2]
    assert times[0] >= 0.08 and times[-1] >= 0.45, times


def test_sse_with_curl_and_errors(hb):
    out = subprocess.run(["curl", "-s", "-N", hb.url + "/sse?count=2&duration=0.1"],
                         capture_output=True, text=True, timeout=10).stdout
    assert out.count("event: ping\ndata: {") == 2
    for q in ("count=0", "count=x", "duration=8s&delay=8s", "duration=-1s", "delay=zz"):
        assert requests.get(hb.url + "/sse?" + q, timeout=5).status_code == 400, q


def test_jsonl(hb):
    with requests.get(hb.url + "/jsonl?count=4&duration=300ms&jitter=0.5", stream=True, timeout=5) as r:
        assert "json" in r.headers["Content-Type"]
        lines = [json.loads(ln) for ln in r.iter_lines() if ln]
    assert [o["id"] for o in lines] == [0, 1, 2, 3]
    for q in ("count=abc", "jitter=2", "count=0"):
        assert requests.get(hb.url + "/jsonl?" + q, timeout=5).status_code == 400, q


# ---------------------------------------------------------------- /trailers

def test_trailers_raw(hb):
    (st, h, body, trailers, _, chunked), = raw(
        hb, request("POST", "/trailers?X-Trailer-A=1&x-trailer-b=two&X-Trailer-A=3", body=b"hi",
                    headers=[("Content-Type", "text/plain")]))
    assert st == 200 and chunked
    assert h["trailer"] == ["X-Trailer-A", "X-Trailer-B"]
    assert trailers == {"X-Trailer-A": "3", "X-Trailer-B": "two"}
    j = json.loads(body)
    assert j["method"] == "POST" and j["data"] == "hi" and j["args"]["X-Trailer-A"] == ["1", "3"]


def test_trailers_curl_and_errors(hb):
    out = subprocess.run(["curl", "-s", "--raw", hb.url + "/trailers?a=1"], capture_output=True,
                         timeout=10).stdout
    assert out.endswith(b"\r\n0\r\nA: 1\r\n\r\n")
    (st, h, body, trailers, _, chunked), = raw(hb, request("GET", "/trailers"))
    assert st == 200 and chunked and trailers == {} and "trailer" not in h
    for q in ("Content-Type=x", "host=a", "Transfer-Encoding=x", "a%20b=1", "a=%0d%0aX:%201"):
        assert requests.get(hb.url + "/trailers?" + q, timeout=5).status_code == 400, q


# ---------------------------------------------------------------- clients that leave

def _rst_close(s):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


def test_client_disconnect_mid_drip_frees_the_exchange(make_server):
    srv = make_server(*DEFAULT_ARGS)
    for i in range(20):
        s = srv.connect()
        s.sendall(request("GET", "/drip?numbytes=100&duration=2"))
        rd = Reader(s, 5)
        while b"\r\n\r\n*" not in rd.buf:
            rd._fill()
        if i % 2:
            _rst_close(s)
        else:
            s.close()
    for i in range(10):  # before any byte: during the delay, and while suspended
        s = srv.connect()
        s.sendall(request("GET", "/delay/2") if i % 2 else request("GET", "/drip?delay=2"))
        time.sleep(0.02)
        _rst_close(s) if i % 3 == 0 else s.close()
    time.sleep(0.5)
    # the server goes on serving; then exits cleanly (no leak under ASan: conftest)
    assert requests.get(srv.url + "/stream/1", timeout=5).status_code == 200
    t0 = time.monotonic()
    assert srv.stop() == 0
    assert time.monotonic() - t0 < 2.0  # nothing left behind to drain
    log = srv.access_log()
    assert log.count('"GET /drip?numbytes=100&duration=2 HTTP/1.1" 200 ') == 20
    assert log.count(" 499 ") == 10


def test_client_half_close_abandons_a_suspended_exchange(hb):
    data, closed = None, None
    with hb.connect() as s:
        s.sendall(request("GET", "/delay/1"))
        s.shutdown(socket.SHUT_WR)
        t0 = time.monotonic()
        data, closed = read_all(s, timeout=3)
        took = time.monotonic() - t0
    assert closed and data == b"" and took < 0.9


# ---------------------------------------------------------------- shutdown

def test_sigterm_during_drip_lets_it_finish(make_server):
    srv = make_server(*DEFAULT_ARGS, "--drain-timeout", "5s")  # the last value counts
    s = srv.connect(timeout=5)
    s.sendall(request("GET", "/drip?numbytes=5&duration=1") + request("GET", "/status/200"))
    rd = Reader(s, 5)
    while b"\r\n\r\n*" not in rd.buf:
        rd._fill()
    t0 = time.monotonic()
    srv.send_signal(signal.SIGTERM)
    st, h, body, *_ = read_response(rd)
    assert st == 200 and body == b"*****"
    st2, h2, *_ = read_response(rd)  # the pipelined request is still answered, with close
    assert st2 == 200 and h2["connection"] == ["close"]
    srv.exit_code = srv.proc.wait(timeout=10)
    assert srv.exit_code == 0 and time.monotonic() - t0 < 3.0
    s.close()


def test_sigterm_cuts_a_stream_at_the_drain_deadline(make_server):
    srv = make_server("--drain-timeout", "500ms")
    s = srv.connect(timeout=5)
    s.sendall(request("GET", "/drip?numbytes=10&duration=5"))
    rd = Reader(s, 5)
    while b"\r\n\r\n*" not in rd.buf:
        rd._fill()
    t0 = time.monotonic()
    srv.send_signal(signal.SIGTERM)
    srv.exit_code = srv.proc.wait(timeout=10)
    took = time.monotonic() - t0
    assert srv.exit_code == 0 and 0.4 <= took < 2.0, took
    body = rd.rest().split(b"\r\n\r\n", 1)[1]
    assert 0 < len(body) < 10 and body.count(b"*") == len(body)  # cut: fewer bytes than Content-Length promised
    s.close()


def test_second_signal_closes_streams_at_once(make_server):
    srv = make_server("--drain-timeout", "10s")
    s = srv.connect(timeout=5)
    s.sendall(request("GET", "/sse?count=5&duration=5s"))
    Reader(s, 5).line()
    srv.send_signal(signal.SIGTERM)
    time.sleep(0.2)
    assert srv.proc.poll() is None
    srv.send_signal(signal.SIGINT)
    srv.exit_code = srv.proc.wait(timeout=5)
    assert srv.exit_code == 0
    s.close()


# ---------------------------------------------------------------- the access log

def test_access_log_records_streams_when_done(make_server):
    srv = make_server(*DEFAULT_ARGS)
    requests.get(srv.url + "/drip?numbytes=3&duration=0.2", timeout=5)
    requests.get(srv.url + "/stream/2", timeout=5)
    srv.stop()
    log = srv.access_log()
    assert '"GET /drip?numbytes=3&duration=0.2 HTTP/1.1" 200 3 ' in log
    assert '"GET /stream/2 HTTP/1.1" 200 ' in log


# ---------------------------------------------------------------- options

@pytest.mark.parametrize("args", [["--max-delay", "x"], ["--max-delay", "-1"], ["--max-delay", "2d"],
                                  ["--redirect-allow", "bad host!"]])
def test_invalid_option_values_are_usage_errors(args):
    from conftest import BIN
    p = subprocess.run([BIN, "serve", "--listen", "127.0.0.1:0", *args], capture_output=True, text=True,
                       timeout=10)
    assert p.returncode == 2 and "invalid value" in p.stderr


def test_redirect_allow_option_reaches_redirect_to(make_server):
    srv = make_server(*DEFAULT_ARGS, "--redirect-allow", "example.com")
    r = requests.get(srv.url + "/redirect-to?url=http://example.com/x", allow_redirects=False, timeout=5)
    assert r.status_code == 302 and r.headers["Location"] == "http://example.com/x"
    r = requests.get(srv.url + "/redirect-to?url=http://evil.test/", allow_redirects=False, timeout=5)
    assert r.status_code == 403
