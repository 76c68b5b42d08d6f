#!/usr/bin/env python3
"""Instruction-count guard: callgrind instructions per request, against baselines.

Each server case runs `httpstatus-serve --workers 1` twice under valgrind's
callgrind, loaded by a real client over ONE connection with fixed inputs: N1
requests in the first run, N2 in the second. (instructions(N2) -
instructions(N1)) / (N2 - N1) is the server's cost per request, with start-up,
TLS handshake, connection set-up and the first (warm-up) requests cancelled
out. The same difference is taken per function (callgrind_annotate of both
runs), so a regression comes with the functions that grew. The CLI case is the
whole `httpstatus 418` process (one run: it is deterministic).

Cases: h1 (HTTP/1.1 keep-alive), h1pipe (10 requests pipelined), h2c (prior
knowledge, one stream at a time), h2tls (HTTP/2 over TLS), https1 (HTTP/1.1
over TLS), ws (64-byte WebSocket echo), cli (a lookup).

  instructions.py --check tests/perf/baseline.txt    exit 1 when a case is
                                                      above its tolerance
  instructions.py --update tests/perf/baseline.txt   rewrite the baselines
                                                      (commit says why)
  instructions.py --spread 5 [--cases h1,ws]          per-case spread of K runs
  instructions.py --peer nginx --cases h1,h2c          ours against nginx 1.22
                                                      (one process, same bodies)
Environment: HTTPSTATUS_BIN (default build/httpstatus), HS_PERF_KEEP=DIR keeps
the callgrind files there.
"""
import argparse
import base64
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CASES = ["h1", "h1pipe", "h2c", "h2tls", "https1", "ws", "cli"]
# Requests in the short and in the long run of a server case.
N1, N2 = 100, 300
DEFAULT_TOLERANCE = 5.0
# Functions kept in the baseline file: those above this share of a request.
KEEP_SHARE = 0.005


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_port(port, proc, seconds=60):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited ({proc.returncode}) before listening on {port}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listening on port {port} after {seconds}s")


def start_listening(make_cmd, err_path, attempts=3):
    """Starts make_cmd(port, tls) on two ports free_port found, until it
    listens on both; returns (proc, port, tls). A port found free can be
    taken by another program before the server binds it: the server then
    exits at once, and the next attempt takes other ports."""
    for attempt in range(attempts):
        port, tls = free_port(), free_port()
        cmd = make_cmd(port, tls)
        with open(err_path, "w") as err:
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        try:
            wait_port(port, proc)
            wait_port(tls, proc)
            return proc, port, tls
        except RuntimeError:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
                raise
            if attempt == attempts - 1:
                raise


def h2load(url, count, *extra):
    """Runs h2load over one connection; fails unless all COUNT requests were answered."""
    cmd = ["h2load", "-c", "1", "-t", "1", "-n", str(count), *extra, url]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=300).stdout
    m = re.search(r"^requests: \d+ total, \d+ started, (\d+) done, \d+ succeeded, \d+ failed, (\d+) errored", out, re.M)
    if not m or int(m.group(1)) != count or int(m.group(2)) != 0:
        raise RuntimeError(f"{' '.join(cmd)}: not every request was answered:\n{out}")


def ws_echo(port, count):
    """COUNT 64-byte masked binary messages on one WebSocket, each waiting for its echo
    (RFC 6455 §5.2); the mask is fixed so every run sends the same bytes."""
    key = base64.b64encode(b"0123456789abcdef").decode()
    s = socket.create_connection(("127.0.0.1", port), timeout=60)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.sendall(
        (
            "GET /websocket/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = s.recv(4096)
        if not chunk:
            raise RuntimeError("WebSocket handshake: connection closed")
        head += chunk
    if not head.startswith(b"HTTP/1.1 101"):
        raise RuntimeError(f"WebSocket handshake refused: {head[:80]!r}")
    payload = bytes(range(64))
    mask = b"\x11\x22\x33\x44"
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    frame = b"\x82" + bytes([0x80 | 64]) + mask + masked
    rest = head.split(b"\r\n\r\n", 1)[1]
    for _ in range(count):
        s.sendall(frame)
        want = 2 + 64
        while len(rest) < want:
            chunk = s.recv(4096)
            if not chunk:
                raise RuntimeError("WebSocket echo: connection closed")
            rest += chunk
        if rest[2:want] != payload:
            raise RuntimeError("WebSocket echo: wrong bytes back")
        rest = rest[want:]
    s.sendall(b"\x88\x82" + mask + bytes(b ^ mask[i] for i, b in enumerate(b"\x03\xe8")))
    s.close()


def loads(port, tls):
    return {
        "h1": lambda n: h2load(f"http://127.0.0.1:{port}/status/418", n, "--h1"),
        "h1pipe": lambda n: h2load(f"http://127.0.0.1:{port}/status/418", n, "--h1", "-m", "10"),
        "h2c": lambda n: h2load(f"http://127.0.0.1:{port}/get", n, "-m", "1"),
        "h2tls": lambda n: h2load(f"https://127.0.0.1:{tls}/get", n, "-m", "1"),
        "https1": lambda n: h2load(f"https://127.0.0.1:{tls}/status/418", n, "--h1"),
        "ws": lambda n: ws_echo(port, n),
    }


def annotate(path):
    """{file:function: self instructions} and the program total of one callgrind file.
    Source paths are cut to their last component so that checkouts compare."""
    r = subprocess.run(
        ["callgrind_annotate", "--inclusive=no", "--auto=no", "--tree=none", "--threshold=100", path],
        capture_output=True,
        text=True,
    )
    if r.returncode != 0:
        raise RuntimeError(f"callgrind_annotate {path}: {r.stderr.strip()} (was the program killed?)")
    out = r.stdout
    total, funcs, table = None, {}, False
    for line in out.splitlines():
        if line.rstrip().endswith("file:function"):
            table = True
            continue
        if table and not line.strip() and funcs:
            break
        m = re.match(r"\s*([\d,]+)\s+(?:\([\d. %]+\)\s+)?(.*)$", line)
        if not m:
            continue
        ir = int(m.group(1).replace(",", ""))
        name = m.group(2).strip()
        if name == "PROGRAM TOTALS":
            total = ir
            continue
        if not table:
            continue
        name = re.sub(r"\s*\[.*\]$", "", name)
        file, _, fn = name.rpartition(":")
        key = f"{os.path.basename(file)}:{fn}" if file else fn
        funcs[key] = funcs.get(key, 0) + ir
    if total is None:
        raise RuntimeError(f"callgrind_annotate: no PROGRAM TOTALS in {path}")
    return total, funcs


class Runner:
    def __init__(self, binary, keep):
        self.binary = binary
        serve = os.path.join(os.path.dirname(binary), "httpstatus-serve")
        self.serve = serve if os.access(serve, os.X_OK) else binary
        self.tmp = tempfile.mkdtemp(prefix="hs-perf.")
        self.keep = keep
        self.seq = 0
        self.make_certificate()

    def make_certificate(self):
        """Starts the server once outside valgrind so that its local CA and
        certificate exist before anything is counted."""
        port, tls = free_port(), free_port()
        cmd = [self.serve] + (["serve"] if self.serve == self.binary else [])
        cmd += ["--listen", f"127.0.0.1:{port}", "--tls-listen", f"127.0.0.1:{tls}",
                "--tls-dir", os.path.join(self.tmp, "tls"), "--workers", "1", "--access-log", "off"]  # fmt: skip
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_port(tls, proc)
            wait_port(port, proc)
            self.bodies = {}
            for path in ("/status/418", "/get"):
                self.bodies[path] = subprocess.run(
                    ["curl", "-s", "-A", "h2load nghttp2/1.52.0", f"http://127.0.0.1:{port}{path}"],
                    capture_output=True, text=True, timeout=20,
                ).stdout  # fmt: skip
        finally:
            proc.terminate()
            proc.wait(timeout=30)

    def close(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def out_file(self, label):
        self.seq += 1
        d = self.keep or self.tmp
        os.makedirs(d, exist_ok=True)
        return os.path.join(d, f"callgrind.{label}.{self.seq}.out")

    def loaded(self, command, case, count, stop_within):
        """Starts command(port, tls) (start_listening), loads it with COUNT
        requests of CASE, then stops it with SIGTERM (killed after stop_within
        seconds); returns the ended process."""
        proc, port, tls = start_listening(command, os.path.join(self.tmp, "valgrind.err"))
        try:
            loads(port, tls)[case](count)
        finally:
            time.sleep(1)  # nginx under valgrind misses a SIGTERM sent amid TLS shutdowns
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=stop_within)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        return proc

    def server_run(self, case, count):
        """One server under callgrind loaded with COUNT requests of CASE; its callgrind file."""
        out = self.out_file(f"{case}.{count}")

        def command(port, tls):
            cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", self.serve]
            if self.serve == self.binary:
                cmd.append("serve")
            return cmd + [
                "--listen", f"127.0.0.1:{port}", "--tls-listen", f"127.0.0.1:{tls}",
                "--tls-dir", os.path.join(self.tmp, "tls"), "--workers", "1", "--access-log", "off",
            ]  # fmt: skip

        self.loaded(command, case, count, stop_within=120)
        return out

    def nginx_conf(self, d, case, port, tls):
        """nginx's configuration for CASE on these ports, in directory d."""
        q = lambda b: "'" + b.replace("\\", "\\\\").replace("'", "\\'") + "'"  # noqa: E731
        temp = "".join(f"  {k}_temp_path {d}/{k};\n" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        conf = f"""worker_processes 1; master_process off; daemon off;
pid {d}/nginx.pid; error_log {d}/logs/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off; keepalive_requests 10000000; keepalive_timeout 120s;
{temp}  ssl_protocols TLSv1.2 TLSv1.3;
  server {{
    listen 127.0.0.1:{port} {"http2" if case == "h2c" else ""};
    listen 127.0.0.1:{tls} ssl http2;
    ssl_certificate {self.tmp}/tls/localhost.pem; ssl_certificate_key {self.tmp}/tls/localhost-key.pem;
    default_type application/json;
    location = /status/418 {{ return 418 {q(self.bodies["/status/418"])}; }}
    location = /get {{ return 200 {q(self.bodies["/get"])}; }}
  }}
}}
"""
        return conf

    def nginx_run(self, case, count):
        """nginx (one process, no master) under callgrind with the bodies ours sends
        (as bench/bench_h2.sh does), loaded like server_run; its callgrind file."""
        d = os.path.join(self.tmp, f"nginx{self.seq}")
        os.makedirs(os.path.join(d, "logs"), exist_ok=True)
        out = self.out_file(f"nginx.{case}.{count}")

        def command(port, tls):
            with open(os.path.join(d, "nginx.conf"), "w") as f:
                f.write(self.nginx_conf(d, case, port, tls))
            return ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", "/usr/sbin/nginx",
                    "-p", d, "-c", os.path.join(d, "nginx.conf"), "-e", os.path.join(d, "logs", "error.log")]  # fmt: skip

        proc = self.loaded(command, case, count, stop_within=30)
        if proc.returncode != 0:
            with open(os.path.join(self.tmp, "valgrind.err")) as f:
                raise RuntimeError(f"nginx under valgrind exited {proc.returncode}: {f.read()[-2000:]}"
                                   + open(os.path.join(d, "logs", "error.log")).read()[-2000:])
        return out

    def measure(self, case, peer=None):
        """(instructions per request, {function: instructions per request}) of CASE
        (of nginx's when peer is "nginx")."""
        if case == "cli":
            out = self.out_file("cli")
            subprocess.run(
                ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", self.binary, "418"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=True,
                env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"},
            )
            total, funcs = annotate(out)
            return float(total), {k: float(v) for k, v in funcs.items()}
        run = self.nginx_run if peer else self.server_run
        t1, f1 = annotate(run(case, N1))
        t2, f2 = annotate(run(case, N2))
        d = N2 - N1
        funcs = {k: (f2.get(k, 0) - f1.get(k, 0)) / d for k in set(f1) | set(f2)}
        return (t2 - t1) / d, funcs


def read_baseline(path):
    """{case: (per request, tolerance %, {function: per request})} from PATH."""
    base, cur = {}, None
    with open(path) as f:
        for line in f:
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if line.startswith("case "):
                _, name, value, tol = line.split()
                cur = {}
                base[name] = (float(value), float(tol.removeprefix("tolerance=").rstrip("%")), cur)
            else:
                value, fn = line.split(None, 1)
                cur[fn.strip()] = float(value)
    return base


def write_baseline(path, results, old):
    with open(path, "w") as f:
        f.write(
            "# Server instructions per request (callgrind, tests/perf/instructions.py),\n"
            "# and the functions above 0.5% of a request. Moved only by a commit that\n"
            "# says why (instructions.py --update). tolerance= is the allowed growth.\n"
        )
        for case in CASES:
            if case not in results:
                if case in old:
                    results[case] = (old[case][0], old[case][2])
                else:
                    continue
            total, funcs = results[case]
            tol = old[case][1] if case in old else DEFAULT_TOLERANCE
            f.write(f"\ncase {case} {total:.0f} tolerance={tol:g}%\n")
            for fn, v in sorted(funcs.items(), key=lambda kv: -kv[1]):
                if v >= KEEP_SHARE * total:
                    f.write(f"  {v:.1f} {fn}\n")


def print_diff(case, base_funcs, funcs, total):
    """The functions whose instructions per request moved most, baseline against now."""
    rows = []
    for fn in set(base_funcs) | {k for k, v in funcs.items() if v >= KEEP_SHARE * total}:
        b = base_funcs.get(fn)
        n = funcs.get(fn, 0.0)
        rows.append((abs(n - (b or 0.0)), fn, b, n))
    rows.sort(reverse=True)
    print(f"  {case}: instructions per request by function (callgrind_annotate of both)")
    print(f"  {'baseline':>12} {'now':>12} {'change':>10}  function")
    for _, fn, b, n in rows[:25]:
        bs = f"{b:12.1f}" if b is not None else f"{'<0.5%':>12}"
        print(f"  {bs} {n:12.1f} {n - (b or 0.0):+10.1f}  {fn}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", metavar="BASELINE")
    ap.add_argument("--update", metavar="BASELINE")
    ap.add_argument("--spread", type=int, metavar="K", help="run each case K times, print min/median/max")
    ap.add_argument("--cases", default=",".join(CASES))
    ap.add_argument("--peer", choices=["nginx"], help="also count nginx (Debian, one process) per request")
    args = ap.parse_args()
    binary = os.environ.get("HTTPSTATUS_BIN", os.path.join(ROOT, "build", "httpstatus"))
    for tool in ("valgrind", "callgrind_annotate", "h2load"):
        if not shutil.which(tool):
            sys.exit(f"instructions.py: {tool} is missing (scripts/deps.sh installs it)")
    cases = [c for c in args.cases.split(",") if c]
    for c in cases:
        if c not in CASES:
            sys.exit(f"instructions.py: unknown case {c} (one of {', '.join(CASES)})")
    r = Runner(binary, os.environ.get("HS_PERF_KEEP"))
    try:
        if args.spread:
            for c in cases:
                vals = sorted(r.measure(c)[0] for _ in range(args.spread))
                med = vals[len(vals) // 2]
                print(
                    f"{c:8} min {vals[0]:10.0f} median {med:10.0f} max {vals[-1]:10.0f}"
                    f"  spread {100 * (vals[-1] - vals[0]) / med:5.2f}%"
                )
            return 0
        if args.peer:
            print(f"{'case':8} {'ours':>10} {'nginx':>10} {'ours/nginx':>10}")
            for c in cases:
                if c in ("ws", "cli"):
                    continue
                ours, theirs = r.measure(c)[0], r.measure(c, peer="nginx")[0]
                print(f"{c:8} {ours:10.0f} {theirs:10.0f} {ours / theirs:10.2f}")
            return 0
        results = {c: r.measure(c) for c in cases}
        if args.update:
            old = read_baseline(args.update) if os.path.exists(args.update) else {}
            write_baseline(args.update, results, old)
            for c in cases:
                print(f"{c:8} {results[c][0]:10.0f} instructions per request")
            return 0
        base = read_baseline(args.check) if args.check else {}
        failed = []
        print(f"{'case':8} {'baseline':>10} {'now':>10} {'change':>8} {'allowed':>8}")
        for c in cases:
            total, funcs = results[c]
            if c not in base:
                print(f"{c:8} {'-':>10} {total:10.0f}")
                if args.check:
                    failed.append(c)
                continue
            b, tol, _ = base[c]
            change = 100.0 * (total - b) / b
            bad = change > tol
            print(f"{c:8} {b:10.0f} {total:10.0f} {change:+7.2f}% {tol:7g}%" + ("  FAIL" if bad else ""))
            if bad:
                failed.append(c)
        for c in failed:
            if c in base:
                print_diff(c, base[c][2], results[c][1], results[c][0])
            else:
                print(f"  {c}: no baseline in {args.check}")
        if failed:
            print(f"instructions.py: {', '.join(failed)} above the baseline; if intended, "
                  f"run --update and say why in the commit")  # fmt: skip
            return 1
        return 0
    finally:
        r.close()


if __name__ == "__main__":
    sys.exit(main())
