"""Every FTP reply code the responder gives, each for its real reason, over a
raw control connection; bad input; limits, timeouts and the drain (issue 23,
docs/ftp.md).

Run alone: HTTPSTATUS_BIN=build/httpstatus /usr/bin/python3 -m pytest -q \
    tests/integration/test_ftp_codes.py
"""
import os
import re
import shutil
import signal
import socket
import struct
import tempfile
import time
from pathlib import Path

import pytest

from conftest import Server
from ftpraw import Ftp, read_all


@pytest.fixture(scope="module")
def ftp():
    tls_dir = tempfile.mkdtemp(prefix="hs-ftp-tls-")
    s = Server("--ftp-listen", "127.0.0.1:0", "--tls-dir", tls_dir, "--ftp-data-timeout", "1s",
               "--ftp-max-file", "100k", "--ftp-quota", "150k", "--ftp-max-per-ip", "0")
    s.ftp_port = s.port_of("ftp")
    s.ca = str(Path(tls_dir) / "ca.pem")
    yield s
    s.close()
    shutil.rmtree(tls_dir, ignore_errors=True)


@pytest.fixture
def c(ftp):
    f = Ftp(ftp.ftp_port)
    yield f
    f.close()


def test_220_greeting_text_from_registry(c):
    assert c.greeting[0] == 220
    assert c.greeting[1].startswith("220 Service ready for new user")


def test_anonymous_331_230_and_read_only_550(c):
    code, text = c.cmd("USER anonymous")
    assert code == 331 and "e-mail" in text
    assert c.cmd("PASS me@example.com")[0] == 230
    d = c.pasv()
    assert c.cmd("STOR /upload/x")[0] == 550
    d.close()
    assert c.cmd("MKD /upload/d")[0] == 550
    assert c.cmd("CWD /private")[0] == 550


def test_530_wrong_password_and_before_login(c):
    assert c.cmd("PWD")[0] == 530
    assert c.cmd("PASV")[0] == 530
    assert c.cmd("USER alice")[0] == 331
    assert c.cmd("PASS wrong")[0] == 530
    assert c.cmd("USER nobody")[0] == 331
    assert c.cmd("PASS secret")[0] == 530
    c.login()


def test_332_acct_then_230(c):
    assert c.cmd("USER acct")[0] == 331
    assert c.cmd("PASS secret")[0] == 332
    assert c.cmd("PWD")[0] == 530
    assert c.cmd("ACCT dept42")[0] == 230
    assert c.cmd("PWD")[0] == 257


def test_532_store_needs_acct_and_202_superfluous(c):
    c.login("store")
    d = c.pasv()
    assert c.cmd("STOR /upload/a")[0] == 532
    d.close()
    assert c.cmd("ACCT dept42")[0] == 230
    assert c.cmd("ACCT again")[0] == 202
    assert c.cmd("ALLO 1000")[0] == 202


def test_534_530_tls_only_user(c):
    assert c.cmd("USER secure")[0] == 534
    assert c.cmd("PASS secret")[0] == 530


def test_234_tls_user_then_533_536_and_200(ftp, c):
    assert c.cmd("PBSZ 0")[0] == 503  # before AUTH TLS
    c.starttls(ftp.ca)
    c.login("secure")
    assert c.cmd("AUTH TLS")[0] == 503
    assert c.cmd("PROT P")[0] == 503  # before PBSZ
    assert c.cmd("PBSZ 0")[0] == 200
    assert c.cmd("PROT S")[0] == 536
    assert c.cmd("PROT X")[0] == 504
    assert c.cmd("PROT P")[0] == 200
    assert c.cmd("CCC")[0] == 533
    code, text = c.cmd("PASV")
    d = socket.create_connection(("127.0.0.1", Ftp.pasv_port(text)))
    assert c.cmd("RETR /pub/hello.txt")[0] == 150
    d = c.ctx.wrap_socket(d, server_hostname="localhost")
    assert read_all(d) == b"Hello, FTP!\r\n"
    assert c.reply()[0] == 226


def test_504_auth_mechanism(c):
    assert c.cmd("AUTH GSSAPI")[0] == 504


def test_status_and_help_codes(c):
    c.login()
    code, text = c.cmd("FEAT")
    assert code == 211 and " MLST " in text and " EPSV" in text and " AUTH TLS" in text
    assert c.cmd("STAT")[0] == 211
    code, text = c.cmd("STAT /pub")
    assert code == 212 and "1k.bin" in text
    assert c.cmd("STAT /pub/1k.bin")[0] == 213
    assert c.cmd("SIZE /pub/1k.bin") == (213, "213 1024\r\n")
    assert c.cmd("MDTM /pub/1k.bin") == (213, "213 20240101000000\r\n")
    assert c.cmd("HELP")[0] == 214
    assert c.cmd("HELP RETR")[0] == 214
    assert c.cmd("SYST") == (215, "215 UNIX Type: L8\r\n")
    assert c.cmd("NOOP")[0] == 200
    code, text = c.cmd("MLST /pub/1k.bin")
    assert code == 250 and "size=1024;" in text


def test_directory_codes_250_257_350_553(c):
    c.login()
    assert c.cmd("PWD") == (257, '257 "/" is the current directory\r\n')
    assert c.cmd("CWD /pub")[0] == 250
    assert c.cmd("CDUP")[0] == 250
    assert c.cmd("CWD /nope")[0] == 550
    assert c.cmd("MKD /upload/new")[0] == 257
    assert c.cmd("MKD /upload/new")[0] == 550
    assert c.cmd("MKD /upload/a*b")[0] == 553
    # a control byte (a bare CR, found by fuzz_ftp) in a name would reach reply lines
    assert c.cmd("MKD /upload/a\rb")[0] == 553
    assert c.cmd("MKD /upload/a\x01b")[0] == 553
    assert c.cmd("RNFR /upload/new")[0] == 350
    assert c.cmd("RNTO /upload/old")[0] == 250
    assert c.cmd("RNTO /upload/x")[0] == 503
    assert c.cmd("RMD /upload/old")[0] == 250
    assert c.cmd("DELE /busy.txt")[0] == 450
    assert c.cmd("DELE /nope")[0] == 550


def test_passive_modes_227_228_229(c):
    c.login()
    assert c.cmd("PASV")[0] == 227
    code, text = c.cmd("LPSV")
    assert code == 228 and "(4,4,127,0,0,1,2," in text
    code, text = c.cmd("EPSV")
    assert code == 229 and "(|||" in text
    assert c.cmd("EPSV 2")[0] == 522
    assert c.cmd("EPRT |3|x|5000|")[0] == 522
    assert c.cmd("EPRT |2|::1|5000|")[0] == 522
    assert c.cmd("LPRT 5,4,127,0,0,1,2,19,136")[0] == 521
    assert c.cmd("PORT 1,2,3")[0] == 501
    assert c.cmd("PORT 127,0,0,1,0,21")[0] == 504
    assert c.cmd("EPSV ALL")[0] == 200
    assert c.cmd("PASV")[0] == 503


def test_transfer_codes_125_150_226_225(c):
    c.login()
    code, text = c.cmd("PASV")
    assert c.cmd("ABOR")[0] == 226  # nothing connected: nothing to abort
    d = socket.create_connection(("127.0.0.1", Ftp.pasv_port(text)))
    time.sleep(0.2)
    assert c.cmd("ABOR")[0] == 225  # connected, no transfer: it stays open
    assert c.cmd("NOOP")[0] == 200
    code, text = c.cmd("RETR /pub/1k.bin")
    assert code == 125, text  # the data connection was open before the RETR
    assert len(read_all(d)) == 1024
    assert c.reply()[0] == 226
    code, text = c.cmd("PASV")
    assert c.cmd("RETR /pub/1k.bin")[0] == 150
    d = socket.create_connection(("127.0.0.1", Ftp.pasv_port(text)))
    assert len(read_all(d)) == 1024
    assert c.reply()[0] == 226


def test_110_restart_marker_and_350_554(c):
    c.login()
    assert c.cmd("REST 65536")[0] == 350
    d = c.pasv()
    assert c.cmd("RETR /pub/1k.bin")[0] == 554
    assert c.cmd("REST 10")[0] == 350
    assert c.cmd("STOR /upload/new.txt")[0] == 554  # a new file is empty (found by fuzz_ftp)
    assert c.cmd("REST abc")[0] == 501
    assert c.cmd("REST 1000")[0] == 350
    assert c.cmd("RETR /marker.txt") == (110, "110 MARK 1000 = 1000\r\n")
    assert c.reply()[0] in (125, 150)
    assert len(read_all(d)) == 65536 - 1000
    assert c.reply()[0] == 226


def test_425_no_data_connection(c):
    c.login()
    assert c.cmd("RETR /pub/1k.bin")[0] == 425  # no PASV/PORT
    assert c.cmd("PASV")[0] == 227
    assert c.cmd("RETR /pub/1k.bin")[0] == 150
    t = time.monotonic()
    assert c.reply()[0] == 425  # the passive port was never connected (--ftp-data-timeout 1s)
    assert time.monotonic() - t < 5
    assert c.cmd("PORT 127,0,0,1,0,1")[0] == 504
    s = socket.socket()  # a port nobody listens on: refused
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    assert c.cmd(f"PORT 127,0,0,1,{port >> 8},{port & 255}")[0] == 200
    assert c.cmd("RETR /pub/1k.bin")[0] == 150
    assert c.reply()[0] == 425


def test_426_data_reset_mid_transfer(c):
    c.login()
    code, text = c.cmd("PASV")
    d = socket.socket()
    d.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    d.connect(("127.0.0.1", Ftp.pasv_port(text)))
    assert c.cmd("RETR /pub/4m.bin")[0] in (125, 150)
    d.recv(1000)
    d.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    d.close()  # RST
    assert c.reply()[0] == 426
    assert c.cmd("NOOP")[0] == 200


def test_426_stalled_data_connection(c):
    c.login()
    code, text = c.cmd("PASV")
    d = socket.socket()
    d.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    d.connect(("127.0.0.1", Ftp.pasv_port(text)))
    assert c.cmd("RETR /pub/4m.bin")[0] in (125, 150)
    assert c.reply()[0] == 426  # nothing read for --ftp-data-timeout
    d.close()


def test_426_then_226_on_abor_mid_transfer(c):
    c.login()
    code, text = c.cmd("PASV")
    d = socket.socket()
    d.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    d.connect(("127.0.0.1", Ftp.pasv_port(text)))
    assert c.cmd("RETR /pub/4m.bin")[0] in (125, 150)
    c.send("PWD\r\n")  # waits: answered after the transfer
    c.send(b"\xff\xf4\xff\xf2ABOR\r\n")  # Telnet IP + Synch, as ftplib sends
    assert c.reply()[0] == 426
    assert c.reply()[0] == 226
    assert c.reply()[0] == 257  # the PWD that waited
    d.close()


def test_450_451_551_magic_files(c):
    c.login()
    d = c.pasv()
    assert c.cmd("RETR /busy.txt")[0] == 450
    assert c.cmd("RETR /page.txt")[0] == 551
    assert c.cmd("RETR /nope.txt")[0] == 550
    assert c.cmd("RETR /error.txt")[0] in (125, 150)
    assert read_all(d) == b""
    assert c.reply()[0] == 451


def test_552_file_too_large_and_452_quota(c):
    c.login()
    d = c.pasv()
    assert c.cmd("STOR /upload/big")[0] in (125, 150)
    try:
        d.sendall(b"x" * 200 * 1024)
    except OSError:
        pass
    assert c.reply()[0] == 552
    d.close()
    assert c.cmd("DELE /upload/big")[0] == 250  # what arrived before the 552 was kept
    for i, expect in ((1, 226), (2, 452)):  # 90k + 90k > --ftp-quota 150k
        d = c.pasv()
        assert c.cmd(f"STOR /upload/f{i}")[0] in (125, 150)
        try:
            d.sendall(b"y" * 90 * 1024)
            d.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        assert c.reply()[0] == expect
        d.close()


def test_500_501_502_503_504(c):
    assert c.cmd("FOOBAR")[0] == 500
    assert c.cmd("XYZZ")[0] == 500
    assert c.cmd("PASS x")[0] == 503
    c.login()
    assert c.cmd("TYPE X")[0] == 501
    assert c.cmd("TYPE E")[0] == 504
    assert c.cmd("MODE B")[0] == 504
    assert c.cmd("STRU R")[0] == 504
    assert c.cmd("MODE Q")[0] == 501
    assert c.cmd("SITE CHMOD 777 x")[0] == 502
    assert c.cmd("SMNT /")[0] == 502
    assert c.cmd("CWD")[0] == 501
    assert c.cmd("TYPE I")[0] == 200


def test_221_quit_and_220_rein(c):
    c.login()
    assert c.cmd("REIN")[0] == 220
    assert c.cmd("PWD")[0] == 530
    assert c.cmd("QUIT")[0] == 221
    assert c.sock.recv(10) == b""


def test_bad_input_long_line_nul_and_telnet(c):
    assert c.cmd("NOOP " + "a" * 5000)[0] == 500
    assert c.cmd("NOOP")[0] == 200  # still in step after the long line
    c.send(b"NO\x00OP\r\n")
    assert c.reply()[0] == 500
    c.send(b"\xff\xfb\x01NOOP\r\n")  # Telnet WILL ECHO, dropped
    assert c.reply()[0] == 200
    c.send(b"\r\n\r\n")  # empty lines: no answer
    c.send(b"\xff" * 3000 + b"\n")  # IAC IAC: 1500 bytes 0xff, not a command
    assert c.reply()[0] == 500
    c.send(b"NOOP\n")  # bare LF accepted
    assert c.reply()[0] == 200
    c.send(bytes(b for b in range(1, 256) if b not in (10, 13)) + b"\r\n")
    assert c.reply()[0] == 500
    assert c.cmd("NOOP")[0] == 200


def fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def test_10000_pasv_leave_no_descriptor(make_server):
    s = make_server("--ftp-listen", "127.0.0.1:0", "--ftp-max-data", "20000")
    c = Ftp(s.port_of("ftp"))
    c.login()
    c.cmd("NOOP")
    before = fds(s.proc.pid)
    batch = 500
    for _ in range(10000 // batch):
        c.send("PASV\r\n" * batch)
        for _ in range(batch):
            assert c.reply()[0] == 227
    assert c.cmd("NOOP")[0] == 200
    after = fds(s.proc.pid)
    assert after <= before + 1, (before, after)  # at most the one listener of the last PASV
    c.close()


def test_pasv_ports_taken_in_turn(make_server):
    s = make_server("--ftp-listen", "127.0.0.1:0", "--ftp-pasv-ports", "21000-21002")
    c = Ftp(s.port_of("ftp"))
    c.login()
    ports = [Ftp.pasv_port(c.cmd("PASV")[1]) for _ in range(6)]
    # in the range, and never the same twice in a row (a port another
    # program holds at the moment is skipped)
    assert all(21000 <= p <= 21002 for p in ports), ports
    assert all(a != b for a, b in zip(ports, ports[1:])), ports
    c.close()


def test_max_data_425(make_server):
    s = make_server("--ftp-listen", "127.0.0.1:0", "--ftp-max-data", "3")
    c = Ftp(s.port_of("ftp"))
    c.login()
    assert [c.cmd("PASV")[0] for _ in range(4)] == [227, 227, 227, 425]
    c.close()


def test_421_session_limits(make_server):
    s = make_server("--ftp-listen", "127.0.0.1:0", "--ftp-max-sessions", "2",
                    "--ftp-max-per-ip", "0")
    port = s.port_of("ftp")
    a, b = Ftp(port), Ftp(port)
    third = Ftp(port)
    assert third.greeting[0] == 421 and "max-sessions" in third.greeting[1]
    assert third.sock.recv(10) == b""
    a.close()
    time.sleep(0.2)
    assert Ftp(port).greeting[0] == 220
    s2 = make_server("--ftp-listen", "127.0.0.1:0", "--ftp-max-per-ip", "1")
    port = s2.port_of("ftp")
    one = Ftp(port)
    two = Ftp(port)
    assert one.greeting[0] == 220 and two.greeting[0] == 421
    b.close()


def test_421_idle_timeout(make_server):
    s = make_server("--ftp-listen", "127.0.0.1:0", "--ftp-idle-timeout", "500ms")
    c = Ftp(s.port_of("ftp"))
    code, text = c.reply()
    assert code == 421 and "idle" in text
    assert c.sock.recv(10) == b""


def test_120_busy_then_220(make_server):
    s = make_server("--ftp-listen", "127.0.0.1:0", "--ftp-busy", "500ms")
    c = Ftp(s.port_of("ftp"))
    assert c.greeting == (120, "120 Service ready in 1 minute\r\n")
    c.send("NOOP\r\n")  # waits for the 220
    assert c.reply()[0] == 220
    assert c.reply()[0] == 200


def test_sigterm_drains_with_421(make_server):
    s = make_server("--ftp-listen", "127.0.0.1:0", "--drain-timeout", "3s")
    port = s.port_of("ftp")
    idle = Ftp(port)
    busy = Ftp(port)
    busy.login()
    code, text = busy.cmd("PASV")
    d = socket.create_connection(("127.0.0.1", Ftp.pasv_port(text)))
    assert busy.cmd("RETR /pub/4m.bin")[0] in (125, 150)
    s.send_signal(signal.SIGTERM)
    code, text = idle.reply()
    assert code == 421 and "shutting down" in text
    got = len(read_all(d))  # the transfer in flight finishes
    assert got == 4 * 1024 * 1024
    assert busy.reply()[0] == 226
    assert busy.reply()[0] == 421
    assert s.stop() == 0


def test_zh_reply_text(make_server):
    s = make_server("--ftp-listen", "127.0.0.1:0", "--ftp-lang", "zh")
    c = Ftp(s.port_of("ftp"))
    assert c.greeting[0] == 220 and "服务" in c.greeting[1]
    c.close()


def test_reference_pages_show_recorded_exchanges(ftp):
    """Each FTP page of the web reference shows the exchange recorded from
    this responder (data/transcripts/ftp.txt) for the codes it gives."""
    import urllib.request
    text = (Path(__file__).resolve().parents[2] / "data" / "transcripts" / "ftp.txt").read_text()
    codes = [int(c) for c in re.findall(r"^\[ftp (\d{3})\]$", text, re.M)]
    assert len(codes) >= 45
    for code in (110, 120, 421, 426, 452, 532):
        html = urllib.request.urlopen(f"{ftp.url}/codes/ftp/{code}", timeout=10).read().decode()
        assert "recorded from httpstatus serve --ftp-listen" in html, code
        assert f"S: {code} " in html, code


def test_client_not_reading_replies_gets_backpressure(make_server):
    """Commands pipelined by a client that reads no reply: the server stops
    running them (and reading) once 256 KiB of replies wait, instead of
    buffering without bound."""
    s = make_server("--ftp-listen", "127.0.0.1:0")
    c = Ftp(s.port_of("ftp"))
    c.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
    c.sock.settimeout(2)
    chunk = b"NOOP\r\n" * 10000
    sent = 0
    try:
        for _ in range(200):  # up to 12 MB of commands (220 MB of replies)
            c.sock.sendall(chunk)
            sent += 10000
    except (socket.timeout, TimeoutError):
        pass
    assert sent < 2000000, "the server kept reading: no backpressure"
    rss = int(next(l for l in open(f"/proc/{s.proc.pid}/status") if l.startswith("VmRSS")).split()[1])
    assert rss < 100 * 1024, f"server RSS {rss} KiB"
    c.sock.settimeout(10)
    c.close()


def test_ipv6_control_connection(make_server):
    """On IPv6, PASV cannot name the address (521), EPSV and EPRT |2| work,
    EPRT |1| is the wrong network protocol (522)."""
    s = make_server("--ftp-listen", "[::1]:0")
    port = int(re.search(r"listening on ftp://\[::1\]:(\d+)", s.stderr()).group(1))
    c = Ftp(port, host="::1")
    c.login()
    assert c.cmd("PASV")[0] == 521
    assert c.cmd("EPRT |1|127.0.0.1|5000|")[0] == 522
    code, text = c.cmd("EPSV")
    assert code == 229
    d = socket.create_connection(("::1", int(re.search(r"\(\|\|\|(\d+)\|\)", text).group(1))))
    assert c.cmd("RETR /pub/1k.bin")[0] in (125, 150)
    assert len(read_all(d)) == 1024
    assert c.reply()[0] == 226
    lst = socket.socket(socket.AF_INET6)
    lst.bind(("::1", 0))
    lst.listen(1)
    assert c.cmd(f"EPRT |2|::1|{lst.getsockname()[1]}|")[0] == 200
    assert c.cmd("RETR /pub/hello.txt")[0] == 150
    d, _ = lst.accept()
    assert read_all(d) == b"Hello, FTP!\r\n"
    assert c.reply()[0] == 226
    c.close()


def test_ftp_beside_http_with_two_workers(make_server):
    """FTP runs on the first worker's loop while HTTP is served by both; a
    drain with both busy ends cleanly (ThreadSanitizer runs this one)."""
    import urllib.request
    s = make_server("--ftp-listen", "127.0.0.1:0", workers=2)
    c = Ftp(s.port_of("ftp"))
    c.login()
    for _ in range(3):
        d = c.pasv()
        assert c.cmd("RETR /pub/64k.bin")[0] in (125, 150)
        assert urllib.request.urlopen(f"{s.url}/status/200", timeout=5).status == 200
        assert len(read_all(d)) == 65536
        assert c.reply()[0] == 226
    s.send_signal(signal.SIGTERM)
    assert c.reply()[0] == 421
    assert s.stop() == 0
