"""Toxics on the gateway's upstreams (issue 19): `?toxics=` and `--upstream-toxics`
act on what any upstream answers (the built-in ones of /gateway/{kind}, a second
httpstatus and Debian's nginx behind --upstream, and a raw socket upstream here),
as toxiproxy's latency, bandwidth, slicer, limit_data and reset_peer do, measured
with real clients: requests, http.client, curl over HTTP/1.1 and HTTP/2, nghttp.

Byte counts are the upstream's stream as sent (head included): the built-in
`ok` upstream sends a 65-byte head and 12 bytes of content.

    HTTPSTATUS_BIN=$PWD/build/httpstatus /usr/bin/python3 -m pytest -q \
        -p no:cacheprovider tests/integration/test_gateway_toxics.py
"""
import http.client
import json
import re
import socket
import subprocess
import threading
import time

import pytest
import requests

from conftest import BIN, DEFAULT_ARGS, Server
from test_gateway_upstream import Nginx

OK_HEAD = 65  # "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\n"
OK_BODY = b"upstream ok\n"


@pytest.fixture(scope="module")
def up():
    """A second httpstatus: the upstream of `front`."""
    s = Server(*DEFAULT_ARGS)
    yield s
    s.close()


@pytest.fixture(scope="module")
def front(up):
    s = Server(*DEFAULT_ARGS, "--upstream", up.url, access_log="json", workers=2)
    yield s
    s.close()


def curl(*args, timeout=20):
    return subprocess.run(["curl", "-sS", *args], capture_output=True, timeout=timeout)


def timed(fn):
    t = time.monotonic()
    out = fn()
    return out, time.monotonic() - t


H2 = {"http1": [], "h2": ["--http2-prior-knowledge"]}


@pytest.mark.parametrize("proto", ["http1", "h2"])
def test_latency_delays_the_answer(front, proto):
    r, took = timed(lambda: curl(*H2[proto], front.url + "/gateway/ok?toxics=latency:300ms"))
    assert r.returncode == 0 and r.stdout == OK_BODY, r.stderr
    assert 0.3 <= took < 0.8, took
    r, took = timed(lambda: curl(*H2[proto], front.url + "/gateway/ok"))
    assert r.stdout == OK_BODY and took < 0.3, took


def test_jitter_stays_within_its_bounds(front):
    """latency 200 ms ± 100 ms: every answer within [100, 300] ms (plus the
    machine's slack), and not all alike."""
    took = []
    with requests.Session() as s:
        for _ in range(8):
            r, t = timed(lambda: s.get(front.url + "/gateway/ok",
                                       params={"toxics": "latency:200ms,jitter:100ms"}, timeout=5))
            assert r.status_code == 200 and r.content == OK_BODY
            took.append(t)
    assert min(took) >= 0.1 and max(took) < 0.45, took
    assert max(took) - min(took) > 0.02, took


@pytest.mark.parametrize("proto", ["http1", "h2"])
def test_bandwidth_paces_the_body(front, proto):
    """20,000 bytes (and a head of about 200) at 10 KB/s: about 2 s."""
    r, took = timed(lambda: curl(*H2[proto], front.url + "/proxy/bytes/20000?toxics=bandwidth:10"))
    assert r.returncode == 0 and len(r.stdout) == 20000, r.stderr
    assert 1.9 <= took < 2.8, took


def test_slicer_spreads_the_body_over_reads(front):
    """2,000 bytes and a head in slices of 200 ± 50 bytes, 40 ms apart: the
    client's reads see them one by one."""
    s = socket.create_connection(("127.0.0.1", front.port), timeout=5)
    s.sendall(b"GET /proxy/bytes/2000?toxics=slicer:200,slicer_variation:50,slicer_delay:40ms"
              b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    t0 = time.monotonic()
    reads, data = [], b""
    while True:
        b = s.recv(65536)
        if not b:
            break
        reads.append((time.monotonic() - t0, len(b)))
        data += b
    s.close()
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200") and len(body) == 2000
    assert len(reads) >= 8, reads
    assert reads[-1][0] - reads[0][0] >= 0.3, reads
    assert max(n for _, n in reads[1:]) <= 250 + 30, reads  # a slice (and our framing)


@pytest.mark.parametrize("n", [OK_HEAD + 5, OK_HEAD])
def test_limit_data_gives_exactly_n_bytes_then_cuts_http1(front, n):
    """limit_data:N passes N bytes of the upstream's stream and closes it: the
    client gets the head and N - 65 bytes of content, then a cut connection."""
    want = OK_BODY[:n - OK_HEAD]
    r = curl(front.url + f"/gateway/ok?toxics=limit_data:{n}")
    assert r.returncode == 18 and r.stdout == want, (r.returncode, r.stdout, r.stderr)
    conn = http.client.HTTPConnection("127.0.0.1", front.port, timeout=5)
    conn.request("GET", f"/gateway/ok?toxics=limit_data:{n}")
    resp = conn.getresponse()
    assert resp.status == 200
    with pytest.raises(http.client.IncompleteRead) as e:
        resp.read()
    assert e.value.partial == want
    conn.close()


def test_limit_data_cuts_a_chunked_body_for_requests(front, up):
    """Through a chunked relay (the upstream's /stream-bytes), requests sees
    the chunked body end early."""
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        requests.get(front.url + "/proxy/stream-bytes/5000",
                     params={"chunk_size": "500", "toxics": "limit_data:2000"}, timeout=5)


def test_limit_data_resets_the_h2_stream(front):
    n = OK_HEAD + 5
    r = curl("--http2-prior-knowledge", front.url + f"/gateway/ok?toxics=limit_data:{n}")
    assert r.returncode == 92 and b"INTERNAL_ERROR" in r.stderr, (r.returncode, r.stderr)
    # curl drops what the reset stream carried; nghttp shows the frames: the
    # head, the 5 bytes of content, then RST_STREAM
    out = subprocess.run(["nghttp", "-v", front.url + f"/gateway/ok?toxics=limit_data:{n}"],
                         capture_output=True, text=True, timeout=20).stdout
    assert out.count(":status:") == 1 and ":status: 200" in out, out
    data = out.index("upstr[")
    assert out.index(":status: 200") < data < out.index("recv RST_STREAM") < out.index(
        "INTERNAL_ERROR"), out
    assert "recv DATA frame <length=5," in out


@pytest.mark.parametrize("spec,cause", [("limit_data:0", "empty"),
                                        ("limit_data:20", "malformed")])
def test_limit_data_before_the_head_is_a_gateway_failure(front, spec, cause):
    r = requests.get(front.url + "/gateway/ok", params={"toxics": spec, "as": "cloudflare"},
                     timeout=5)
    assert r.status_code == 520 and r.headers["X-Gateway-Failure"] == cause, r.text


@pytest.mark.parametrize("vendor,code", [("nginx", 502), ("cloudflare", 521), ("envoy", 503)])
@pytest.mark.parametrize("proto", ["http1", "h2"])
def test_reset_peer_before_the_head(front, vendor, code, proto):
    r = curl(*H2[proto], "-i", front.url + f"/gateway/ok?toxics=reset_peer:0&as={vendor}")
    head = r.stdout.split(b"\r\n\r\n")[0].decode().lower()
    assert head.split("\r\n")[0].split()[1] == str(code), head
    assert "x-gateway-failure: reset" in head


def test_reset_peer_after_the_head_cuts(front):
    n = OK_HEAD + 7
    r = curl(front.url + f"/gateway/ok?toxics=reset_peer:{n}")
    assert r.returncode == 18 and r.stdout == OK_BODY[:7], (r.returncode, r.stderr)
    r = curl("--http2-prior-knowledge", front.url + f"/gateway/ok?toxics=reset_peer:{n}")
    assert r.returncode == 92 and b"INTERNAL_ERROR" in r.stderr, (r.returncode, r.stderr)


def test_reset_timeout_cuts_a_slow_body(front):
    """slow-body sends 1,000 bytes/s for 2 s; reset_timeout:300ms resets the
    upstream 300 ms after its first byte: the client has a few hundred."""
    conn = http.client.HTTPConnection("127.0.0.1", front.port, timeout=5)
    t = time.monotonic()
    conn.request("GET", "/gateway/slow-body?rate=1000&toxics=reset_timeout:300ms")
    resp = conn.getresponse()
    assert resp.status == 200 and resp.headers["Content-Length"] == "2000"
    with pytest.raises(http.client.IncompleteRead) as e:
        resp.read()
    took = time.monotonic() - t
    assert 100 <= len(e.value.partial) <= 500 and 0.25 <= took < 1.0, (len(e.value.partial), took)
    conn.close()


def test_latency_beyond_the_timeout_is_a_504(front):
    """The toxics sit in front of the upstream: its answer comes late, and the
    head timeout (?timeout=) runs out first."""
    r = requests.get(front.url + "/gateway/ok", params={"toxics": "latency:1s", "timeout": "0.2"},
                     timeout=5)
    assert r.status_code == 504 and r.headers["X-Gateway-Failure"] == "header-timeout"


class RawUpstream:
    """One connection at a time: reads a request head, sends `first` bytes
    (a head and part of a longer body), then reads to learn how the proxy
    let go of the connection: 'fin' (an orderly close) or 'rst'."""

    def __init__(self, first):
        self.first = first
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.port = self.sock.getsockname()[1]
        self.seen = []
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        self.sock.settimeout(10)
        try:
            c, _ = self.sock.accept()
        except OSError:
            return
        with c:
            c.settimeout(5)
            buf = b""
            while b"\r\n\r\n" not in buf:
                buf += c.recv(4096)
            c.sendall(self.first)
            try:
                self.seen.append("fin" if c.recv(100) == b"" else "data")
            except ConnectionResetError:
                self.seen.append("rst")
            except socket.timeout:
                self.seen.append("timeout")

    def close(self):
        self.sock.close()
        self.thread.join(timeout=10)


@pytest.mark.parametrize("toxic,seen", [("reset_peer", "rst"), ("limit_data", "fin")])
def test_reset_peer_sends_an_rst_limit_data_a_fin(make_server, toxic, seen):
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"
    first = head + b"x" * 100
    raw = RawUpstream(first)
    try:
        s = make_server(*DEFAULT_ARGS, "--upstream", f"http://127.0.0.1:{raw.port}")
        conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=5)
        conn.request("GET", f"/proxy/x?toxics={toxic}:{len(first)}")
        resp = conn.getresponse()
        assert resp.status == 200
        with pytest.raises(http.client.IncompleteRead) as e:
            resp.read()
        assert e.value.partial == b"x" * 100
        conn.close()
        raw.thread.join(timeout=10)
        assert raw.seen == [seen]
    finally:
        raw.close()


def test_stale_pooled_connection_is_retried_through_the_toxics(make_server):
    """An upstream that closes its keep-alive connections 0.2 s after each
    answer: the proxy's pooled connection is stale at the next request, which
    is retried once on a new connection, toxics and all."""
    lsock = socket.socket()
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(8)
    lsock.settimeout(10)
    conns = []

    def serve():
        for _ in range(2):
            try:
                c, _ = lsock.accept()
            except OSError:
                return
            conns.append(c)
            buf = b""
            while b"\r\n\r\n" not in buf:
                buf += c.recv(4096)
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
            time.sleep(0.2)
            c.close()

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    try:
        s = make_server(*DEFAULT_ARGS, "--upstream", f"http://127.0.0.1:{lsock.getsockname()[1]}")
        for _ in range(2):
            r = requests.get(s.url + "/proxy/x?toxics=latency:10ms", timeout=5)
            assert r.status_code == 200 and r.content == b"hello", r.text
            time.sleep(0.4)
        t.join(timeout=10)
        assert len(conns) == 2
    finally:
        lsock.close()


def test_nginx_upstream_exact_body_bytes(make_server):
    """Debian's nginx behind --upstream: limit_data set to its head's length +
    1,000 gives the client exactly 1,000 bytes of big.bin; reset_peer:0 is 502."""
    n = Nginx()
    try:
        raw = socket.create_connection(("127.0.0.1", n.port), timeout=5)
        raw.sendall(b"GET /big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        buf = b""
        while b"\r\n\r\n" not in buf:
            buf += raw.recv(65536)
        raw.close()
        head_len = buf.index(b"\r\n\r\n") + 4
        s = make_server(*DEFAULT_ARGS, "--upstream", f"http://127.0.0.1:{n.port}")
        r = curl(s.url + f"/proxy/big.bin?toxics=limit_data:{head_len + 1000}")
        assert r.returncode == 18 and r.stdout == bytes(range(256)) * 3 + bytes(range(232)), \
            (r.returncode, len(r.stdout), r.stderr)
        out = subprocess.run(["nghttp", "-v", s.url + f"/proxy/big.bin?toxics=limit_data:"
                              f"{head_len + 1000}"], capture_output=True, timeout=20).stdout
        got = sum(int(m) for m in re.findall(rb"recv DATA frame <length=(\d+),", out))
        assert got == 1000 and b"recv RST_STREAM" in out, out[-300:]
        r = requests.get(s.url + "/proxy/big.bin", params={"toxics": "reset_peer:0"}, timeout=5)
        assert r.status_code == 502 and r.headers["X-Gateway-Failure"] == "reset"
        # 100,000 bytes (a range) at 100 KB/s, 200 ms late
        r, took = timed(lambda: curl(s.url + "/proxy/big.bin?toxics=latency:200ms,bandwidth:100",
                                     "-r", "0-99999", "-o", "/dev/null", "-w",
                                     "%{http_code} %{time_starttransfer} %{size_download}"))
        code, start, size = r.stdout.decode().split()
        assert code == "206" and float(start) >= 0.2 and int(size) == 100000, r.stdout
        assert 1.15 <= took < 2.0, took
    finally:
        n.close()


@pytest.mark.parametrize("spec,says", [
    ("lag:1", "unknown toxic 'lag:1'"),
    ("latency:soon", "latency:soon is not a duration"),
    ("bandwidth:0", "bandwidth:0 is not a rate"),
    ("limit_data:-5", "limit_data:-5 is not a number of bytes"),
    ("slicer_delay:5ms", "slicer_delay go with slicer"),
    ("slicer:10,slicer_variation:12", "smaller than slicer"),
    ("", "toxics is empty"),
    ("latency%zz", "percent-encoded"),
])
def test_bad_specs_are_400(front, spec, says):
    for path in ["/gateway/ok", "/proxy/get"]:
        conn = http.client.HTTPConnection("127.0.0.1", front.port, timeout=5)
        conn.request("GET", f"{path}?toxics={spec}", headers={"Accept": "application/json"})
        resp = conn.getresponse()
        err = json.loads(resp.read())["error"]
        conn.close()
        assert resp.status == 400 and says in err and "Bad toxics" in err, (path, err)
    # percent-encoded by the client, as requests does: the same answers
    r = requests.get(front.url + "/gateway/ok", params={"toxics": "latency:5ms,lag:1"}, timeout=5)
    assert r.status_code == 400 and "unknown toxic 'lag:1'" in r.json()["error"]


def test_option_applies_to_every_request_and_the_query_overrides(make_server):
    s = make_server(*DEFAULT_ARGS, "--upstream-toxics", "latency:400ms", access_log="json")
    _, took = timed(lambda: requests.get(s.url + "/gateway/ok", timeout=5))
    assert took >= 0.4, took
    r, took = timed(lambda: requests.get(s.url + "/gateway/ok?toxics=none", timeout=5))
    assert r.content == OK_BODY and took < 0.3, took
    _, took = timed(lambda: requests.get(s.url + "/gateway/ok?toxics=latency:0", timeout=5))
    assert took < 0.3, took
    r, took = timed(lambda: curl(s.url + "/gateway/ok?toxics=limit_data:70"))
    assert r.returncode == 18 and r.stdout == OK_BODY[:5] and took >= 0.4  # both apply
    s.stop()
    logged = [j.get("upstream_toxics") for j in map(json.loads, s.access_log().splitlines())]
    assert logged == ["latency:400ms", None, "latency:0ms", "latency:400ms,limit_data:70"], logged


def test_durations_capped_by_max_delay(make_server, up):
    """(Behind --upstream: /gateway/{kind}'s own timeout is capped by --max-delay too.)"""
    s = make_server(*DEFAULT_ARGS, "--max-delay", "0.5", "--upstream", up.url)
    r, took = timed(lambda: requests.get(s.url + "/proxy/bytes/10?toxics=latency:20s", timeout=10))
    assert r.status_code == 200 and len(r.content) == 10 and 0.5 <= took < 1.0, took
    s.stop()
    assert "toxics=latency:500ms" in s.access_log()


def test_bad_option_is_a_startup_error():
    r = subprocess.run([BIN, "serve", "--listen", "127.0.0.1:0", "--upstream-toxics",
                        "latency:200ms,jitter"], capture_output=True, text=True, timeout=10)
    assert r.returncode == 2
    assert "--upstream-toxics: unknown toxic 'jitter'" in r.stderr, r.stderr
    r = subprocess.run([BIN, "serve", "--help"], capture_output=True, text=True, timeout=10)
    assert "--upstream-toxics SPEC" in r.stdout
