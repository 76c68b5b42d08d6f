"""Paths users rely on that no other test walked (issue 25): wss://, a server run
with the user's own certificate, IPv6 listening and the per-IP limit for IPv6,
and SIGUSR2 / SIGTERM with TLS and h2c listeners open.

    /usr/bin/python3 -m pytest -q tests/integration/test_user_paths.py
"""
import asyncio
import os
import re
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
import pytest
import requests
import websockets

from conftest import BIN, DEFAULT_ARGS, MIN_WORKERS, SANITIZER_MARKERS
from test_signals import subreaper  # noqa: F401 - fixture

T = 10


class Proc:
    """`httpstatus serve` with its own listeners; ports read from its start-up lines."""

    def __init__(self, *args, workers=2):
        if workers < MIN_WORKERS:
            pytest.skip(f"{workers} worker(s) < HS_MIN_WORKERS={MIN_WORKERS}")
        self.dir = tempfile.TemporaryDirectory(prefix="hs-user-")
        self.err_path = Path(self.dir.name) / "stderr.txt"
        self.err = open(self.err_path, "w+")
        self.proc = subprocess.Popen([BIN, "serve", "--workers", str(workers), "--access-log", "off",
                                      "--drain-timeout", "5s", *args],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=self.err)
        deadline = time.monotonic() + 15
        while "listening on" not in self.stderr() or not self._all_listening(args):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(self.stderr())
            time.sleep(0.02)

    def _all_listening(self, args):
        wanted = sum(1 for a in args if a in ("--listen", "--tls-listen", "--h2c-listen"))
        return self.stderr().count("listening on") >= max(wanted, 1)

    def stderr(self):
        return self.err_path.read_text()

    def port(self, scheme, host="127.0.0.1", note=""):
        host_re = re.escape(f"[{host}]" if ":" in host else host)
        for line in self.stderr().splitlines():
            m = re.search(rf"listening on {scheme}://{host_re}:(\d+)(.*)", line)
            if m and note in m.group(2):
                return int(m.group(1))
        raise AssertionError(self.stderr())

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=20)
        for marker in SANITIZER_MARKERS:
            assert marker not in self.stderr(), self.stderr()
        return code

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.err.close()
        self.dir.cleanup()


@pytest.fixture
def procs():
    made = []

    def make(*args, **kw):
        p = Proc(*args, **kw)
        made.append(p)
        return p

    yield make
    for p in made:
        p.close()


@pytest.fixture(scope="module")
def own_cert(tmp_path_factory):
    """A self-signed EC P-256 certificate for localhost made by openssl(1), as a user would."""
    d = tmp_path_factory.mktemp("own")
    cert, key = d / "cert.pem", d / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj",
                    "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=30)
    return cert, key


def test_own_certificate_is_served(procs, own_cert, tmp_path):
    cert, key = own_cert
    p = procs(*DEFAULT_ARGS, "--listen", "127.0.0.1:0", "--tls-listen", "127.0.0.1:0",
              "--tls-cert", str(cert), "--tls-key", str(key), "--tls-dir", str(tmp_path / "state"))
    port = p.port("https")
    r = requests.get(f"https://localhost:{port}/status/418", verify=str(cert), timeout=T)
    assert r.status_code == 418
    with httpx.Client(http2=True, verify=str(cert)) as c:
        assert c.get(f"https://localhost:{port}/get").http_version == "HTTP/2"
    # the user's certificate is the one served; no local CA is made
    der = ssl.PEM_cert_to_DER_cert(cert.read_text())
    with socket.create_connection(("127.0.0.1", port), timeout=T) as s:
        ctx = ssl.create_default_context(cafile=str(cert))
        with ctx.wrap_socket(s, server_hostname="localhost") as t:
            assert t.getpeercert(binary_form=True) == der
    assert "created a local CA" not in p.stderr()
    assert not (tmp_path / "state" / "ca.pem").exists()
    assert p.stop() == 0


def test_wss_echo_and_close_code(procs, own_cert):
    cert, key = own_cert
    p = procs("--listen", "127.0.0.1:0", "--tls-listen", "127.0.0.1:0", "--tls-cert", str(cert),
              "--tls-key", str(key))
    base = f"wss://localhost:{p.port('https')}"
    ctx = ssl.create_default_context(cafile=str(cert))

    async def run():
        async with websockets.connect(base + "/websocket/echo", ssl=ctx) as ws:
            await ws.send("héllo")
            assert await asyncio.wait_for(ws.recv(), T) == "héllo"
            await ws.send(b"\x00\x01" * 5000)
            assert await asyncio.wait_for(ws.recv(), T) == b"\x00\x01" * 5000
        async with websockets.connect(base + "/websocket/close/1008", ssl=ctx) as ws:
            with pytest.raises(websockets.ConnectionClosed) as e:
                await asyncio.wait_for(ws.recv(), T)
            assert e.value.rcvd.code == 1008

    asyncio.run(run())
    assert p.stop() == 0


def test_ipv6_listening_and_per_ip_limit(procs):
    p = procs("--listen", "[::1]:0", "--max-connections-per-ip", "2", workers=1)
    port = p.port("http", host="::1")
    r = requests.get(f"http://[::1]:{port}/get", headers={"Connection": "close"}, timeout=T)
    assert r.status_code == 200 and r.json()["origin"] == "::1"
    time.sleep(0.3)  # that connection is gone before the two below are counted
    held = [socket.create_connection(("::1", port), timeout=T) for _ in range(2)]
    time.sleep(0.3)
    with socket.create_connection(("::1", port), timeout=T) as third:
        third.sendall(b"GET /get HTTP/1.1\r\nHost: x\r\n\r\n")
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = third.recv(4096)
            if not chunk:
                break
            data += chunk
    assert data.startswith(b"HTTP/1.1 503 "), data[:100]
    assert b"Retry-After:" in data
    for s in held:
        s.close()
    time.sleep(0.3)
    assert requests.get(f"http://[::1]:{port}/status/200", timeout=T).status_code == 200
    assert p.stop() == 0


def test_sigterm_drains_tls_and_h2c_requests_in_flight(procs, tmp_path):
    p = procs(*DEFAULT_ARGS, "--listen", "127.0.0.1:0", "--tls-listen", "127.0.0.1:0",
              "--h2c-listen", "127.0.0.1:0", "--tls-dir", str(tmp_path / "state"))
    ca = str(tmp_path / "state" / "ca.pem")
    tls, h2c = p.port("https"), p.port("http", note="HTTP/2 only")
    import concurrent.futures as cf

    def curl(*args):
        r = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{http_version}",
                            "--max-time", str(T), *args], capture_output=True, timeout=T + 5)
        return r.stdout.decode()

    with cf.ThreadPoolExecutor(3) as ex:
        futs = [ex.submit(curl, "--cacert", ca, "--http2", f"https://localhost:{tls}/delay/1"),
                ex.submit(curl, "--http2-prior-knowledge", f"http://127.0.0.1:{h2c}/delay/1"),
                ex.submit(curl, "--cacert", ca, "--http1.1", f"https://localhost:{tls}/delay/1")]
        time.sleep(0.4)
        p.proc.send_signal(signal.SIGTERM)
        assert [f.result(timeout=15) for f in futs] == ["200 2", "200 2", "200 1.1"]
    assert p.proc.wait(timeout=15) == 0, p.stderr()


def test_sigusr2_restart_keeps_tls_and_h2c_listeners(procs, tmp_path, subreaper):  # noqa: F811
    p = procs(*DEFAULT_ARGS, "--listen", "127.0.0.1:0", "--tls-listen", "127.0.0.1:0",
              "--h2c-listen", "127.0.0.1:0", "--tls-dir", str(tmp_path / "state"))
    ca = str(tmp_path / "state" / "ca.pem")
    tls, h2c = p.port("https"), p.port("http", note="HTTP/2 only")
    p.proc.send_signal(signal.SIGUSR2)
    m = None
    deadline = time.monotonic() + 15
    while not m and time.monotonic() < deadline:
        m = re.search(r"started new process (\d+)", p.stderr())
        time.sleep(0.05)
    assert m, p.stderr()
    new_pid = int(m.group(1))
    subreaper.append(new_pid)
    assert p.proc.wait(timeout=15) == 0, p.stderr()  # the old one drained and left
    # the new process answers on every listener the old one had
    with httpx.Client(http2=True, verify=ca, timeout=T) as c:
        r = c.get(f"https://localhost:{tls}/status/418")
        assert r.status_code == 418 and r.http_version == "HTTP/2"
    with httpx.Client(http2=True, http1=False, timeout=T) as c:
        assert c.get(f"http://127.0.0.1:{h2c}/status/204").status_code == 204
    os.kill(new_pid, signal.SIGTERM)
    _, status = os.waitpid(new_pid, 0)
    subreaper.remove(new_pid)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, status
