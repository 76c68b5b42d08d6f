"""Fixtures for the integration tests of `httpstatus serve`.

Each server runs as a real process on a free 127.0.0.1 port (the server picks it:
--listen 127.0.0.1:0, and prints it on stderr). Binary: $HTTPSTATUS_BIN, default
<repo>/build/httpstatus. Every server is stopped with SIGTERM at the end of its
test and must exit 0 without a sanitizer report.

HS_MIN_WORKERS=N skips every test whose server has fewer than N workers: test.sh
runs the suite under ThreadSanitizer with HS_MIN_WORKERS=2, where a single
worker (one thread) has nothing to race with.
"""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# the raw HTTP/1.1 and HTTP/2 clients every suite shares (rawhttp, h2client)
sys.path.insert(0, str(REPO / "tests" / "clients"))
BIN = os.environ.get("HTTPSTATUS_BIN", str(REPO / "build" / "httpstatus"))

# Small limits and short timeouts keep the suite fast; tests that need other
# values start their own server.
DEFAULT_ARGS = [
    "--max-uri", "1024", "--max-header-size", "4096", "--max-headers", "20",
    "--max-body", "4096", "--header-timeout", "2s", "--body-timeout", "2s",
    "--idle-timeout", "5s", "--drain-timeout", "3s", "--linger", "300ms",
]

# A ThreadSanitizer report (data race, lock-order inversion, ...) is a WARNING;
# the process still exits with TSan's exitcode (66), but a report must fail the
# test even when a test sets its own expectations on the exit status.
SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                     "ERROR: ThreadSanitizer", "WARNING: ThreadSanitizer",
                     "FATAL: ThreadSanitizer")
MIN_WORKERS = int(os.environ.get("HS_MIN_WORKERS", "1"))


class Server:
    """One `httpstatus serve` process."""

    def __init__(self, *args, workers=1, access_log="clf"):
        if not os.access(BIN, os.X_OK):
            pytest.fail(f"server binary not found: {BIN} (set HTTPSTATUS_BIN)")
        if workers < MIN_WORKERS:
            pytest.skip(f"{workers} worker(s) < HS_MIN_WORKERS={MIN_WORKERS}")
        self.dir = tempfile.TemporaryDirectory(prefix="hs-it-")
        self.log_path = Path(self.dir.name) / "access.log"
        self.err_path = Path(self.dir.name) / "stderr.txt"
        cmd = [BIN, "serve", "--listen", "127.0.0.1:0", "--workers", str(workers),
               "--access-log", access_log, "--log-file", str(self.log_path), *args]
        self.err = open(self.err_path, "w+")
        env = dict(os.environ)
        env.setdefault("ASAN_OPTIONS", "detect_leaks=1")
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=self.err, env=env)
        self.port = self._wait_port()
        self.host = "127.0.0.1"
        self.url = f"http://127.0.0.1:{self.port}"
        self._wait_accept()
        self.exit_code = None

    def _wait_port(self, timeout=10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", self.err_path.read_text())
            if m:
                return int(m.group(1))
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.err_path.read_text()}")
            time.sleep(0.02)
        raise RuntimeError("server did not report its port")

    def _wait_accept(self, timeout=10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("server does not accept connections")

    def port_of(self, scheme, note=""):
        """The port of another listener: "https" (--tls-listen), or "http"
        with note "HTTP/2 only" (--h2c-listen)."""
        for line in self.stderr().splitlines():
            m = re.search(rf"listening on {scheme}://127\.0\.0\.1:(\d+) \((.*)\)", line)
            if m and note in m.group(2):
                return int(m.group(1))
        raise AssertionError(f"no {scheme} listener {note}: {self.stderr()}")

    def connect(self, timeout=5.0):
        s = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        return s

    def stderr(self):
        return self.err_path.read_text()

    def access_log(self):
        return self.log_path.read_text() if self.log_path.exists() else ""

    def send_signal(self, sig=signal.SIGTERM):
        self.proc.send_signal(sig)

    def stop(self, sig=signal.SIGTERM, timeout=15.0):
        if self.exit_code is None:
            if self.proc.poll() is None:
                self.proc.send_signal(sig)
            try:
                self.exit_code = self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.exit_code = self.proc.wait()
                raise AssertionError("server did not stop in time")
        return self.exit_code

    def check_clean(self):
        err = self.stderr()
        for marker in SANITIZER_MARKERS:
            assert marker not in err, err
        assert self.exit_code == 0, f"exit {self.exit_code}: {err}"

    def close(self):
        try:
            self.stop()
            self.check_clean()
        finally:
            self.err.close()
            self.dir.cleanup()


@pytest.fixture(scope="module")
def srv():
    """A shared server with the default small limits."""
    s = Server(*DEFAULT_ARGS)
    yield s
    s.close()


@pytest.fixture
def make_server():
    """Factory for servers with their own options; all stopped at teardown."""
    servers = []

    def make(*args, **kw):
        s = Server(*args, **kw)
        servers.append(s)
        return s

    yield make
    for s in servers:
        s.close()


@pytest.fixture(scope="session")
def registry():
    """The registry's HTTP records, from the same binary: code → record."""
    out = subprocess.run([BIN, "--json", "list", "http"], capture_output=True, text=True,
                         check=True).stdout
    doc = json.loads(out)  # one result per query; its records (issue 12's JSON shape)
    return {r["code"]: r for r in doc[0]["records"]}
