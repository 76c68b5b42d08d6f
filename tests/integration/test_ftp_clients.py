"""The FTP responder with real clients (issue 23, docs/ftp.md): curl (passive,
active, upload, --ssl-reqd), Python ftplib (FTP and FTP_TLS) and lftp.

Run alone: HTTPSTATUS_BIN=build/httpstatus /usr/bin/python3 -m pytest -q \
    tests/integration/test_ftp_clients.py
"""
import ftplib
import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import Server


def pattern(n):
    """The seeded files' bytes (src/ftp/ftp_fs.c)."""
    return bytes(((i * 7 + i // 251) & 0xFF) for i in range(n))


@pytest.fixture(scope="module")
def ftp():
    tls_dir = tempfile.mkdtemp(prefix="hs-ftp-tls-")
    s = Server("--ftp-listen", "127.0.0.1:0", "--tls-dir", tls_dir, "--ftp-data-timeout", "3s")
    s.ftp_port = s.port_of("ftp")
    s.ca = str(Path(tls_dir) / "ca.pem")
    yield s
    s.close()
    shutil.rmtree(tls_dir, ignore_errors=True)


def curl(*args, data=None):
    assert shutil.which("curl"), "curl is needed (scripts/deps.sh)"
    r = subprocess.run(["curl", "-sS", "--max-time", "20", *args], input=data,
                       capture_output=True, timeout=30)
    assert r.returncode == 0, r.stderr.decode()
    return r.stdout


def test_curl_passive_retr(ftp):
    assert curl(f"ftp://127.0.0.1:{ftp.ftp_port}/pub/hello.txt") == b"Hello, FTP!\r\n"
    assert curl(f"ftp://127.0.0.1:{ftp.ftp_port}/pub/64k.bin") == pattern(65536)


def test_curl_active_retr(ftp):
    body = curl("-P", "127.0.0.1", f"ftp://127.0.0.1:{ftp.ftp_port}/pub/1k.bin")
    assert body == pattern(1024)


def test_curl_upload_and_back(ftp):
    data = bytes(range(256)) * 40
    url = f"ftp://127.0.0.1:{ftp.ftp_port}/upload/c.bin"
    curl("-u", "alice:secret", "-T", "-", url, data=data)
    # each session has its own tree: upload and read back in one curl run
    out = curl("-u", "alice:secret", "-T", "-", url, "-o", "/dev/stdout",
               f"ftp://127.0.0.1:{ftp.ftp_port}/upload/c.bin", data=data)
    assert out == data


def test_curl_upload_refused_for_anonymous(ftp):
    r = subprocess.run(["curl", "-sS", "-T", "-", f"ftp://127.0.0.1:{ftp.ftp_port}/upload/x"],
                       input=b"x", capture_output=True, timeout=30)
    assert r.returncode != 0
    assert "550" in r.stderr.decode() or r.returncode == 25, r.stderr


def test_curl_ssl_reqd(ftp):
    body = curl("--ssl-reqd", "--cacert", ftp.ca, f"ftp://localhost:{ftp.ftp_port}/pub/64k.bin")
    assert body == pattern(65536)
    data = b"secret data\n" * 100
    curl("--ssl-reqd", "--cacert", ftp.ca, "-u", "secure:secret", "-T", "-",
         f"ftp://localhost:{ftp.ftp_port}/upload/s.txt", data=data)


def test_curl_listing(ftp):
    out = curl(f"ftp://127.0.0.1:{ftp.ftp_port}/pub/").decode()
    assert "1k.bin" in out and "4m.bin" in out
    names = curl("-l", f"ftp://127.0.0.1:{ftp.ftp_port}/").decode().split()
    assert "README.txt" in names and "busy.txt" in names


def test_ftplib_plain(ftp):
    with ftplib.FTP() as f:
        f.connect("127.0.0.1", ftp.ftp_port, timeout=10)
        assert f.getwelcome().startswith("220")
        f.login("alice", "secret")
        assert f.pwd() == "/"
        f.cwd("pub")
        assert f.size("1k.bin") == 1024
        assert f.voidcmd("MDTM 1k.bin") == "213 20240101000000"
        buf = io.BytesIO()
        f.retrbinary("RETR 4m.bin", buf.write)
        assert buf.getvalue() == pattern(4 * 1024 * 1024)
        facts = dict(f.mlsd("/pub"))
        assert facts["1k.bin"]["size"] == "1024" and facts["1k.bin"]["type"] == "file"
        f.cwd("/upload")
        f.storbinary("STOR a.txt", io.BytesIO(b"abc" * 1000))
        assert f.size("a.txt") == 3000
        f.rename("a.txt", "b.txt")
        assert f.nlst() == ["b.txt"]
        assert f.mkd("d") == "/upload/d"
        f.rmd("d")
        f.delete("b.txt")
        assert f.nlst() == []
        with pytest.raises(ftplib.error_temp, match="^450"):
            f.retrbinary("RETR /busy.txt", lambda b: None)
        with pytest.raises(ftplib.error_perm, match="^550"):
            f.size("/nope")
        f.set_pasv(False)  # active: PORT
        buf = io.BytesIO()
        f.retrbinary("RETR /pub/1k.bin", buf.write)
        assert buf.getvalue() == pattern(1024)


def test_ftplib_tls(ftp):
    import ssl
    ctx = ssl.create_default_context(cafile=ftp.ca)
    with ftplib.FTP_TLS(context=ctx) as f:
        f.connect("localhost", ftp.ftp_port, timeout=10)
        f.auth()
        f.login("secure", "secret")
        f.prot_p()
        buf = io.BytesIO()
        f.retrbinary("RETR /pub/64k.bin", buf.write)
        assert buf.getvalue() == pattern(65536)
        f.storbinary("STOR /upload/t.bin", io.BytesIO(b"t" * 70000))
        assert f.size("/upload/t.bin") == 70000
        assert "1k.bin" in f.nlst("/pub")
        f.prot_c()
        assert f.size("/pub/1k.bin") == 1024


def test_ftplib_acct_and_store_accounts(ftp):
    with ftplib.FTP() as f:
        f.connect("127.0.0.1", ftp.ftp_port, timeout=10)
        assert f.login("acct", "secret", acct="dept42").startswith("230")
    with ftplib.FTP() as f:
        f.connect("127.0.0.1", ftp.ftp_port, timeout=10)
        f.login("store", "secret")
        with pytest.raises(ftplib.error_perm, match="^532"):
            f.storbinary("STOR /upload/x", io.BytesIO(b"x"))
        assert f.sendcmd("ACCT dept42").startswith("230")
        f.storbinary("STOR /upload/x", io.BytesIO(b"x"))


def test_lftp(ftp, tmp_path):
    assert shutil.which("lftp"), "lftp is needed (scripts/deps.sh)"
    local = tmp_path / "up.bin"
    local.write_bytes(b"L" * 5000)
    script = (f"set ssl:ca-file {ftp.ca}; set ftp:ssl-force yes; set ftp:ssl-protect-data yes; "
              "set net:max-retries 1; set net:timeout 10; "
              f"open -u alice,secret ftp://localhost:{ftp.ftp_port}; "
              "cat /pub/hello.txt; "
              f"put {local} -o /upload/up.bin; cls -l /upload; "
              f"get /upload/up.bin -o {tmp_path}/back.bin; "
              f"get /pub/64k.bin -o {tmp_path}/64k.bin; bye")
    r = subprocess.run(["lftp", "-c", script], capture_output=True, timeout=60)
    assert r.returncode == 0, r.stderr.decode()
    out = r.stdout.decode()
    assert "Hello, FTP!" in out and "up.bin" in out
    assert (tmp_path / "back.bin").read_bytes() == b"L" * 5000
    assert (tmp_path / "64k.bin").read_bytes() == pattern(65536)
