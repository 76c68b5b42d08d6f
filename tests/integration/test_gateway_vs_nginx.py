"""Our nginx mapping checked against nginx itself (issue 19): Debian's nginx,
started by the test, proxies to the same misbehaving loopback upstreams that
/gateway/{kind} uses (their ports read from our access log), and for each kind
the status nginx gives is the one we give with ?as=nginx. One known exception
is asserted as such: an answer that is not HTTP, which nginx 1.22 passes on as
HTTP/0.9 where we answer 502.

    HTTPSTATUS_BIN=$PWD/build/httpstatus /usr/bin/python3 -m pytest -q \
        -p no:cacheprovider tests/integration/test_gateway_vs_nginx.py
"""
import json
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from conftest import DEFAULT_ARGS, Server
from nginx_conf import nginx_conf


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def curl(url):
    """(status or None, curl exit code, stderr)"""
    r = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-m", "10", url],
                       capture_output=True, text=True, timeout=20)
    return int(r.stdout or 0), r.returncode, r.stderr


@pytest.fixture(scope="module")
def pair():
    s = Server(*DEFAULT_ARGS, access_log="json")
    for kind in ("ok", "refuse", "blackhole?timeout=0.1"):
        curl(f"{s.url}/gateway/{kind}")
    deadline = time.monotonic() + 5
    ports = {}
    while len(ports) < 3:
        for line in s.access_log().splitlines():
            j = json.loads(line)
            if j.get("upstream", "-") != "-":
                ports[j["target"].split("?")[0]] = int(j["upstream"].rsplit(":", 1)[1])
        assert time.monotonic() < deadline, s.access_log()
        time.sleep(0.05)
    exe = shutil.which("nginx") or "/usr/sbin/nginx"
    d = Path(tempfile.mkdtemp(prefix="hs-ngx-vs-"))
    for _ in range(5):
        port = free_port()
        (d / "nginx.conf").write_text(nginx_conf(d, f"""
  proxy_connect_timeout 1s;
  proxy_read_timeout 1s;
  server {{
    listen 127.0.0.1:{port};
    location /refuse {{ proxy_pass http://127.0.0.1:{ports['/gateway/refuse']}; }}
    location /blackhole {{ proxy_pass http://127.0.0.1:{ports['/gateway/blackhole']}; }}
    location / {{ proxy_pass http://127.0.0.1:{ports['/gateway/ok']}; }}
  }}
"""))
        ng = subprocess.Popen([exe, "-p", str(d), "-c", str(d / "nginx.conf")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started = False
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                started = True
                break
            except OSError:
                if ng.poll() is not None:
                    break
                time.sleep(0.05)
        if started:
            break
    assert started, (d / "error.log").read_text()
    yield s, f"http://127.0.0.1:{port}", d
    ng.terminate()
    ng.wait(timeout=10)
    shutil.rmtree(d, ignore_errors=True)
    s.close()


@pytest.mark.parametrize("kind,nginx_path", [
    ("refuse", "/refuse"),
    ("reset", "/reset"),
    ("hang?timeout=1", "/hang"),
    ("blackhole?timeout=1", "/blackhole"),
    ("slow-headers?after=3&timeout=1", "/slow-headers?after_ms=3000"),
    ("ok", "/ok"),
])
def test_same_status_as_nginx(pair, kind, nginx_path):
    s, ngx, _ = pair
    theirs, rc1, err1 = curl(ngx + nginx_path)
    ours, rc2, err2 = curl(f"{s.url}/gateway/{kind}")
    assert rc1 == 0 and rc2 == 0, (err1, err2)
    assert ours == theirs, (kind, ours, theirs)


def test_cut_after_the_head_like_nginx(pair):
    s, ngx, _ = pair
    theirs = curl(ngx + "/truncate")
    ours = curl(s.url + "/gateway/truncate")
    # both: 200, then the connection ends short of Content-Length (curl 18)
    assert theirs[:2] == ours[:2] == (200, 18), (theirs, ours)


def test_garbage_is_the_known_exception(pair):
    s, ngx, d = pair
    theirs = curl(ngx + "/garbage")
    assert theirs[0] == 0 and "HTTP/0.9" in theirs[2], theirs  # nginx passes it on as HTTP/0.9
    assert "upstream sent no valid HTTP/1.0 header" in (d / "error.log").read_text()
    assert curl(s.url + "/gateway/garbage")[0] == 502
