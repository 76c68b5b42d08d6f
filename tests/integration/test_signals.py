"""Issue 13, the operator's side: a busy port is an error unless --reuse-port;
the open-file limit is checked at start and a connection past it still gets
503; SIGHUP/SIGUSR1 reopen the log file, SIGUSR2 restarts without losing a
connection, SIGQUIT drains; drain details (Connection: close on late heads, cut responses
logged as such); memory goes back to the system after a burst.

Servers here run with two workers where the point allows it, so that test.sh's
ThreadSanitizer pass (HS_MIN_WORKERS=2) runs them too."""
import ctypes
import os
import re
import resource
import select
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest

from conftest import BIN, MIN_WORKERS, SANITIZER_MARKERS
from rawhttp import parse, read_all, read_responses_from, request

SANITIZED = os.environ.get("HS_SANITIZED") == "1"
PR_SET_CHILD_SUBREAPER = 36


class Proc:
    """A server process started by hand (own port, limits or environment)."""

    def __init__(self, *args, workers=2, listen="127.0.0.1:0", preexec_fn=None, wait=True):
        if not os.access(BIN, os.X_OK):
            pytest.fail(f"server binary not found: {BIN}")
        if workers < MIN_WORKERS:
            pytest.skip(f"{workers} worker(s) < HS_MIN_WORKERS={MIN_WORKERS}")
        self.dir = tempfile.TemporaryDirectory(prefix="hs-sig-")
        self.log_path = Path(self.dir.name) / "access.log"
        self.err_path = Path(self.dir.name) / "stderr.txt"
        self.err = open(self.err_path, "w+")
        cmd = [BIN, "serve", "--listen", listen, "--workers", str(workers),
               "--log-file", str(self.log_path), "--drain-timeout", "5s", *args]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=self.err, preexec_fn=preexec_fn)
        self.port = self.wait_port() if wait else None

    def stderr(self):
        return self.err_path.read_text()

    def wait_port(self, timeout=15.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", self.stderr())
            if m:
                return int(m.group(1))
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.stderr()}")
            time.sleep(0.02)
        raise RuntimeError("server did not report its port")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=20)
        err = self.stderr()
        for marker in SANITIZER_MARKERS:
            assert marker not in err, err
        return code

    def close(self):
        try:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
        finally:
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


def get(port, path="/status/200", timeout=10):
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(request("GET", path, headers=[("Connection", "close")]))
        data, _ = read_all(s, timeout=timeout)
    return parse(data)[-1] if data else None


# ---- item 4: a busy port ----

def test_second_server_on_a_busy_port_fails(procs):
    first = procs()
    second = procs(listen=f"127.0.0.1:{first.port}", wait=False)
    code = second.proc.wait(timeout=15)
    assert code == 1, second.stderr()
    err = second.stderr()
    assert f"cannot listen on 127.0.0.1:{first.port}" in err and "in use" in err, err
    assert "--reuse-port" in err
    # the first one still has all the traffic
    for _ in range(20):
        assert get(first.port).status == 200
    assert first.stop() == 0


def test_reuse_port_lets_servers_share_the_port_on_purpose(procs):
    first = procs("--reuse-port")
    second = procs("--reuse-port", listen=f"127.0.0.1:{first.port}")
    assert second.port == first.port
    for _ in range(10):
        assert get(first.port).status == 200
    # only one of them asked for sharing: the other refuses
    third = procs(listen=f"127.0.0.1:{first.port}", wait=False)
    assert third.proc.wait(timeout=15) == 1, third.stderr()
    assert second.stop() == 0 and first.stop() == 0


# ---- item 5: the open-file limit ----

def low_fd_limit(n):
    def apply():
        resource.setrlimit(resource.RLIMIT_NOFILE, (n, n))
    return apply


def test_connections_past_the_fd_limit_get_503(procs):
    srv = procs("--max-connections", "1000", "--linger", "100ms", "--idle-timeout", "30s",
                preexec_fn=low_fd_limit(64))
    err = srv.stderr()
    assert "warning: the open-file limit (64) is below --max-connections (1000)" in err, err
    idle, refused = [], []
    # idle connections until the server runs out of descriptors: then each one
    # more is answered 503 + Retry-After at once, without reading a request
    for _ in range(120):
        s = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
        data, _ = read_all(s, timeout=0.15)
        if data:
            refused.append((s, data))
            break
        idle.append(s)
    if not refused:  # a loaded machine may take longer than 0.15 s to answer
        readable, _, _ = select.select(idle, [], [], 5)
        for s in readable:
            idle.remove(s)
            refused.append((s, read_all(s, timeout=5)[0]))
    assert refused, f"{len(idle)} idle connections and no 503"
    for _ in range(3):  # more past the limit: answered too (none reset)
        s = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
        data, _ = read_all(s, timeout=5)
        refused.append((s, data))
    for s, data in refused:
        r = parse(data)[0]
        assert r.status == 503 and r.header("retry-after") and r.header("connection") == "close"
        s.close()
    for s in idle:
        s.close()
    time.sleep(0.3)
    assert get(srv.port).status == 200  # descriptors free again: served
    assert srv.stop() == 0


# ---- item 6: SIGHUP / SIGUSR1 reopen the log, SIGUSR2 restarts ----

@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGUSR1])
def test_signal_reopens_the_log_file_and_loses_no_line(procs, sig):
    srv = procs("--access-log", "clf")
    for i in range(5):
        assert get(srv.port, f"/status/200?before={i}").status == 200
    # a response in flight across the signal, and buffered log lines
    slow = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
    slow.sendall(request("GET", "/delay/1"))
    time.sleep(0.3)
    rotated = srv.log_path.with_suffix(".1")
    os.rename(srv.log_path, rotated)  # what logrotate does
    srv.proc.send_signal(sig)
    time.sleep(0.3)
    assert srv.proc.poll() is None, srv.stderr()
    assert f"signal {int(sig)}, reopened" in srv.stderr()
    r = read_responses_from(slow, 1, timeout=10)[0]
    assert r.status == 200
    slow.close()
    for i in range(5):
        assert get(srv.port, f"/status/200?after={i}").status == 200
    assert srv.stop() == 0
    old, new = rotated.read_text(), srv.log_path.read_text()
    assert old.count("?before=") + new.count("?before=") == 5
    assert new.count("?after=") == 5 and "?after=" not in old
    assert "/delay/1" in old + new


@pytest.fixture
def subreaper():
    """Orphans (the server a SIGUSR2 starts, once the old one has exited) are
    reparented to this process, which can then wait for them."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        pytest.skip("prctl(PR_SET_CHILD_SUBREAPER) not available")
    started = []
    yield started
    for pid in started:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
    libc.prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0)


def keep_requesting(port, stop, stats, fresh_connections):
    """Requests back to back until `stop`: on one keep-alive connection, or a
    new connection per request. Every request must be answered: during a
    restart no connection may be refused or reset."""
    sock = None
    while not stop.is_set():
        try:
            if sock is None:
                sock = socket.create_connection(("127.0.0.1", port), timeout=10)
            sock.sendall(request("GET", "/status/200",
                                 headers=[("Connection", "close")] if fresh_connections else []))
            r = read_responses_from(sock, 1, timeout=10)[-1]
            if r.status != 200:
                raise AssertionError(r)
            stats["ok"] += 1
            if fresh_connections or (r.header("connection") or "").lower() == "close":
                sock.close()
                sock = None
        except Exception as e:  # noqa: BLE001 - any failure counts
            stats["failed"].append(repr(e))
            if sock:
                sock.close()
            sock = None
    if sock:
        sock.close()


def test_sigusr2_restart_loses_no_request(procs, subreaper):
    old = procs("--access-log", "off")
    stop = threading.Event()
    stats = [{"ok": 0, "failed": []} for _ in range(6)]
    threads = [threading.Thread(target=keep_requesting, args=(old.port, stop, stats[i], i % 2 == 0),
                                daemon=True) for i in range(6)]
    for t in threads:
        t.start()
    time.sleep(1.0)
    # a response in flight across the restart
    slow = socket.create_connection(("127.0.0.1", old.port), timeout=15)
    slow.sendall(request("GET", "/delay/1.5"))
    time.sleep(0.2)
    old.proc.send_signal(signal.SIGUSR2)
    m = None
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not m:
        m = re.search(r"started new process (\d+)", old.stderr())
        time.sleep(0.05)
    assert m, old.stderr()
    new_pid = int(m.group(1))
    subreaper.append(new_pid)
    assert old.proc.wait(timeout=15) == 0, old.stderr()  # drained
    r = read_responses_from(slow, 1, timeout=10)[0]
    assert r.status == 200 and r.header("connection") == "close"
    slow.close()
    time.sleep(1.0)  # the new process alone
    stop.set()
    for t in threads:
        t.join(timeout=20)
    err = old.stderr()
    assert f"new process {new_pid} is listening, draining" in err, err
    ok = sum(s["ok"] for s in stats)
    failed = [f for s in stats for f in s["failed"]]
    assert not failed, failed[:5]
    assert ok > 50, ok
    # the new process serves on the same port and drains on SIGTERM, exit 0
    assert get(old.port).status == 200
    os.kill(new_pid, signal.SIGTERM)
    _, status = os.waitpid(new_pid, 0)
    subreaper.remove(new_pid)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, status
    for marker in SANITIZER_MARKERS:
        assert marker not in old.stderr()


def test_sigusr2_whose_new_process_fails_keeps_serving(procs, subreaper):
    srv = procs("--access-log", "clf")
    # the new copy cannot start (its log file cannot be opened: a directory
    # took its name); the running one goes on
    srv.log_path.unlink()
    srv.log_path.mkdir()
    srv.proc.send_signal(signal.SIGUSR2)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and "failed" not in srv.stderr():
        time.sleep(0.05)
    assert re.search(r"the new process \d+ failed \(exit status 1\), still serving", srv.stderr())
    assert get(srv.port).status == 200
    assert srv.stop() == 0


def test_sigquit_drains_like_sigterm(procs):
    # nginx's graceful stop: the response in flight completes, exit 0
    srv = procs()
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
    s.sendall(request("GET", "/delay/1"))
    time.sleep(0.3)
    srv.proc.send_signal(signal.SIGQUIT)
    r = read_responses_from(s, 1, timeout=10)[0]
    assert r.status == 200 and r.header("connection") == "close"
    s.close()
    assert srv.stop() == 0
    assert f"signal {int(signal.SIGQUIT)}, draining" in srv.stderr()


# ---- item 7: drain details ----

def test_head_written_after_sigterm_says_connection_close(procs):
    srv = procs()
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
    s.sendall(request("GET", "/delay/1"))
    time.sleep(0.3)
    srv.proc.send_signal(signal.SIGTERM)
    r = read_responses_from(s, 1, timeout=10)[0]
    assert r.status == 200 and r.header("connection") == "close", r
    try:  # the connection is done: one more request is not answered
        s.sendall(request("GET", "/status/200"))
        data, closed = read_all(s, timeout=3)
    except OSError:
        data, closed = b"", True
    assert data == b"" and closed
    s.close()
    assert srv.stop() == 0


def test_response_cut_at_the_drain_deadline_is_logged_as_cut_by_the_server(procs):
    srv = procs("--drain-timeout", "500ms", "--access-log", "json")
    before = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
    before.sendall(request("GET", "/delay/5"))  # nothing sent yet at the deadline
    during = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
    during.sendall(request("GET", "/drip?numbytes=10&duration=5"))  # head sent
    time.sleep(0.5)
    t0 = time.monotonic()
    srv.proc.send_signal(signal.SIGTERM)
    assert srv.proc.wait(timeout=10) == 0
    assert time.monotonic() - t0 < 3
    log = srv.log_path.read_text()
    lines = [ln for ln in log.splitlines() if "/delay/5" in ln or "/drip" in ln]
    assert len(lines) == 2, log
    assert all('"status":444' in ln for ln in lines), lines
    before.close()
    during.close()


def test_client_that_leaves_is_still_499(procs):
    srv = procs("--access-log", "json")
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
    s.sendall(request("GET", "/delay/3"))
    time.sleep(0.3)
    s.close()
    time.sleep(0.5)
    assert srv.stop() == 0
    line = [ln for ln in srv.log_path.read_text().splitlines() if "/delay/3" in ln]
    assert len(line) == 1 and '"status":499' in line[0], line


# ---- item 1 (remainder): memory goes back after a burst ----

def rss_kib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def runs_under_a_sanitizer(pid):
    maps = Path(f"/proc/{pid}/maps").read_text()
    return any(lib in maps for lib in ("libasan", "libtsan", "libubsan"))


def test_memory_is_given_back_after_a_burst(procs):
    srv = procs("--access-log", "off", "--max-body", "2m", "--max-connections", "1000")
    if SANITIZED or runs_under_a_sanitizer(srv.proc.pid):
        pytest.skip("a sanitizer's allocator keeps its own memory")
    time.sleep(0.3)
    rss0 = rss_kib(srv.proc.pid)
    body = b"x" * (1 << 20)

    def posts():
        for _ in range(5):
            with socket.create_connection(("127.0.0.1", srv.port), timeout=30) as s:
                s.sendall(request("POST", "/anything", body=body,
                                  headers=[("Connection", "close")]))
                read_all(s, timeout=30)

    # pipelining clients that do not read hold large output buffers
    readers = []
    for _ in range(100):
        c = socket.socket()
        c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        c.connect(("127.0.0.1", srv.port))
        c.sendall(b"GET /bytes/102400 HTTP/1.1\r\nHost: x\r\n\r\n" * 100)
        readers.append(c)
    threads = [threading.Thread(target=posts) for _ in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    time.sleep(0.5)
    peak = rss_kib(srv.proc.pid) - rss0
    for c in readers:
        c.close()
    # quiet now: within a few seconds most of it is back
    after = peak
    deadline = time.monotonic() + 6
    while time.monotonic() < deadline:
        time.sleep(0.5)
        after = rss_kib(srv.proc.pid) - rss0
        if after < 16 * 1024:
            break
    assert peak > 32 * 1024, f"the burst took only {peak} KiB: it tests nothing"
    assert after < 16 * 1024, f"RSS {after} KiB above the start after the burst (peak {peak})"
    assert get(srv.port).status == 200
    assert srv.stop() == 0


def test_sigusr2_restart_hands_over_the_ftp_listener(procs, subreaper):
    """The FTP listener crosses a SIGUSR2 restart like the HTTP ones: the new
    process serves FTP on the same port, the old one says 421 to its idle
    FTP session and exits 0 (docs/ftp.md)."""
    from ftpraw import Ftp
    old = procs("--access-log", "off", "--ftp-listen", "127.0.0.1:0")
    ftp_port = int(re.search(r"listening on ftp://127\.0\.0\.1:(\d+)", old.stderr()).group(1))
    idle = Ftp(ftp_port)
    assert idle.greeting[0] == 220
    old.proc.send_signal(signal.SIGUSR2)
    m = None
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not m:
        m = re.search(r"started new process (\d+)", old.stderr())
        time.sleep(0.05)
    assert m, old.stderr()
    new_pid = int(m.group(1))
    subreaper.append(new_pid)
    code, text = idle.reply()
    assert code == 421 and "shutting down" in text
    assert old.proc.wait(timeout=15) == 0, old.stderr()
    fresh = Ftp(ftp_port)  # served by the new process
    assert fresh.greeting[0] == 220
    fresh.login()
    assert fresh.cmd("SIZE /pub/1k.bin") == (213, "213 1024\r\n")
    fresh.close()
    os.kill(new_pid, signal.SIGTERM)
    _, status = os.waitpid(new_pid, 0)
    subreaper.remove(new_pid)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


@pytest.mark.parametrize("workers", [1, 2])
def test_signals_during_the_whole_shutdown_never_kill(procs, workers):
    # a supervisor that keeps sending SIGTERM while the server stops: every
    # one is taken by a watcher (the second closes everything at once) or
    # ignored once the watchers are closed, never by a thread whose default
    # action would end the process (the access log's writer, libuv's pool
    # started by a worker to resolve a name: they hold these signals). Exit
    # status 0 every time.
    codes = []
    for _ in range(15):
        # a proxied request to a name: libuv's pool starts its threads to resolve it
        p = procs("--upstream", "http://localhost:9", workers=workers)
        assert get(p.port).status == 200  # the log writer has a line to write
        assert get(p.port, "/proxy/x").status == 502  # localhost:9 refuses
        pid = p.proc.pid
        while p.proc.poll() is None:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                break
            time.sleep(0.0002)
        codes.append(p.proc.wait(timeout=15))
    print(f"\nexit statuses with SIGTERM every 0.2 ms until the end, {workers} worker(s): {codes}")
    assert codes == [0] * len(codes), codes
