"""systemd socket activation (issue 22), tested with Debian's
systemd-socket-activate, which listens, waits for the first connection, then
execs the server with LISTEN_PID/LISTEN_FDS/LISTEN_FDNAMES (sd_listen_fds(3)).

Run alone: HTTPSTATUS_BIN=build/httpstatus python3 -m pytest -q \
  tests/integration/test_ops_activation.py
A missing systemd-socket-activate (Debian package systemd) fails the test.
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import time

import pytest
import requests

from conftest import BIN, SANITIZER_MARKERS


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, **kw):
    deadline = time.monotonic() + 15
    while True:  # the first connection makes systemd-socket-activate exec the server
        try:
            return requests.get(url, timeout=5, **kw)
        except requests.ConnectionError:
            assert time.monotonic() < deadline
            time.sleep(0.1)


class Activated:
    def __init__(self, tmp_path, names, *args, env=None):
        tool = shutil.which("systemd-socket-activate")
        assert tool, "systemd-socket-activate is missing: install Debian's systemd (scripts/deps.sh)"
        self.ports = [free_port() for _ in names]
        cmd = [tool]
        for p in self.ports:
            cmd += ["-l", f"127.0.0.1:{p}"]
        if any(names):
            cmd.append("--fdname=" + ":".join(names))
        self.err_path = tmp_path / "stderr.txt"
        self.err = open(self.err_path, "w")
        e = dict(os.environ, **(env or {}))
        e.setdefault("ASAN_OPTIONS", "detect_leaks=1")
        self.proc = subprocess.Popen(cmd + [BIN, "serve", "--access-log", "off", *args],
                                     stdout=subprocess.DEVNULL, stderr=self.err, env=e)

    def stderr(self):
        return self.err_path.read_text()

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=20)
        self.err.close()
        for m in SANITIZER_MARKERS:
            assert m not in self.stderr(), self.stderr()
        return code


def test_named_sockets_map_to_listeners(tmp_path):
    # --tls-listen names where TLS options apply; the passed socket replaces its address
    a = Activated(tmp_path, ["http", "https", "metrics"], "--tls-listen", "127.0.0.1:1",
                  "--tls-dir", str(tmp_path / "tls"))
    http, https, metrics = a.ports
    try:
        r = get(f"http://127.0.0.1:{http}/status/418")
        assert r.status_code == 418
        r = get(f"https://localhost:{https}/status/202", verify=str(tmp_path / "tls" / "ca.pem"))
        assert r.status_code == 202
        assert get(f"http://127.0.0.1:{metrics}/readyz").status_code == 200
        assert get(f"http://127.0.0.1:{metrics}/status/418").status_code == 404
        m = get(f"http://127.0.0.1:{metrics}/metrics").text
        assert 'httpstatus_requests_total{code="418",proto="http/1.1",scheme="http"} 1' in m
        assert 'httpstatus_requests_total{code="202",proto="http/1.1",scheme="https"} 1' in m
        err = a.stderr()
        assert f"listening on http://127.0.0.1:{http} " in err and "from systemd" in err, err
        assert f"listening on https://127.0.0.1:{https} " in err, err
        # nothing bound besides what systemd passed (no default 127.0.0.1:8080)
        assert err.count("listening on") == 3, err
    finally:
        assert a.stop() == 0, a.stderr()


def test_unnamed_socket_serves_plain_http(tmp_path):
    a = Activated(tmp_path, [""])
    try:
        assert get(f"http://127.0.0.1:{a.ports[0]}/status/204").status_code == 204
        assert "from systemd" in a.stderr()
    finally:
        assert a.stop() == 0, a.stderr()


def test_restart_keeps_exactly_the_activated_listeners(tmp_path):
    """SIGUSR2 under socket activation: the new process takes the same
    sockets and binds nothing of its own (no default 127.0.0.1:8080 beside
    a metrics-only socket)."""
    a = Activated(tmp_path, ["metrics"], "--drain-timeout", "2s")
    port = a.ports[0]
    child = None
    try:
        assert get(f"http://127.0.0.1:{port}/readyz").status_code == 200
        a.proc.send_signal(signal.SIGUSR2)
        assert a.proc.wait(timeout=20) == 0  # the old process drained and left
        m = re.search(r"started new process (\d+)", a.stderr())
        assert m, a.stderr()
        child = int(m.group(1))
        assert "new process %d is listening" % child in a.stderr(), a.stderr()
        assert get(f"http://127.0.0.1:{port}/readyz").status_code == 200
        assert a.stderr().count("listening on http://") == 2, a.stderr()
        assert "127.0.0.1:8080" not in a.stderr(), a.stderr()
    finally:
        if child:
            os.kill(child, signal.SIGTERM)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                try:
                    os.kill(child, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.1)
        if a.proc.poll() is None:
            a.stop()
        else:
            a.err.close()
    for m in SANITIZER_MARKERS:
        assert m not in a.stderr(), a.stderr()


def test_listen_pid_of_another_process_is_ignored(tmp_path):
    """LISTEN_PID names someone else: the variables are not ours, the server
    binds its own --listen address (the fallback) and leaves fd 3 alone."""
    err_path = tmp_path / "err.txt"
    with open(err_path, "w") as err:
        p = subprocess.Popen([BIN, "serve", "--listen", "127.0.0.1:0", "--access-log", "off"],
                             stdout=subprocess.DEVNULL, stderr=err,
                             env=dict(os.environ, LISTEN_PID="1", LISTEN_FDS="1",
                                      LISTEN_FDNAMES="http"))
        try:
            deadline = time.monotonic() + 10
            while "listening on" not in err_path.read_text():
                assert p.poll() is None and time.monotonic() < deadline, err_path.read_text()
                time.sleep(0.05)
        finally:
            p.send_signal(signal.SIGTERM)
            assert p.wait(timeout=15) == 0
    assert "from systemd" not in err_path.read_text()


def test_a_passed_descriptor_that_does_not_listen_is_refused(tmp_path):
    """fd 3 is a plain file: it is reported and closed, and the server, with no
    listener left from systemd, binds --listen instead."""
    f = open(tmp_path / "not-a-socket", "w")
    err_path = tmp_path / "err.txt"

    with open(err_path, "w") as err:
        # sh puts the file at 3 and its own pid (kept by exec) in LISTEN_PID
        p = subprocess.Popen(["sh", "-c", 'LISTEN_PID=$$ exec "$@" 3<"$0"', str(f.name), BIN,
                              "serve", "--listen", "127.0.0.1:0", "--access-log", "off"],
                             stdout=subprocess.DEVNULL, stderr=err,
                             env=dict(os.environ, LISTEN_FDS="1", LISTEN_FDNAMES="http"))
        try:
            deadline = time.monotonic() + 10
            while "listening on" not in err_path.read_text():
                if p.poll() is not None:
                    break
                assert time.monotonic() < deadline, err_path.read_text()
                time.sleep(0.05)
        finally:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
            p.wait(timeout=15)
    f.close()
    text = err_path.read_text()
    assert "descriptor 3" in text and "not a listening socket" in text, text


if __name__ == "__main__":
    raise SystemExit(pytest.main([__file__]))
