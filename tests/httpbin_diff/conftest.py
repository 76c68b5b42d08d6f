"""Servers for the httpbin differential test.

Starts Debian's python3-httpbin under gunicorn (1 sync worker) and our server
(`$HTTPSTATUS_BIN serve --listen 127.0.0.1:PORT --workers 1`, default binary
<repo>/build/httpstatus), each on a free 127.0.0.1 port, waits until both
answer, and stops them at the end of the session.

Environment:
  HTTPSTATUS_BIN           our binary (default <repo>/build/httpstatus)
  HTTPBIN_DIFF_SELFTEST=1  run httpbin twice (as reference and as "ours"): checks
                           the harness itself; every case that is not an
                           expected_difference / ours_only case must pass
  HTTPBIN_DIFF_SKIP=1      skip the whole suite
  HTTPBIN_DIFF_OURS=H:P    use an already running server instead of starting one
  HTTPBIN_DIFF_REF=H:P     use an already running httpbin
  HTTPBIN_DIFF_OURS_ARGS   extra arguments for `serve` (space separated)

The suite skips cleanly (with the reason) when gunicorn/httpbin are not
installed, when our binary is missing or built without the server, or when
a server does not come up.
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# the raw HTTP/1.1 and HTTP/2 clients every suite shares (rawhttp, h2client)
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "clients"))

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
from . import compare

STARTUP_SECONDS = 20


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers_http(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"GET /get HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            return s.recv(16).startswith(b"HTTP/1.")
    except OSError:
        return False


def _accepts(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


class Server:
    def __init__(self, name, argv, port, ready, logdir, env=None):
        self.name, self.port, self.host = name, port, "127.0.0.1"
        self.log = Path(logdir) / ("%s.log" % name)
        self.proc = subprocess.Popen(argv, stdout=open(self.log, "wb"), stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True,
                                     env=env or os.environ.copy(), cwd=logdir)
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            if ready(port):
                return
            time.sleep(0.05)
        tail = self.log.read_bytes()[-2000:].decode("utf-8", "replace")
        self.stop()
        pytest.fail("%s did not come up on port %d (%s):\n%s" % (
            name, port, "exited %s" % self.proc.returncode if self.proc.returncode is not None
            else "timeout", tail))

    @property
    def addr(self):
        return (self.host, self.port)

    def stop(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)   # the group we created
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)


class External:
    def __init__(self, spec):
        host, _, port = spec.rpartition(":")
        self.host, self.port = host or "127.0.0.1", int(port)

    @property
    def addr(self):
        return (self.host, self.port)

    def stop(self):
        pass


def start_httpbin(name, logdir):
    try:
        import gunicorn  # noqa: F401
        import httpbin  # noqa: F401
    except ImportError as e:
        pytest.fail("python3-httpbin / gunicorn not installed (%s): "
                    "apt-get install python3-httpbin gunicorn" % e)
    gun = shutil.which("gunicorn") or "/usr/bin/gunicorn"
    argv = ([gun] if os.path.exists(gun) else [sys.executable, "-m", "gunicorn"])
    port = free_port()
    argv += ["-b", "127.0.0.1:%d" % port, "-w", "1", "-k", "sync", "--timeout", "60",
             "--log-level", "warning", "httpbin:app"]
    return Server(name, argv, port, _answers_http, logdir)


def start_ours(logdir):
    binary = os.environ.get("HTTPSTATUS_BIN", str(ROOT / "build" / "httpstatus"))
    if not os.access(binary, os.X_OK):
        pytest.fail("our server binary %s not found (build it, or set HTTPSTATUS_BIN)" % binary)
    probe = subprocess.run([binary, "serve", "--help"], capture_output=True, timeout=10)
    if probe.returncode != 0 or b"no server" in probe.stdout + probe.stderr:
        pytest.fail("%s has no `serve` command (%s)" % (
            binary, (probe.stdout + probe.stderr).decode("utf-8", "replace").strip()[:200]))
    port = free_port()
    argv = [binary, "serve", "--listen", "127.0.0.1:%d" % port, "--workers", "1"]
    argv += os.environ.get("HTTPBIN_DIFF_OURS_ARGS", "").split()
    return Server("ours", argv, port, _accepts, logdir)


SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                     "ERROR: ThreadSanitizer", "WARNING: ThreadSanitizer")


def check_clean_exit(server):
    """Fail when our server, stopped with SIGTERM, exited non-zero or left a sanitizer
    report in its log (an ASan/LSan report at exit would otherwise be lost)."""
    text = server.log.read_bytes().decode("utf-8", "replace")
    found = [m for m in SANITIZER_MARKERS if m in text]
    assert not found, "sanitizer report from our server:\n" + text[-4000:]
    assert server.proc.returncode == 0, "our server exited %s:\n%s" % (
        server.proc.returncode, text[-2000:])


class Servers:
    def __init__(self, ref, ours, selftest):
        self.ref, self.ours, self.selftest = ref, ours, selftest
        self.ctx = compare.Ctx(ref.port, ours.port)


@pytest.fixture(scope="session")
def servers():
    if os.environ.get("HTTPBIN_DIFF_SKIP") == "1":
        pytest.skip("HTTPBIN_DIFF_SKIP=1")
    selftest = os.environ.get("HTTPBIN_DIFF_SELFTEST") == "1"
    logdir = tempfile.mkdtemp(prefix="httpbin-diff-")
    started = []
    ours = None
    try:
        ref = (External(os.environ["HTTPBIN_DIFF_REF"]) if os.environ.get("HTTPBIN_DIFF_REF")
               else start_httpbin("httpbin", logdir))
        started.append(ref)
        if selftest:
            ours = start_httpbin("httpbin-as-ours", logdir)
        elif os.environ.get("HTTPBIN_DIFF_OURS"):
            ours = External(os.environ["HTTPBIN_DIFF_OURS"])
        else:
            ours = start_ours(logdir)
        started.append(ours)
        yield Servers(ref, ours, selftest)
    finally:
        for s in reversed(started):
            s.stop()
        try:
            if not selftest and isinstance(ours, Server):
                check_clean_exit(ours)
        finally:
            shutil.rmtree(logdir, ignore_errors=True)
