"""Issue 18, the second hardening pass: each test is one acceptance point
(an HPACK bomb, a stalled log pipe, a log sink that fails, a zero window,
obs-fold and OWS, TLS and h2c at the connection limit, a restart under HTTP/2
load, WebSocket limits). Each prints the figures it measured (run with -s).
Run one alone: python3 -m pytest -q tests/integration/test_hardening2.py -k bomb"""
import os
import socket
import time

from h2client import RawFrames
from test_signals import procs, subreaper  # noqa: F401 - fixtures
from hyperframe.frame import GoAwayFrame, HeadersFrame, SettingsFrame

SANITIZED = os.environ.get("HS_SANITIZED") == "1"
ENHANCE_YOUR_CALM = 0xB
TICK = os.sysconf("SC_CLK_TCK")


def cpu_s(pid):
    """User + system CPU time of a process so far, in seconds (/proc/PID/stat)."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def rss_kib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def bomb_frame(c, sid):
    """A 16 KB HEADERS frame that decodes to ~64 MB: one 4 KB value put in the
    dynamic table, then one-byte references to it (RFC 7541 §7.3)."""
    h = HeadersFrame(sid)
    big = c.enc.encode([("x-bomb", "b" * 4000)]) if sid == 1 else b""
    head = c.enc.encode([(":method", "GET"), (":path", "/get"), (":scheme", "http"),
                         (":authority", "t")])
    h.data = head + big + bytes([0xBE]) * (16000 - len(head) - len(big))  # index 62
    h.flags.add("END_HEADERS")
    h.flags.add("END_STREAM")
    return h.serialize()


def test_hpack_bomb_costs_little_cpu_and_ends_the_connection(make_server):
    # 100 bomb frames on one connection: the server must stop decoding each
    # block once it is over the limit and end the connection with GOAWAY
    # ENHANCE_YOUR_CALM, not decode 64 MB per frame
    s = make_server()
    c = RawFrames("127.0.0.1", s.port)
    frames = 100
    cpu0 = cpu_s(s.proc.pid)
    t0 = time.monotonic()
    sent = 0
    try:
        for i in range(frames):
            c.send(bomb_frame(c, 1 + 2 * i))
            sent += 1
    except (BrokenPipeError, ConnectionResetError):
        pass
    code, closed, list_size = None, False, None
    try:
        for f, _ in c.frames(lambda f: False, limit=20):
            if isinstance(f, GoAwayFrame):
                code = f.error_code
            if isinstance(f, SettingsFrame) and "ACK" not in f.flags:
                list_size = f.settings.get(SettingsFrame.MAX_HEADER_LIST_SIZE)
        else:
            closed = True
    except (TimeoutError, socket.timeout):  # the server neither answers nor closes
        pass
    cpu = cpu_s(s.proc.pid) - cpu0
    print(f"\nHPACK bomb: {sent} frames of 16 KB sent, server CPU {cpu * 1000:.0f} ms "
          f"({cpu * 1000 / frames:.2f} ms per frame), wall {time.monotonic() - t0:.2f} s, "
          f"GOAWAY code {code}, SETTINGS_MAX_HEADER_LIST_SIZE {list_size}")
    c.close()
    assert list_size == 2 * 16384 + 1024  # advertised (RFC 9113 §6.5.2)
    assert code == ENHANCE_YOUR_CALM and closed
    assert cpu / frames < 0.005, f"{cpu * 1000 / frames:.1f} ms of CPU per bomb frame"
    assert s.proc.poll() is None


FOLDS = [  # RFC 9112 §5.2: obs-fold refused, whatever the first line holds
    b"POST /post HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\r\n chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    b"POST /post HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: \r\n chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    b"POST /post HTTP/1.1\r\nHost: x\r\nContent-Length:\r\n 5\r\n\r\nhello",
    b"GET /get HTTP/1.1\r\nHost: x\r\nX-A: b\r\n c\r\n\r\n",
    b"GET /get HTTP/1.1\r\nHost: x\r\nX-A:\r\n\tc\r\n\r\n",
    b"GET /get HTTP/1.1\r\nHost:\r\n x\r\n\r\n",
    b"GET /get HTTP/1.1\r\n X-A: c\r\nHost: x\r\n\r\n",
    b"GET /get HTTP/1.1\r\nHost: x\r\nX-A: \r\n \r\n\r\n",
]
OWS = [  # RFC 9110 §5.5: OWS is SP or HTAB, around these values too
    b"POST /post HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\t\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    b"POST /post HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\tchunked \t\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    b"POST /post HTTP/1.1\r\nHost: x\r\nContent-Length: 5\t\r\n\r\nhello",
    b"POST /post HTTP/1.1\r\nHost: x\r\nContent-Length:\t5 \t\r\n\r\nhello",
]


def status_of(port, req):
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(req)
        data = b""
        while b"\r\n" not in data:
            d = s.recv(4096)
            if not d:
                break
            data += d
        return int(data.split(b" ", 2)[1]), data


def test_obs_fold_refused_in_every_form_and_htab_ows_accepted(srv):
    got = [status_of(srv.port, r)[0] for r in FOLDS]
    print(f"\nobs-fold cases: {got}")
    assert got == [400] * len(FOLDS)
    answers = [status_of(srv.port, r) for r in OWS]
    print(f"OWS cases: {[a[0] for a in answers]}")
    for code, data in answers:
        assert code == 200 and b'"data": "hello"' in data


def serve_into_stalled_pipe(binary, *args):
    """`httpstatus serve --access-log clf | <a reader that never reads>`: the
    server's stdout is a pipe nobody drains (64 KB of lines fill it). Returns
    (process, port, read end kept open, stderr path)."""
    import re
    import subprocess
    import tempfile
    rfd, wfd = os.pipe()
    err = tempfile.NamedTemporaryFile(prefix="hs-stall-", suffix=".err", delete=False)
    proc = subprocess.Popen([binary, "serve", "--listen", "127.0.0.1:0", "--access-log", "clf",
                             *args], stdin=subprocess.DEVNULL, stdout=wfd, stderr=err)
    os.close(wfd)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", open(err.name).read())
        if m:
            return proc, int(m.group(1)), rfd, err.name
        time.sleep(0.02)
    proc.kill()
    raise AssertionError(open(err.name).read())


def keep_alive_load(port, n, results, timeout=2.0):
    """n requests on one keep-alive connection; counts answered and failed."""
    import http.client
    c = None
    for _ in range(n):
        try:
            if c is None:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
            c.request("GET", "/status/200")
            c.getresponse().read()
            results["ok"] += 1
        except OSError:
            results["failed"] += 1
            c = None
            if results["failed"] > 20:  # the server is stuck: no point going on
                return


def test_stalled_log_pipe_blocks_no_request_and_sigterm_drains_in_time():
    import signal
    import threading
    from conftest import BIN
    drain = 2.0
    proc, port, rfd, err = serve_into_stalled_pipe(BIN, "--workers", "2", "--drain-timeout",
                                                   f"{drain:g}s", "--log-buffer", "256k")
    try:
        results = {"ok": 0, "failed": 0}
        threads = [threading.Thread(target=keep_alive_load, args=(port, 1500, results))
                   for _ in range(4)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        load_s = time.monotonic() - t0
        probe = {"ok": 0, "failed": 0}
        for _ in range(20):  # a new client, new connections: answered at once
            import http.client
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                c.request("GET", "/status/204")
                c.getresponse().read()
                probe["ok"] += 1
                c.close()
            except OSError:
                probe["failed"] += 1
        t1 = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=drain + 8)
        except Exception:
            proc.kill()
            proc.wait()
        exit_s = time.monotonic() - t1
        log = open(err).read()
        print(f"\nstalled log pipe: load {results} in {load_s:.2f} s, probe {probe}, "
              f"SIGTERM → exit in {exit_s:.2f} s (drain timeout {drain} s)\n"
              + "\n".join(l for l in log.splitlines() if "access log" in l))
        assert results["failed"] == 0 and results["ok"] == 6000
        assert probe == {"ok": 20, "failed": 0}
        assert exit_s < drain + 1.0, f"SIGTERM took {exit_s:.2f} s"
        assert proc.returncode == 0
        assert "lines dropped" in log  # 6,000 lines do not fit 64 KB + 256 KB
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(rfd)


def test_log_write_errors_are_reported(make_server):
    s = make_server("--log-file", "/dev/full")
    import requests
    for _ in range(3):
        assert requests.get(s.url + "/status/200", timeout=5).status_code == 200
    deadline = time.monotonic() + 5
    while "write() to access log failed" not in s.stderr() and time.monotonic() < deadline:
        time.sleep(0.05)
    line = [l for l in s.stderr().splitlines() if "access log" in l]
    print(f"\n/dev/full: {line}")
    assert any("write() to access log failed: No space left on device" in l for l in line)


def h2load_counts(out):
    """h2load's "requests:" line as a dict (total, started, done, succeeded,
    failed, errored, timeout)."""
    import re
    m = re.search(r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, "
                  r"(\d+) failed, (\d+) errored, (\d+) timeout", out)
    assert m, out
    keys = ("total", "started", "done", "succeeded", "failed", "errored", "timeout")
    return dict(zip(keys, map(int, m.groups())))


def restart_under_h2load(procs, subreaper, tmp_path, seconds, drain):
    """h2load -D seconds -c 20 -m 10 over TLS, SIGUSR2 1.5 s in: returns
    (h2load's counts, seconds from the new process listening to the old one's
    exit, requests both processes answered, h2load's output). The new process
    is stopped before returning."""
    import re
    import signal
    import subprocess
    old = procs("--access-log", "off", "--tls-listen", "127.0.0.1:0", "--tls-dir", str(tmp_path),
                "--drain-timeout", f"{drain}s")
    tls_port = int(re.search(r"listening on https://127\.0\.0\.1:(\d+)", old.stderr()).group(1))
    load = subprocess.Popen(["h2load", "-D", str(seconds), "-c", "20", "-m", "10",
                             f"https://127.0.0.1:{tls_port}/status/200"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    time.sleep(1.5)
    assert load.poll() is None, "h2load ended before the restart"
    old.proc.send_signal(signal.SIGUSR2)
    ready = None
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and "is listening, draining" not in old.stderr():
        time.sleep(0.01)
    ready = time.monotonic()
    m = re.search(r"new process (\d+) is listening, draining", old.stderr())
    assert m, old.stderr()
    new_pid = int(m.group(1))
    subreaper.append(new_pid)
    assert old.proc.wait(timeout=drain + 15) == 0, old.stderr()
    exit_s = time.monotonic() - ready
    out, _ = load.communicate(timeout=seconds + 30)
    os.kill(new_pid, signal.SIGTERM)
    _, status = os.waitpid(new_pid, 0)
    subreaper.remove(new_pid)
    answered = sum(int(n) for n in re.findall(r"stopped after (\d+) requests", old.stderr()))
    assert old.stderr().count("stopped after") == 2, old.stderr()
    return h2load_counts(out), exit_s, answered, out


def test_sigusr2_under_h2load_over_tls_loses_no_request(procs, subreaper, tmp_path):
    # a restart (a new process already serves the same sockets) does not hurry
    # busy HTTP/2 connections: the old process serves them until 2 s before
    # its drain timeout, then GOAWAY in two steps (RFC 9113 §6.8); a client
    # whose work ends before that loses nothing. h2load never reconnects
    # after a GOAWAY and counts what it still wanted to send as failed: with
    # an immediate GOAWAY (nginx's reload), about c x m = 200 requests fail.
    # (h2load -D stops with c x m streams in flight: "started" is not "done")
    counts, exit_s, answered, _ = restart_under_h2load(procs, subreaper, tmp_path, seconds=4,
                                                       drain=10)
    print(f"\nSIGUSR2 during h2load -D 4 -c 20 -m 10 over TLS, drain 10 s: {counts}; "
          f"old process exited {exit_s:.2f} s after the new one listened")
    assert counts["failed"] == 0 and counts["errored"] == 0 and counts["timeout"] == 0, counts
    # the c x m streams h2load leaves in flight when its time is up may or
    # may not have been answered
    assert counts["succeeded"] == counts["done"] > 1000, counts
    assert counts["done"] <= answered <= counts["started"], (counts, answered)
    assert exit_s < 8, "the old process outlived its clients"


def test_sigusr2_under_h2load_longer_than_the_drain_ends_on_time(procs, subreaper, tmp_path):
    # the client outlasts the drain: it hears the GOAWAY 2 s before the drain
    # timeout, every stream it sent is answered, and the old process exits
    # within the drain timeout. h2load then cannot start the requests it had
    # queued (nghttp2 refuses new streams after a GOAWAY, "Process Request
    # Failure"): those it counts as errored, though they never left it.
    counts, exit_s, answered, out = restart_under_h2load(procs, subreaper, tmp_path, seconds=9,
                                                         drain=5)
    print(f"\nSIGUSR2 during h2load -D 9 -c 20 -m 10 over TLS, drain 5 s: {counts}; "
          f"answered {answered}; old process exited {exit_s:.2f} s after the new one listened")
    assert counts["succeeded"] == answered and answered > 1000, (counts, answered)
    assert counts["timeout"] == 0 and counts["done"] == counts["started"], counts
    assert counts["failed"] == counts["errored"] <= 20 * 10, counts
    assert counts["errored"] == 0 or "Process Request Failure" in out, out[-2000:]
    assert 2.5 < exit_s < 5 + 0.5, f"old process exited {exit_s:.2f} s after the new one listened"


def test_websocket_frame_head_over_the_limit_gets_1009_at_once(srv):
    # a frame head declaring 100 MiB, and no payload: 1009 before any byte of it
    import struct
    from wsraw import opened
    s, r, _ = opened(srv)
    s.settimeout(3)
    t0 = time.monotonic()
    s.sendall(bytes([0x82, 0x80 | 127]) + struct.pack(">Q", 100 << 20) + os.urandom(4))
    try:
        code, reason = r.close_frame()
    except (socket.timeout, TimeoutError):
        code, reason = None, "no Close within 3 s"
    print(f"\n100 MiB frame head: Close {code} ({reason}) after "
          f"{(time.monotonic() - t0) * 1000:.0f} ms")
    s.close()
    assert code == 1009


def test_websocket_fragmented_message_has_a_deadline(make_server):
    # one fragment per 300 ms, never the last: Close 1008 at --ws-message-timeout
    from wsraw import frame, opened
    s = make_server("--ws-message-timeout", "1s")
    c, r, _ = opened(s)
    c.settimeout(0.3)
    t0 = time.monotonic()
    c.sendall(frame(1, b"a", fin=False))
    code = None
    while time.monotonic() - t0 < 5 and code is None:
        try:
            code, reason = r.close_frame()
        except (socket.timeout, TimeoutError):
            c.sendall(frame(0, b"a", fin=False))
    print(f"\nfragmented message, one fragment per 300 ms: Close {code} after "
          f"{time.monotonic() - t0:.2f} s")
    c.close()
    assert code == 1008


def test_zero_window_streams_hold_bounded_memory(make_server):
    # 20 connections x 100 streams of /bytes/100000 with the client's window at
    # 0: without a cap every response waits whole in memory (200 MB); with
    # --max-output (256k) a connection stops dispatching at about 256 KB
    import hpack
    from hyperframe.frame import SettingsFrame
    s = make_server("--max-connections", "100")
    rss0 = rss_kib(s.proc.pid)
    socks = []
    for _ in range(20):
        c = socket.create_connection(("127.0.0.1", s.port), timeout=5)
        enc = hpack.Encoder()
        data = RawFrames.PREFACE + SettingsFrame(
            0, settings={SettingsFrame.INITIAL_WINDOW_SIZE: 0}).serialize()
        for i in range(100):
            h = HeadersFrame(1 + 2 * i)
            h.data = enc.encode([(":method", "GET"), (":path", "/bytes/100000"),
                                 (":scheme", "http"), (":authority", "t")])
            h.flags.add("END_HEADERS")
            h.flags.add("END_STREAM")
            data += h.serialize()
        c.sendall(data)
        socks.append(c)
    time.sleep(3)
    grown = rss_kib(s.proc.pid) - rss0
    print(f"\nzero window, 20 connections x 100 streams of /bytes/100000: RSS grew by "
          f"{grown / 1024:.1f} MiB")
    for c in socks:
        c.close()
    assert SANITIZED or grown < 48 * 1024, f"RSS grew by {grown} KiB"
    # the server still answers, and a client that reads gets every byte
    c = RawFrames("127.0.0.1", s.port)
    c.send(c.headers(1, "/bytes/100000"))
    got = 0
    from hyperframe.frame import DataFrame
    for f, _ in c.frames(lambda f: "END_STREAM" in f.flags and isinstance(f, DataFrame)):
        if isinstance(f, DataFrame):
            got += len(f.data)
            from hyperframe.frame import WindowUpdateFrame
            c.send(WindowUpdateFrame(0, window_increment=len(f.data)).serialize() +
                   WindowUpdateFrame(1, window_increment=len(f.data)).serialize())
    assert got == 100000
    c.close()


def test_tls_and_h2c_at_the_connection_limit_get_503(make_server, tmp_path):
    # --max-connections 1, taken by a keep-alive connection: over TLS the
    # handshake completes and the answer is 503 + Retry-After in the protocol
    # ALPN chose; a prior-knowledge HTTP/2 client on the cleartext port gets an
    # HTTP/2 503, not HTTP/1.1 text; every answer comes within seconds
    import re
    import subprocess
    from rawhttp import read_responses_from, request
    s = make_server("--max-connections", "1", "--retry-after", "7", "--tls-listen",
                    "127.0.0.1:0", "--tls-dir", str(tmp_path))
    tls_port = int(re.search(r"listening on https://127\.0\.0\.1:(\d+)", s.stderr()).group(1))
    held = s.connect()
    held.sendall(request("GET", "/status/200"))
    read_responses_from(held, 1)
    cases = {"TLS HTTP/1.1": ["--http1.1", "-k", f"https://127.0.0.1:{tls_port}/status/200"],
             "TLS h2": ["--http2", "-k", f"https://127.0.0.1:{tls_port}/status/200"],
             "h2c prior knowledge": ["--http2-prior-knowledge", f"{s.url}/status/200"]}
    got = {}
    for name, args in cases.items():
        t0 = time.monotonic()
        r = subprocess.run(["curl", "-sS", "-D", "-", "-o", "/dev/null", "-m", "10", "-w",
                            "%{http_version} %{http_code}", *args],
                           capture_output=True, text=True)
        took = time.monotonic() - t0
        retry = re.search(r"(?im)^retry-after: *(\d+)", r.stdout)
        got[name] = (r.stdout.strip().splitlines()[-1] if r.stdout.strip() else r.stderr.strip(),
                     retry.group(1) if retry else None, round(took, 2))
    print(f"\nat --max-connections: {got}")
    held.close()
    assert got["TLS HTTP/1.1"][:2] == ("1.1 503", "7"), got
    assert got["TLS h2"][:2] == ("2 503", "7"), got
    assert got["h2c prior knowledge"][:2] == ("2 503", "7"), got
    assert all(t < 5 for _, _, t in got.values()), got
