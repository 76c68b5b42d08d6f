"""Request content streamed through the gateway (issue 19): the head goes to
the upstream at once, the content as it arrives, with back-pressure both
ways. Upstreams: Debian's nginx (WebDAV PUT writes the upload to a file the
test checksums) and small socket servers run by the test (a sink that
checksums what it reads and says how it was framed; one that never reads;
one that fails mid-upload). Front ends: HTTP/1.1 (curl, requests, raw
sockets) and HTTP/2 (curl with prior knowledge). Server memory is measured
before and after a 50 MB upload.

    HTTPSTATUS_BIN=$PWD/build/httpstatus /usr/bin/python3 -m pytest -q \
        -p no:cacheprovider tests/integration/test_gateway_upload.py
"""
import hashlib
import json
import os
import re
import select
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest
import requests

from conftest import DEFAULT_ARGS, Server
from nginx_conf import nginx_conf
from rawhttp import read_all
from test_gateway_upstream import free_port

BIG = 50 * 1024 * 1024 + 13  # bytes uploaded
SANITIZED = os.environ.get("HS_SANITIZED") == "1"
RSS_BOUND_KIB = 12 * 1024  # what a 50 MB upload may add to the server (sanitizers: 2x)
ARGS = [*DEFAULT_ARGS, "--max-body", "64m"]


def rss_kib(pid, what="VmRSS"):
    m = re.search(what + r":\s+(\d+) kB", open(f"/proc/{pid}/status").read())
    return int(m.group(1))


def reset_peak(pid):
    """Starts VmHWM (the peak resident size) again from the current size."""
    with open(f"/proc/{pid}/clear_refs", "w") as f:
        f.write("5")


def big_file(tmp_path_factory):
    p = tmp_path_factory.mktemp("upload") / "big.bin"
    block = hashlib.sha256(b"seed").digest() * 2048  # 64 KiB, not all one byte
    h = hashlib.sha256()
    with open(p, "wb") as f:
        left = BIG
        while left:
            b = block[:min(left, len(block))]
            f.write(b)
            h.update(b)
            left -= len(b)
    return p, h.hexdigest()


@pytest.fixture(scope="module")
def upload(tmp_path_factory):
    return big_file(tmp_path_factory)


class DavNginx:
    """nginx with WebDAV PUT under /up/: each upload lands in a file."""

    def __init__(self):
        exe = shutil.which("nginx") or "/usr/sbin/nginx"
        self.dir = tempfile.TemporaryDirectory(prefix="hs-nginx-up-")
        d = Path(self.dir.name)
        (d / "www" / "up").mkdir(parents=True)
        self.www = d / "www"
        for _ in range(5):
            self.port = free_port()
            (d / "nginx.conf").write_text(nginx_conf(d, f"""
  server {{
    listen 127.0.0.1:{self.port};
    root {d}/www;
    client_max_body_size 0;
    location /up/ {{ dav_methods PUT; }}
  }}
"""))
            self.proc = subprocess.Popen([exe, "-p", str(d), "-c", str(d / "nginx.conf"),
                                          "-e", str(d / "error.log")],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and self.proc.poll() is None:
                try:
                    socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                    return
                except OSError:
                    time.sleep(0.05)
        raise AssertionError("nginx did not start: " + (d / "error.log").read_text())

    def sha(self, name):
        h = hashlib.sha256()
        with open(self.www / "up" / name, "rb") as f:
            for b in iter(lambda: f.read(1 << 20), b""):
                h.update(b)
        return h.hexdigest()

    def close(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)
        self.dir.cleanup()


class SocketUpstream:
    """A one-thread HTTP/1.1 upstream. mode "sink": reads the request
    (Content-Length or chunked), answers JSON with the length, sha256, the
    framing and the Expect field it saw. "stall": accepts, never reads.
    "fail": reads about 1 MB of content, then resets the connection."""

    def __init__(self, mode):
        self.mode = mode
        self.ls = socket.socket()
        if mode == "stall":  # small windows, so that the stall shows early
            self.ls.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
        self.ls.bind(("127.0.0.1", 0))
        self.ls.listen(16)
        self.port = self.ls.getsockname()[1]
        self.conns = []
        self.stop = False
        self.t = threading.Thread(target=self.run, daemon=True)
        self.t.start()

    def run(self):
        while not self.stop:
            try:
                c, _ = self.ls.accept()
            except OSError:
                return
            self.conns.append(c)
            if self.mode != "stall":
                threading.Thread(target=self.serve, args=(c,), daemon=True).start()

    def serve(self, c):
        f = c.makefile("rb")
        try:
            while True:
                head = []
                line = f.readline()
                if not line:
                    return
                while line not in (b"\r\n", b""):
                    head.append(line.decode("latin-1").rstrip("\r\n"))
                    line = f.readline()
                fields = {k.strip().lower(): v.strip()
                          for k, v in (h.split(":", 1) for h in head[1:])}
                h, n = hashlib.sha256(), 0
                if self.mode == "fail":
                    f.read(1 << 20)
                    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\1\0\0\0\0\0\0\0")
                    c.close()
                    return
                if fields.get("transfer-encoding") == "chunked":
                    while True:
                        size = int(f.readline().split(b";")[0], 16)
                        if size == 0:
                            while f.readline() not in (b"\r\n", b""):
                                pass
                            break
                        data = f.read(size)
                        h.update(data)
                        n += len(data)
                        f.readline()
                elif "content-length" in fields:
                    left = int(fields["content-length"])
                    while left:
                        data = f.read(min(left, 1 << 16))
                        h.update(data)
                        n += len(data)
                        left -= len(data)
                body = json.dumps({"len": n, "sha256": h.hexdigest(),
                                   "te": fields.get("transfer-encoding", ""),
                                   "cl": fields.get("content-length", ""),
                                   "expect": fields.get("expect", "")}).encode()
                c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                          b"Content-Length: %d\r\n\r\n" % len(body) + body)
        except (OSError, ValueError):  # the proxy gave up on this request
            return

    def close(self):
        self.stop = True
        self.ls.close()
        for c in self.conns:
            c.close()


@pytest.fixture(scope="module")
def nginx():
    n = DavNginx()
    yield n
    n.close()


@pytest.fixture(scope="module")
def via_nginx(nginx):
    s = Server(*ARGS, "--upstream", f"http://127.0.0.1:{nginx.port}")
    yield s
    s.close()


@pytest.fixture(scope="module")
def sink():
    u = SocketUpstream("sink")
    yield u
    u.close()


@pytest.fixture(scope="module")
def via_sink(sink):
    s = Server(*ARGS, "--h2c-listen", "127.0.0.1:0", "--upstream",
               f"http://127.0.0.1:{sink.port}")
    yield s
    s.close()


def curl(*args, timeout=60):
    return subprocess.run(["curl", "-sS", *args], capture_output=True, timeout=timeout)


@pytest.mark.parametrize("proto", ["http1", "h2"])
def test_50mb_upload_reaches_nginx_whole_with_bounded_memory(via_nginx, nginx, upload, proto):
    path, sha = upload
    h2 = ["--http2-prior-knowledge"] if proto == "h2" else []
    name = f"{proto}.bin"
    pid = via_nginx.proc.pid
    curl(*h2, "-T", str(path), "-o", "/dev/null", via_nginx.url + "/proxy/up/warm")  # pools
    before = rss_kib(pid)
    reset_peak(pid)
    t = time.monotonic()
    r = curl(*h2, "-T", str(path), "-w", "%{http_code}", "-o", "/dev/null",
             via_nginx.url + "/proxy/up/" + name)
    took = time.monotonic() - t
    grew = rss_kib(pid, "VmHWM") - before
    print(f"\n{proto}: 50 MB through the proxy to nginx in {took:.2f} s, "
          f"server peak RSS {grew} KiB above the start")
    assert r.stdout.decode() in ("201", "204"), r
    assert nginx.sha(name) == sha
    assert grew < RSS_BOUND_KIB * (2 if SANITIZED else 1), grew


@pytest.fixture(scope="module")
def tls_via_sink(sink, tmp_path_factory):
    d = tmp_path_factory.mktemp("tls")
    s = Server(*ARGS, "--tls-listen", "127.0.0.1:0", "--tls-dir", str(d), "--upstream",
               f"http://127.0.0.1:{sink.port}")
    s.https = f"https://localhost:{s.port_of('https')}"
    s.ca = str(d / "ca.pem")
    yield s
    s.close()


@pytest.mark.parametrize("proto", ["http1", "h2"])
def test_upload_over_tls_front_end(tls_via_sink, sink, upload, proto):
    path, sha = upload
    s = tls_via_sink
    pid = s.proc.pid
    before = rss_kib(pid)
    reset_peak(pid)
    r = curl("--cacert", s.ca, "--http1.1" if proto == "http1" else "--http2", "-T", str(path),
             s.https + "/proxy/tls")
    grew = rss_kib(pid, "VmHWM") - before
    print(f"\nTLS {proto}: server peak RSS {grew} KiB above the start")
    assert json.loads(r.stdout) == {"len": BIG, "sha256": sha, "te": "", "cl": str(BIG),
                                    "expect": ""}, r
    # (ASan's quarantine keeps what OpenSSL frees per record: no bound there)
    assert SANITIZED or grew < RSS_BOUND_KIB, grew


def test_keep_alive_and_pipelining_after_streamed_content(via_sink, sink):
    with requests.Session() as ses:  # one client connection, three uploads
        for i in range(3):
            r = ses.put(via_sink.url + "/proxy/sink", data=iter([b"k" * 70000] * (i + 1)),
                        timeout=10)
            assert r.json()["len"] == 70000 * (i + 1)
    # a request pipelined behind streamed content is answered after it, in order
    body = b"p" * 200000
    c = socket.create_connection(("127.0.0.1", via_sink.port), timeout=10)
    c.sendall(b"PUT /proxy/sink HTTP/1.1\r\nHost: x\r\nContent-Length: 200000\r\n\r\n" + body +
              b"GET /status/418 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    got, closed = read_all(c, timeout=10)
    c.close()
    assert closed, "the connection stays open after Connection: close"
    first, _, rest = got.partition(b"HTTP/1.1 418")
    assert first.startswith(b"HTTP/1.1 200 ") and hashlib.sha256(body).hexdigest().encode() in first
    assert rest, got[-300:]


def test_h2_upload_without_length_goes_chunked(via_sink, sink, upload):
    path, sha = upload
    h2c = via_sink.port_of("http", "HTTP/2 only")
    with open(path, "rb") as f:  # from stdin: curl sends no content-length
        r = subprocess.run(["curl", "-sS", "--http2-prior-knowledge", "-T", "-",
                            f"http://127.0.0.1:{h2c}/proxy/sink"], stdin=f,
                           capture_output=True, timeout=60)
    j = json.loads(r.stdout)
    assert j == {"len": BIG, "sha256": sha, "te": "chunked", "cl": "", "expect": ""}, r


def test_http1_chunked_upload_goes_chunked(via_sink, sink):
    h = hashlib.sha256()
    n = [0]

    def gen():
        for i in range(300):
            b = bytes([i % 256]) * (1000 + i * 37)
            h.update(b)
            n[0] += len(b)
            yield b
    r = requests.post(via_sink.url + "/proxy/sink", data=gen(), timeout=30)
    assert r.json() == {"len": n[0], "sha256": h.hexdigest(), "te": "chunked", "cl": "",
                        "expect": ""}


def test_expect_100_answered_here_not_forwarded(via_sink, sink):
    r = curl("-v", "-H", "Expect: 100-continue", "--data-binary", "x" * 5000,
             via_sink.url + "/proxy/sink")
    assert b"HTTP/1.1 100 Continue" in r.stderr
    j = json.loads(r.stdout)
    assert j["len"] == 5000 and j["cl"] == "5000" and j["expect"] == ""


def test_max_body_counts_while_streaming(make_server, sink):
    s = make_server(*DEFAULT_ARGS, "--max-body", "1m", "--upstream",
                    f"http://127.0.0.1:{sink.port}")
    # declared too large: refused before anything is forwarded
    r = requests.post(s.url + "/proxy/sink", data=b"x" * (2 << 20), timeout=10)
    assert r.status_code == 413
    # chunked: counted as it streams, 413 once over
    r = requests.post(s.url + "/proxy/sink", data=iter([b"y" * 65536] * 32), timeout=10)
    assert r.status_code == 413
    # at the limit: forwarded
    r = requests.post(s.url + "/proxy/sink", data=iter([b"z" * 65536] * 16), timeout=10)
    assert r.status_code == 200 and r.json()["len"] == 1 << 20
    # a route that is not proxied keeps its limit too
    assert requests.post(s.url + "/anything", data=b"x" * (2 << 20),
                         timeout=10).status_code == 413


def push_until_answered(port, path, total, limit=10.0):
    """Sends a head announcing `total` bytes, then content for as long as the
    server takes it, until an answer comes (or `limit` seconds). Returns the
    answer, the bytes sent and how long the last send had been blocked."""
    c = socket.create_connection(("127.0.0.1", port))
    c.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 65536)
    c.sendall(f"PUT {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {total}\r\n\r\n".encode())
    c.setblocking(False)
    block, sent, answer = b"b" * 65536, 0, b""
    t0 = last = time.monotonic()
    while time.monotonic() < t0 + limit:
        r, w, _ = select.select([c], [c] if sent < total else [], [], 0.2)
        if r:
            c.settimeout(5)
            answer = c.recv(4096)
            break
        if w:
            try:
                sent += c.send(block[:min(len(block), total - sent)])
                last = time.monotonic()
            except BlockingIOError:
                pass
    blocked = time.monotonic() - last
    c.close()
    return answer, sent, blocked


def test_upstream_that_stops_reading_stops_the_client_then_504(make_server):
    up = SocketUpstream("stall")
    try:
        s = make_server(*ARGS, "--upstream", f"http://127.0.0.1:{up.port}",
                        "--upstream-timeout", "2s")
        before = rss_kib(s.proc.pid)
        reset_peak(s.proc.pid)
        answer, sent, blocked = push_until_answered(s.port, "/proxy/stall", BIG)
        grew = rss_kib(s.proc.pid, "VmHWM") - before
        print(f"\nupstream not reading: the client could send {sent >> 10} KiB of {BIG >> 10}, "
              f"then was blocked {blocked:.1f} s until the answer; server RSS grew by {grew} KiB")
        assert answer.startswith(b"HTTP/1.1 504 "), answer[:200]
        assert sent < BIG // 4  # kernel buffers on both legs, not the content
        assert blocked > 1.0  # the proxy stopped reading: no 408 for a stalled client
        assert grew < 4096 * (2 if SANITIZED else 1), grew
    finally:
        up.close()


def test_upstream_reset_mid_upload_gives_502(make_server, upload):
    up = SocketUpstream("fail")
    try:
        s = make_server(*ARGS, "--h2c-listen", "127.0.0.1:0", "--upstream",
                        f"http://127.0.0.1:{up.port}")
        path, _ = upload
        r = curl("-T", str(path), "-w", "%{http_code}", "-o", "/dev/null",
                 s.url + "/proxy/fail", timeout=20)
        assert r.stdout.decode() == "502", r
        # HTTP/2: the 502, then RST_STREAM NO_ERROR to stop the upload (RFC 9113
        # §8.1; curl 7.88 reports that as an error, nghttp shows the frames)
        h2c = s.port_of("http", "HTTP/2 only")
        r = subprocess.run(["nghttp", "-v", "-d", str(path), f"http://127.0.0.1:{h2c}/proxy/fail"],
                           capture_output=True, timeout=20)
        assert b":status: 502" in r.stdout, r.stdout[-2000:]
        assert b"RST_STREAM" in r.stdout and b"error_code=NO_ERROR" in r.stdout
        # the server is fine afterwards, and so is a small upload to a good route
        assert requests.get(s.url + "/status/200", timeout=5).status_code == 200
    finally:
        up.close()


def test_client_that_stops_mid_upload_leaves_nothing(make_server, sink):
    s = make_server(*ARGS, "--upstream", f"http://127.0.0.1:{sink.port}")
    assert requests.get(s.url + "/status/200", timeout=5).status_code == 200  # spare fd opened
    fds = len(os.listdir(f"/proc/{s.proc.pid}/fd"))
    for _ in range(20):
        c = socket.create_connection(("127.0.0.1", s.port))
        c.sendall(b"PUT /proxy/sink HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n"
                  + b"q" * 300000)
        c.close()
    assert requests.get(s.url + "/status/200", timeout=5).status_code == 200
    deadline = time.monotonic() + 3  # the closes are asynchronous, and lingering is 300 ms
    while len(os.listdir(f"/proc/{s.proc.pid}/fd")) > fds and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(os.listdir(f"/proc/{s.proc.pid}/fd")) <= fds  # client and upstream sockets
    assert s.stop() == 0  # the log is flushed at exit: each upload logged 499, once
    assert s.access_log().count(" 499 ") == 20


def test_tls_upstream_is_the_server_itself(make_server, tmp_path):
    """Streamed content over TLS to the upstream (SSL_write), both framings;
    the upstream is a second httpstatus whose /anything echoes the content."""
    up = make_server(*DEFAULT_ARGS, "--max-body", "8m", "--tls-listen", "127.0.0.1:0",
                     "--tls-dir", str(tmp_path))
    s = make_server(*ARGS, "--upstream", f"https://localhost:{up.port_of('https')}",
                    "--upstream-ca", str(tmp_path / "ca.pem"))
    text = hashlib.sha256(b"t").hexdigest() * 60000  # 3.84 MB of text
    r = requests.put(s.url + "/proxy/anything", data=text.encode(), timeout=30,
                     headers={"Content-Type": "text/plain"})
    assert r.status_code == 200 and r.json()["data"] == text
    assert r.json()["headers"]["Content-Length"] == str(len(text))
    r = requests.put(s.url + "/proxy/anything", timeout=30, headers={"Content-Type": "text/plain"},
                     data=(text[i:i + 100000].encode() for i in range(0, len(text), 100000)))
    assert r.status_code == 200 and r.json()["data"] == text
    assert r.json()["headers"]["Transfer-Encoding"] == "chunked"
