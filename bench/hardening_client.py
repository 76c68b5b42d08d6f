"""Clients for bench/bench_hardening.sh (stdlib only, 127.0.0.1 only, bounded
in time):

  probe PORT SECONDS          one new connection per request, 4 threads, each
                              request answered within 5 s or failed; prints
                              "ok total p99_ms"
  idle PORT COUNT SECONDS     opens COUNT connections that send nothing, holds
                              them SECONDS while probing; prints
                              "opened still_open probe_ok probe_total p99_ms"
  load PORT SECONDS [PATHS]   8 threads, half keep-alive and half one
                              connection per request; prints "ok failed
                              refused": failed = a request sent on an open
                              connection that got no complete answer (or a
                              5xx), refused = a connection that could not be
                              opened (after a shutdown: nothing listens)
  hpack PORT FRAMES           HTTP/2 (prior knowledge) HPACK bomb: one 4 KB
                              value in the dynamic table, then FRAMES HEADERS
                              frames of 16 KB of 1-byte references to it (64 MB
                              decoded each), on one connection; prints
                              "frames_sent goaway_code(-1: none) closed(0/1)"
  zerowin PORT CONNS STREAMS PATH SECONDS
                              CONNS HTTP/2 connections, each with
                              SETTINGS_INITIAL_WINDOW_SIZE 0 and STREAMS GET
                              PATH requests, held SECONDS without reading;
                              prints "connections_opened"
"""
import resource
import socket
import sys
import threading
import time


def read_response(s):
    """Reads one HTTP/1.1 response (Content-Length or close-delimited; chunked
    read to its last chunk). Returns (status, close) or raises."""
    buf = b""
    while b"\r\n\r\n" not in buf:
        d = s.recv(65536)
        if not d:
            raise ConnectionError("closed before the head")
        buf += d
    head, rest = buf.split(b"\r\n\r\n", 1)
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    fields = {}
    for ln in lines[1:]:
        k, _, v = ln.partition(b":")
        fields[k.strip().lower()] = v.strip().lower()
    close = fields.get(b"connection") == b"close"
    if b"content-length" in fields:
        n = int(fields[b"content-length"])
        while len(rest) < n:
            d = s.recv(65536)
            if not d:
                raise ConnectionError("closed in the body")
            rest += d
    elif fields.get(b"transfer-encoding") == b"chunked":
        while not rest.endswith(b"0\r\n\r\n"):
            d = s.recv(65536)
            if not d:
                raise ConnectionError("closed in the body")
            rest += d
    elif status not in (204, 304) and not (100 <= status < 200):
        while s.recv(65536):
            pass
        close = True
    return status, close


def probe(port, seconds, out):
    """Probe threads: a fresh connection per request, every 20 ms per thread."""
    lat, fails = [], [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def run():
        while time.monotonic() < stop_at:
            t0 = time.monotonic()
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
                    s.settimeout(5)
                    s.sendall(b"GET /status/200 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    status, _ = read_response(s)
                ok = status == 200
            except OSError:
                ok = False
            with lock:
                if ok:
                    lat.append(time.monotonic() - t0)
                else:
                    fails[0] += 1
            time.sleep(0.02)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lat.sort()
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000 if lat else float("nan")
    out["probe"] = (len(lat), len(lat) + fails[0], p99)


def cmd_probe(port, seconds):
    out = {}
    probe(port, seconds, out)
    ok, total, p99 = out["probe"]
    print(ok, total, f"{p99:.1f}")


def cmd_idle(port, count, seconds):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, count + 1000), hard))
    socks = []
    for _ in range(count):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.setblocking(False)
            socks.append(s)
        except OSError:
            break
    out = {}
    probe(port, seconds, out)
    still = 0
    for s in socks:
        try:
            d = s.recv(1)
            if d:
                still += 1  # the server answered something (e.g. 503): not idle
        except BlockingIOError:
            still += 1  # nothing to read, not closed: still open
        except OSError:
            pass
        s.close()
    ok, total, p99 = out["probe"]
    print(len(socks), still, ok, total, f"{p99:.1f}")


def cmd_load(port, seconds, paths):
    counts = {"ok": 0, "failed": 0, "refused": 0}
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def run(i, keep_alive):
        sock = None
        n = i
        while time.monotonic() < stop_at:
            path = paths[n % len(paths)]
            n += 1
            if sock is None:
                try:
                    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
                    sock.settimeout(10)
                except OSError:
                    with lock:
                        counts["refused"] += 1
                    time.sleep(0.01)
                    continue
            try:
                conn = b"" if keep_alive else b"Connection: close\r\n"
                sock.sendall(b"GET " + path.encode() + b" HTTP/1.1\r\nHost: x\r\n" + conn + b"\r\n")
                status, close = read_response(sock)
                good = status < 500
                with lock:
                    counts["ok" if good else "failed"] += 1
                if close or not keep_alive:
                    sock.close()
                    sock = None
            except OSError:
                with lock:
                    counts["failed"] += 1
                if sock:
                    sock.close()
                sock = None
                time.sleep(0.01)
        if sock:
            sock.close()

    threads = [threading.Thread(target=run, args=(i, i % 2 == 0)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(counts["ok"], counts["failed"], counts["refused"])


# ---- HTTP/2 by hand (stdlib only): frames and the few HPACK forms used ----
PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"


def h2_frame(ftype, flags, sid, payload):
    return len(payload).to_bytes(3, "big") + bytes([ftype, flags]) + sid.to_bytes(4, "big") + \
        payload


def hpack_int(n, prefix_bits, first):
    """RFC 7541 §5.1 integer with the given prefix and first-byte flag bits."""
    top = (1 << prefix_bits) - 1
    if n < top:
        return bytes([first | n])
    out, n = [first | top], n - top
    while n >= 128:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    return bytes(out + [n])


def hpack_str(b):
    return hpack_int(len(b), 7, 0) + b


def request_block(path):
    """GET path: static :method GET, :scheme http; :path and :authority as
    literals without indexing (RFC 7541 §6.2.2) on static names."""
    return (b"\x82\x86" + hpack_int(4, 4, 0) + hpack_str(path.encode()) +
            hpack_int(1, 4, 0) + hpack_str(b"t"))


def cmd_hpack(port, frames):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(PREFACE + h2_frame(4, 0, 0, b"") + h2_frame(4, 1, 0, b""))  # and ACK theirs
    big = b"\x40" + hpack_str(b"x-bomb") + hpack_str(b"b" * 4000)  # into the table: index 62
    sent, code, closed = 0, -1, 0
    try:
        for i in range(frames):
            block = request_block("/get") + (big if i == 0 else b"")
            block += b"\xbe" * (16000 - len(block))
            s.sendall(h2_frame(1, 0x5, 1 + 2 * i, block))  # END_STREAM | END_HEADERS
            sent += 1
    except OSError:
        pass
    buf = b""
    s.settimeout(5)
    try:
        while True:
            d = s.recv(65536)
            if not d:
                closed = 1
                break
            buf += d
    except socket.timeout:
        pass
    except OSError:
        closed = 1
    i = 0
    while i + 9 <= len(buf):
        n = int.from_bytes(buf[i:i + 3], "big")
        if buf[i + 3] == 7 and i + 17 <= len(buf):
            code = int.from_bytes(buf[i + 13:i + 17], "big")
        i += 9 + n
    s.close()
    print(sent, code, closed)


def cmd_zerowin(port, conns, streams, path, seconds):
    socks = []
    for _ in range(conns):
        try:
            c = socket.socket()
            c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            c.connect(("127.0.0.1", port))
            data = PREFACE + h2_frame(4, 0, 0, (4).to_bytes(2, "big") + (0).to_bytes(4, "big"))
            data += h2_frame(4, 1, 0, b"")  # ACK for the server's SETTINGS, ahead
            block = request_block(path)
            for i in range(streams):
                data += h2_frame(1, 0x5, 1 + 2 * i, block)
            c.sendall(data)
            socks.append(c)
        except OSError:
            break
    print(len(socks), flush=True)
    time.sleep(seconds)
    for c in socks:
        c.close()


def main():
    mode, port = sys.argv[1], int(sys.argv[2])
    if mode == "probe":
        cmd_probe(port, float(sys.argv[3]))
    elif mode == "idle":
        cmd_idle(port, int(sys.argv[3]), float(sys.argv[4]))
    elif mode == "hpack":
        cmd_hpack(port, int(sys.argv[3]))
    elif mode == "zerowin":
        cmd_zerowin(port, int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], float(sys.argv[6]))
    elif mode == "load":
        paths = sys.argv[4].split(",") if len(sys.argv) > 4 else ["/status/200"]
        cmd_load(port, float(sys.argv[3]), paths)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
