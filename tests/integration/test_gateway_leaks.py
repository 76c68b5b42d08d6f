"""Gateway failures leave nothing behind (issue 19): 10,000 failures of each
/gateway/{kind}, then the server's open descriptors and resident memory are
compared with a measure taken after a warm-up round of the same kind (pools,
the loopback upstreams and allocator arenas are filled by then). h2load sends
the failures answered with a status; the kinds that cut the connection after
the head are driven by a small socket client (h2load stops a client whose
connection is cut).

    HTTPSTATUS_BIN=$PWD/build/httpstatus /usr/bin/python3 -m pytest -q \
        -p no:cacheprovider tests/integration/test_gateway_leaks.py
"""
import os
import re
import socket
import subprocess
import threading
import time

import pytest

from conftest import DEFAULT_ARGS

N = 10000
WARM = 1000
ANSWERED = ["refuse", "reset", "hang?timeout=0.001", "blackhole?timeout=0.001",
            "slow-headers?after=1&timeout=0.001", "garbage", "unresolvable", "loop",
            "bad-tls", "expired-cert", "wrong-host-cert"]
CUT = ["truncate", "slow-body?rate=10&idle=0.001"]
SANITIZED = os.environ.get("HS_SANITIZED") == "1"


def fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def rss_kib(pid):
    m = re.search(r"VmRSS:\s+(\d+) kB", open(f"/proc/{pid}/status").read())
    return int(m.group(1))


def h2load(url, n):
    r = subprocess.run(["h2load", "--h1", "-n", str(n), "-c", "16", url], capture_output=True,
                       text=True, timeout=300)
    m = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", r.stdout)
    assert m, r.stdout + r.stderr
    return int(m.group(4))


def cut_requests(port, path, n, threads=8):
    """n requests, each on its own connection, read until the server cuts it.
    Returns how many got a 200 head and fewer content bytes than announced."""
    done = [0]
    lock = threading.Lock()
    req = f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode()

    def run(count):
        cut = 0
        for _ in range(count):
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            s.sendall(req)
            data = b""
            while True:
                b = s.recv(65536)
                if not b:
                    break
                data += b
            s.close()
            head, _, body = data.partition(b"\r\n\r\n")
            m = re.search(rb"Content-Length: (\d+)", head)
            if head.startswith(b"HTTP/1.1 200") and m and len(body) < int(m.group(1)):
                cut += 1
        with lock:
            done[0] += cut

    ts = [threading.Thread(target=run, args=(n // threads,)) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return done[0]


@pytest.mark.parametrize("kind", ANSWERED + CUT)
def test_no_fd_or_memory_left_after_10000_failures(make_server, kind):
    n = N // 10 if SANITIZED else N
    s = make_server(*DEFAULT_ARGS, access_log="off")
    pid = s.proc.pid
    url = f"{s.url}/gateway/{kind}"

    def round_(count):
        if kind in ANSWERED:
            assert h2load(url, count) == count
        else:
            assert cut_requests(s.port, f"/gateway/{kind}", count) == count

    round_(WARM)
    fd0, rss0 = fds(pid), rss_kib(pid)
    round_(n)
    # connections the last failures closed may still be closing (a loopback
    # upstream reads the EOF an iteration later): give them a moment
    deadline = time.monotonic() + 3
    while fds(pid) > fd0 + 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    fd1, rss1 = fds(pid), rss_kib(pid)
    # descriptors: the same (idle pooled connections are bounded by the pool,
    # which the warm-up filled); memory: no growth with the count
    assert fd1 <= fd0 + 2, (fd0, fd1)
    if not SANITIZED:  # ASan's quarantine holds freed memory; LeakSanitizer checks at exit
        assert rss1 - rss0 < 4096, (rss0, rss1)
