"""--upstream pass-through (issue 19): Debian's nginx, started by the test, and
a second httpstatus server as upstreams. Status, header fields, a streamed
body, trailers and 1xx pass through; hop-by-hop fields stay behind; Via,
Forwarded, X-Forwarded-* and CDN-Loop are added; keep-alive connections are
reused; over HTTP/1.1 (requests, curl) and HTTP/2 (curl).

    HTTPSTATUS_BIN=$PWD/build/httpstatus /usr/bin/python3 -m pytest -q \
        -p no:cacheprovider tests/integration/test_gateway_upstream.py
"""
import hashlib
import json
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import requests

from conftest import DEFAULT_ARGS, Server
from nginx_conf import nginx_conf

BIG = 4 * 1024 * 1024 + 17  # bytes of the streamed file


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Nginx:
    def __init__(self):
        exe = shutil.which("nginx") or "/usr/sbin/nginx"
        assert Path(exe).exists(), "nginx is missing (scripts/deps.sh installs it)"
        self.dir = tempfile.TemporaryDirectory(prefix="hs-nginx-")
        d = Path(self.dir.name)
        (d / "www").mkdir()
        data = bytes(range(256)) * (BIG // 256) + b"x" * (BIG % 256)
        (d / "www" / "big.bin").write_bytes(data)
        (d / "www" / "text.txt").write_text("some text to gzip\n" * 200)
        self.big_sha = hashlib.sha256(data).hexdigest()
        self.exe, self.d = exe, d
        for _ in range(5):  # another process may take the free port first
            if self._start():
                return
        raise AssertionError("nginx did not start: " + (d / "error.log").read_text())

    def _start(self):
        d = self.d
        self.port = free_port()
        conf = nginx_conf(d, f"""
  server {{
    listen 127.0.0.1:{self.port};
    root {d}/www;
    location = /teapot {{
      add_header X-Upstream nginx always;
      return 418 "short and stout\\n";
    }}
    location = /echo-headers {{
      default_type text/plain;
      return 200 "via=$http_via|xff=$http_x_forwarded_for|fwd=$http_forwarded|loop=$http_cdn_loop|conn=$http_connection|keep=$http_keep_alive|host=$host\\n";
    }}
    location = /text.txt {{
      gzip on;
      gzip_min_length 1;
      gzip_types text/plain;
      gzip_proxied any;
      add_trailer X-Trailer done;
    }}
  }}
""", connections=256)
        (d / "nginx.conf").write_text(conf)
        self.proc = subprocess.Popen([self.exe, "-p", str(d), "-c", str(d / "nginx.conf"),
                                      "-e", str(d / "error.log")],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return True
            except OSError:
                if self.proc.poll() is not None:
                    return False
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.05)

    def close(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)
        self.dir.cleanup()


@pytest.fixture(scope="module")
def nginx():
    n = Nginx()
    yield n
    n.close()


@pytest.fixture(scope="module")
def proxy(nginx):
    s = Server(*DEFAULT_ARGS, "--upstream", f"http://127.0.0.1:{nginx.port}")
    yield s
    s.close()


def curl(*args):
    return subprocess.run(["curl", "-sS", *args], capture_output=True, timeout=60)


@pytest.mark.parametrize("proto", ["http1", "h2"])
def test_status_and_fields_pass_hop_by_hop_do_not(proxy, proto):
    h2 = ["--http2-prior-knowledge"] if proto == "h2" else []
    r = curl(*h2, "-i", proxy.url + "/proxy/teapot")
    head, _, body = r.stdout.partition(b"\r\n\r\n")
    head = head.decode().lower()
    assert head.startswith("http/1.1 418" if proto == "http1" else "http/2 418"), head
    assert "x-upstream: nginx" in head and "server: nginx" in head
    assert "via: 1.1 httpstatus" in head and "connection: keep-alive" not in head
    assert body == b"short and stout\n"


def test_fallback_forwards_what_no_route_answers(proxy):
    r = requests.get(proxy.url + "/teapot", timeout=5)
    assert r.status_code == 418 and r.text == "short and stout\n"
    assert requests.get(proxy.url + "/status/201", timeout=5).status_code == 201  # ours
    r = requests.get(proxy.url + "/no/such/file", timeout=5)
    assert r.status_code == 404 and "nginx" in r.text  # nginx's 404, not ours


def test_request_fields_forwarded(proxy):
    r = requests.get(proxy.url + "/proxy/echo-headers",
                     headers={"Via": "1.0 client-side", "X-Forwarded-For": "10.1.2.3",
                              "Connection": "keep-alive, X-Private", "X-Private": "no",
                              "Keep-Alive": "timeout=5"}, timeout=5)
    f = dict(kv.split("=", 1) for kv in r.text.strip().split("|"))
    assert f["via"] == "1.0 client-side, 1.1 httpstatus"
    assert f["xff"] == "10.1.2.3, 127.0.0.1"
    assert f["fwd"] == f'for=127.0.0.1;proto=http;host="127.0.0.1:{proxy.port}"'
    assert f["loop"].startswith("httpstatus-")
    assert f["conn"] == "" and f["keep"] == ""  # hop-by-hop: not forwarded
    assert f["host"] == "127.0.0.1"


@pytest.mark.parametrize("proto", ["http1", "h2"])
def test_streamed_body_arrives_whole(proxy, nginx, proto):
    h2 = ["--http2-prior-knowledge"] if proto == "h2" else []
    r = curl(*h2, proxy.url + "/proxy/big.bin")
    assert r.returncode == 0 and len(r.stdout) == BIG
    assert hashlib.sha256(r.stdout).hexdigest() == nginx.big_sha


def test_slow_reader_gets_everything(proxy, nginx):
    """Back-pressure: a client that reads slowly still gets every byte."""
    with requests.get(proxy.url + "/proxy/big.bin", stream=True, timeout=30) as r:
        h = hashlib.sha256()
        n = 0
        for i, chunk in enumerate(r.iter_content(65536)):
            if i < 8:
                time.sleep(0.05)
            h.update(chunk)
            n += len(chunk)
    assert n == BIG and h.hexdigest() == nginx.big_sha


def test_trailers_pass_through(proxy):
    # HTTP/1.1: the chunked content ends with nginx's trailer field
    r = curl("--raw", "-H", "Accept-Encoding: gzip", proxy.url + "/proxy/text.txt")
    assert r.returncode == 0 and r.stdout.endswith(b"\r\n0\r\nX-Trailer: done\r\n\r\n"), \
        r.stdout[-60:]
    r = curl("--compressed", proxy.url + "/proxy/text.txt")
    assert r.stdout == b"some text to gzip\n" * 200
    # HTTP/2: a trailing HEADERS frame
    out = subprocess.run(["nghttp", "-v", "-H", "accept-encoding: gzip",
                          proxy.url + "/proxy/text.txt"], capture_output=True, timeout=30).stdout
    assert b"x-trailer: done" in out, out[-400:]


def test_keepalive_pool_reuses_upstream_connections(proxy, nginx):
    with requests.Session() as s:
        for _ in range(50):
            assert s.get(proxy.url + "/proxy/teapot", timeout=5).status_code == 418
    # nginx sees few connections: count them with its stub? use ss instead
    out = subprocess.run(["ss", "-tn", "state", "established", f"( dport = :{nginx.port} )"],
                         capture_output=True, text=True).stdout
    assert out.count("\n") - 1 <= 4, out


def test_upstream_down_is_502(nginx, make_server):
    s = make_server(*DEFAULT_ARGS, "--upstream", f"http://127.0.0.1:{free_port()}")
    r = requests.get(s.url + "/proxy/x", timeout=5)
    assert r.status_code == 502 and r.headers["X-Gateway-Failure"] == "refused"


def test_httpstatus_as_upstream_1xx_and_body(make_server):
    up = make_server(*DEFAULT_ARGS)
    s = make_server(*DEFAULT_ARGS, "--upstream", f"http://127.0.0.1:{up.port}")
    r = curl("-i", s.url + "/proxy/status/103")
    text = r.stdout.decode()
    assert text.startswith("HTTP/1.1 103 Early Hints\r\nLink:"), text
    assert "\r\n\r\nHTTP/1.1 200 OK\r\n" in text
    r = requests.post(s.url + "/proxy/post", data=b"x" * 3000,
                      headers={"Content-Type": "application/octet-stream"}, timeout=5)
    assert r.status_code == 200 and r.json()["data"] == "x" * 3000
    assert r.json()["headers"]["Cdn-Loop"].startswith("httpstatus-")
    r = curl("--http2-prior-knowledge", s.url + "/proxy/drip?numbytes=5&duration=0.2")
    assert r.returncode == 0 and r.stdout == b"*****"
    # Max-Forwards: 0 stops at the first gateway (RFC 9110 §7.6.2)
    r = requests.options(s.url + "/proxy/get", headers={"Max-Forwards": "0"}, timeout=5)
    assert r.status_code == 200 and "Via" not in r.headers
    r = requests.get(s.url + "/proxy/headers", headers={"Max-Forwards": "5"}, timeout=5)
    assert r.json()["headers"]["Max-Forwards"] == "4"


def test_https_upstream_verified(make_server, tmp_path):
    """--upstream https://: TLS to the upstream, its certificate verified
    against --upstream-ca (an httpstatus TLS listener with its local CA)."""
    up = make_server(*DEFAULT_ARGS, "--tls-listen", "127.0.0.1:0", "--tls-dir", str(tmp_path))
    tls_port = up.port_of("https")
    s = make_server(*DEFAULT_ARGS, "--upstream", f"https://localhost:{tls_port}",
                    "--upstream-ca", str(tmp_path / "ca.pem"))
    r = requests.get(s.url + "/proxy/get?x=1", timeout=5)
    # the upstream builds its url from our X-Forwarded-Proto (the client came in clear)
    assert r.status_code == 200 and r.json()["url"] == f"http://localhost:{tls_port}/get?x=1"
    r = curl("--http2-prior-knowledge", s.url + "/proxy/status/418")
    assert b"teapot" in r.stdout.lower()
    # without the CA the certificate does not verify: 502 (Cloudflare: 526)
    s2 = make_server(*DEFAULT_ARGS, "--upstream", f"https://localhost:{tls_port}")
    r = requests.get(s2.url + "/proxy/get?as=cloudflare", timeout=5)
    assert r.status_code == 526 and r.headers["X-Gateway-Failure"] == "tls-certificate"
