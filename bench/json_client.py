"""Sends POST /post with one JSON document, a new connection per request
(gunicorn's sync worker closes each one), and reads each answer whole; prints the server CPU time per request (utime +
stime of the given pids from /proc, delta over the requests).
  json_client.py PORT DOC REQUESTS PID [PID...]"""
import os
import socket
import sys


def ticks(pids):
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total


def exchange(port, request):
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        return read_answer(sock, request)


def read_answer(sock, request):
    sock.sendall(request)
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            raise SystemExit("json_client: connection closed")
        buf += chunk
    head, body = buf.split(b"\r\n\r\n", 1)
    status = head.split(b" ", 2)[1]
    length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                  if line.lower().startswith(b"content-length:"))
    while len(body) < length:
        body += sock.recv(1 << 20)
    return status, length


def main():
    port, doc, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    pids = [int(p) for p in sys.argv[4:]]
    with open(doc, "rb") as f:
        body = f.read()
    request = (b"POST /post HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
               b"Content-Length: %d\r\n\r\n" % len(body)) + body
    status, _ = exchange(port, request)  # warm-up, not counted
    if status != b"200":
        raise SystemExit(f"json_client: status {status.decode()}")
    hz = os.sysconf("SC_CLK_TCK")
    t0 = ticks(pids)
    for _ in range(count):
        exchange(port, request)
    print("%.2f" % ((ticks(pids) - t0) * 1000.0 / hz / count))


main()
