"""A raw FTP control connection for tests: send exact bytes, read replies
(RFC 959 §4.2 multi-line aware), open passive data connections by hand."""
import re
import socket
import ssl


class Ftp:
    def __init__(self, port, host="127.0.0.1", timeout=5.0):
        self.host = host
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.f = self.sock.makefile("rb")
        self.greeting = self.reply()

    def send(self, data):
        self.sock.sendall(data if isinstance(data, bytes) else data.encode())

    def reply(self):
        """(code, full text) of the next reply; (0, "") at EOF."""
        line = self.f.readline()
        if not line:
            return 0, ""
        text = line.decode("utf-8", "replace")
        if len(line) >= 4 and line[3:4] == b"-":
            code = line[:3]
            while True:
                more = self.f.readline()
                if not more:
                    break
                text += more.decode("utf-8", "replace")
                if more[:3] == code and more[3:4] == b" ":
                    break
        return int(text[:3]), text

    def cmd(self, line):
        self.send(line + "\r\n")
        return self.reply()

    def login(self, user="alice", password="secret"):
        assert self.cmd(f"USER {user}")[0] == 331
        code, text = self.cmd(f"PASS {password}")
        assert code == 230, text

    def pasv(self):
        """PASV; returns a connected data socket."""
        code, text = self.cmd("PASV")
        assert code == 227, text
        return socket.create_connection((self.host, self.pasv_port(text)), timeout=5)

    @staticmethod
    def pasv_port(text):
        nums = [int(x) for x in re.search(r"\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)", text).groups()]
        return nums[4] * 256 + nums[5]

    def starttls(self, cafile):
        code, text = self.cmd("AUTH TLS")
        assert code == 234, text
        ctx = ssl.create_default_context(cafile=cafile)
        self.sock = ctx.wrap_socket(self.sock, server_hostname="localhost")
        self.f = self.sock.makefile("rb")
        self.ctx = ctx

    def close(self):
        try:
            self.f.close()  # the file holds the socket open too
            self.sock.close()
        except OSError:
            pass


def read_all(sock):
    out = b""
    while True:
        b = sock.recv(65536)
        if not b:
            return out
        out += b
