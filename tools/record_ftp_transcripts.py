#!/usr/bin/env python3
"""Records a real FTP exchange for each reply code the responder gives
(docs/ftp.md) and writes them to data/transcripts/ftp.txt, from which the web
reference's FTP pages show them (src/ftp/transcripts.h). Starts
`httpstatus serve --ftp-listen` itself (several, for the codes that need
their own options), on 127.0.0.1 port 0.

    /usr/bin/python3 tools/record_ftp_transcripts.py BUILD/httpstatus [OUT]

"C:" lines are what the client sent, "S:" what the server answered, "D:"
what happened on the data connection. Exits 1 if a scenario does not end
with the code it records."""
import re
import signal
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


class Server:
    def __init__(self, binary, *args):
        self.tmp = tempfile.TemporaryDirectory(prefix="hs-rec-")
        self.err = open(Path(self.tmp.name) / "err", "w+")
        self.proc = subprocess.Popen(
            [binary, "serve", "--listen", "127.0.0.1:0", "--workers", "1", "--access-log", "off",
             "--tls-dir", self.tmp.name, "--ftp-listen", "127.0.0.1:0", *args],
            stderr=self.err, stdout=subprocess.DEVNULL)
        for _ in range(200):
            m = re.search(r"ftp://127\.0\.0\.1:(\d+)", Path(self.err.name).read_text())
            if m and "listening on http" in Path(self.err.name).read_text():
                self.port = int(m.group(1))
                break
            time.sleep(0.05)
        else:
            raise SystemExit("server did not start")
        self.ca = str(Path(self.tmp.name) / "ca.pem")

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=15)
        self.err.close()
        self.tmp.cleanup()


class Rec:
    """A control connection that writes down every line both ways."""

    def __init__(self, port):
        self.log = []
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.f = self.sock.makefile("rb")
        self.last = self.reply()

    def reply(self):
        line = self.f.readline().decode("utf-8", "replace")
        if not line:
            self.log.append("(the server closed the connection)")
            return 0
        self.log.append("S: " + line.rstrip("\r\n"))
        if line[3:4] == "-":
            while True:
                more = self.f.readline().decode("utf-8", "replace")
                self.log.append("S: " + more.rstrip("\r\n"))
                if not more or (more[:3] == line[:3] and more[3:4] == " "):
                    break
        self.last = int(line[:3])
        return self.last

    def cmd(self, line, shown=None):
        self.sock.sendall(line.encode("latin-1") + b"\r\n")
        self.log.append("C: " + (shown or line))
        return self.reply()

    def note(self, text):
        self.log.append("D: " + text)

    def login(self, user="alice", password="secret"):
        self.cmd(f"USER {user}")
        self.cmd(f"PASS {password}")

    def pasv(self, connect=True, rcvbuf=None):
        self.cmd("PASV")
        m = re.search(r"\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)", self.log[-1])
        port = int(m.group(5)) * 256 + int(m.group(6))
        self.data_port = port
        if not connect:
            return None
        d = socket.socket()
        if rcvbuf:
            d.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        d.connect(("127.0.0.1", port))
        self.note(f"(client connects to port {port})")
        self.d = d  # kept open while the session lasts
        time.sleep(0.1)
        return d

    def read_data(self, d):
        n = 0
        while True:
            b = d.recv(65536)
            if not b:
                break
            n += len(b)
        d.close()
        self.note(f"({n} bytes received, then the server closes the data connection)")

    def close(self):
        self.f.close()
        self.sock.close()


def scenarios(srv):
    """code → function(Rec) that produces it last."""
    def retr_ok(r, code):
        r.login()
        d = r.pasv()
        r.cmd("RETR /pub/hello.txt")
        r.read_data(d)
        r.reply()

    def s110(r):
        r.login()
        d = r.pasv()
        r.cmd("REST 65000")
        r.cmd("RETR /marker.txt")
        r.reply()
        r.read_data(d)
        r.reply()

    def s150(r):
        r.login()
        r.pasv(connect=False)
        r.cmd("RETR /pub/hello.txt")
        d = socket.create_connection(("127.0.0.1", r.data_port))
        r.note(f"(client connects to port {r.data_port} after the 150)")
        r.read_data(d)
        r.reply()

    def s225(r):
        r.login()
        r.pasv()
        r.cmd("ABOR")

    def s425(r):
        r.login()
        r.pasv(connect=False)
        r.cmd("RETR /pub/hello.txt")
        r.note("(the client never connects to the passive port; --ftp-data-timeout 1s)")
        r.reply()

    def s426(r):
        r.login()
        d = r.pasv(rcvbuf=4096)
        r.cmd("RETR /pub/4m.bin")
        d.recv(1000)
        d.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        d.close()
        r.note("(the client reads 1000 bytes, then resets the data connection)")
        r.reply()

    def s234(r):
        r.cmd("AUTH TLS")

    def tls_then(r, *cmds):
        r.cmd("AUTH TLS")
        ctx = ssl.create_default_context(cafile=srv.ca)
        r.sock = ctx.wrap_socket(r.sock, server_hostname="localhost")
        r.f = r.sock.makefile("rb")
        r.note("(TLS handshake on the control connection)")
        for c in cmds:
            r.cmd(c)

    def s452(r):
        r.login()
        for i, size in ((1, 90 * 1024), (2, 90 * 1024)):
            d = r.pasv()
            r.cmd(f"STOR /upload/f{i}")
            try:
                d.sendall(b"y" * size)
                d.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            r.note(f"(the client sends {size} bytes and closes)")
            r.reply()
            d.close()

    def s552(r):
        r.login()
        d = r.pasv()
        r.cmd("STOR /upload/big")
        try:
            d.sendall(b"x" * 200 * 1024)
        except OSError:
            pass
        r.note("(the client sends 200 KiB; --ftp-max-file 100k)")
        r.reply()
        d.close()

    def s451(r):
        r.login()
        d = r.pasv()
        r.cmd("RETR /error.txt")
        r.read_data(d)
        r.reply()

    L = lambda *cmds: (lambda r: (r.login(), [r.cmd(c) for c in cmds]))
    return {
        110: s110, 125: lambda r: retr_ok(r, 125), 150: s150,
        200: L("TYPE I"), 202: L("ALLO 1000"), 211: L("FEAT"), 212: L("STAT /pub"),
        213: L("SIZE /pub/1k.bin"), 214: L("HELP"), 215: L("SYST"),
        220: lambda r: None, 221: lambda r: r.cmd("QUIT"), 225: s225,
        226: lambda r: retr_ok(r, 226), 227: L("PASV"), 228: L("LPSV"), 229: L("EPSV"),
        230: lambda r: r.login(), 234: s234, 250: L("CWD /pub"), 257: L("PWD"),
        331: lambda r: r.cmd("USER alice"),
        332: lambda r: (r.cmd("USER acct"), r.cmd("PASS secret")),
        350: L("RNFR /upload"), 425: s425, 426: s426, 450: L("RETR /busy.txt"),
        451: s451, 452: s452, 500: lambda r: r.cmd("FOOBAR"),
        501: L("TYPE X"), 502: L("SITE CHMOD 644 x"),
        503: lambda r: r.cmd("PASS secret"), 504: L("MODE B"),
        521: L("LPRT 5,4,127,0,0,1,2,195,80"), 522: L("EPRT |3|x|5000|"),
        530: lambda r: (r.cmd("USER alice"), r.cmd("PASS wrong")),
        532: lambda r: (r.login("store"), r.pasv(), r.cmd("STOR /upload/a.txt")),
        533: lambda r: tls_then(r, "CCC"),
        534: lambda r: r.cmd("USER secure"),
        536: lambda r: tls_then(r, "PBSZ 0", "PROT S"),
        550: L("RETR /nope.txt"), 551: L("RETR /page.txt"), 552: s552,
        553: L("MKD /upload/a*b"), 554: L("REST 99999", "RETR /pub/1k.bin"),
    }


def special(binary):
    """Codes that need a server of their own: code → (options, function)."""
    def idle(r):
        r.note("(the client sends nothing for --ftp-idle-timeout 1s)")
        r.reply()

    def busy(r):
        r.cmd("NOOP")
        r.reply()

    return {
        120: (["--ftp-busy", "2s"], busy),
        421: (["--ftp-idle-timeout", "1s"], idle),
    }


def main():
    binary = sys.argv[1]
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "data" / "transcripts" / "ftp.txt"
    results = {}
    srv = Server(binary, "--ftp-data-timeout", "1s", "--ftp-max-file", "100k",
                 "--ftp-quota", "150k", "--ftp-max-per-ip", "0")
    try:
        for code, fn in scenarios(srv).items():
            r = Rec(srv.port)
            fn(r)
            seen = {int(l[3:6]) for l in r.log if l.startswith("S: ") and l[3:6].isdigit()}
            if code not in seen:
                raise SystemExit(f"scenario for {code} did not produce it:\n" + "\n".join(r.log))
            results[code] = r.log
            r.close()
    finally:
        srv.stop()
    for code, (opts, fn) in special(binary).items():
        s = Server(binary, *opts)
        try:
            r = Rec(s.port)
            fn(r)
            results[code] = r.log
            r.close()
        finally:
            s.stop()
    with open(out, "w", encoding="utf-8") as f:
        f.write("# FTP exchanges recorded from `httpstatus serve --ftp-listen` by\n"
                "# tools/record_ftp_transcripts.py (rerun it; do not edit by hand).\n"
                "# C: client, S: server, D: what happened on the connections.\n")
        for code in sorted(results):
            f.write(f"\n[ftp {code}]\n")
            for line in results[code]:
                f.write(line + "\n")
    print(f"{len(results)} transcripts written to {out}")


if __name__ == "__main__":
    main()
