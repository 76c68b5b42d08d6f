"""httpbin content codings (issue 4): /gzip, /deflate, /brotli and our /zstd
send the echo object (headers, method, origin + a flag) compressed whatever
the Accept-Encoding, with Content-Encoding — checked by decoding in Python
(zlib, brotli, libzstd through ctypes), by requests/httpx and by curl."""
import brotli  # python3-brotli (scripts/deps.sh test)
import ctypes
import ctypes.util
import json
import subprocess
import zlib

import httpx
import pytest
import requests

from rawhttp import exchange, parse, request

T = 5

def zstd_decompress(data):
    name = ctypes.util.find_library("zstd")
    if not name:
        pytest.fail("libzstd not found (Debian libzstd1)")
    lib = ctypes.CDLL(name)
    lib.ZSTD_getFrameContentSize.restype = ctypes.c_ulonglong
    lib.ZSTD_getFrameContentSize.argtypes = [ctypes.c_char_p, ctypes.c_size_t]
    lib.ZSTD_decompress.restype = ctypes.c_size_t
    lib.ZSTD_decompress.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t]
    lib.ZSTD_isError.argtypes = [ctypes.c_size_t]
    size = lib.ZSTD_getFrameContentSize(data, len(data))
    assert size < (1 << 32), "frame without a content size"
    out = ctypes.create_string_buffer(size or 1)
    n = lib.ZSTD_decompress(out, size, data, len(data))
    assert not lib.ZSTD_isError(n)
    return out.raw[:n]


def decode(coding, body):
    if coding == "gzip":
        assert body[:2] == b"\x1f\x8b"
        return zlib.decompress(body, 16 + zlib.MAX_WBITS)
    if coding == "deflate":
        assert body[0] & 0x0F == 8   # zlib header (RFC 1950), not raw deflate
        return zlib.decompress(body)
    if coding == "br":
        return brotli.decompress(body)
    if coding == "zstd":
        assert body[:4] == b"\x28\xb5\x2f\xfd"
        return zstd_decompress(body)
    raise AssertionError(coding)


CASES = [("/gzip", "gzip", "gzipped"), ("/deflate", "deflate", "deflated"),
         ("/brotli", "br", "brotli"), ("/zstd", "zstd", "zstd")]


@pytest.mark.parametrize("path,coding,flag", CASES)
@pytest.mark.parametrize("accept_encoding", [None, "identity", "gzip;q=0"])
def test_encoded_whatever_accept_encoding(srv, path, coding, flag, accept_encoding):
    hdrs = [("X-Test", "1")] + ([("Accept-Encoding", accept_encoding)] if accept_encoding else [])
    data, _ = exchange(srv.port, request("GET", path + "?a=1", headers=hdrs), timeout=T, read_for=0.3)
    (r,) = parse(data)
    assert r.status == 200
    assert r.header("Content-Encoding") == coding and r.header("Content-Type") == "application/json"
    assert int(r.header("Content-Length")) == len(r.body)
    text = decode(coding, r.body)
    j = json.loads(text)
    assert text == (json.dumps(j, indent=2, sort_keys=True) + "\n").encode()
    assert set(j) == {"headers", "method", "origin", flag} and j[flag] is True
    assert j["method"] == "GET" and j["origin"] == "127.0.0.1" and j["headers"]["X-Test"] == "1"


@pytest.mark.parametrize("path,coding,flag", CASES[:2])
def test_requests_and_httpx_decode(srv, path, coding, flag):
    assert requests.get(srv.url + path, timeout=T).json()[flag] is True
    assert httpx.get(srv.url + path, timeout=T).json()[flag] is True


@pytest.mark.parametrize("path,coding,flag", CASES)
def test_curl_compressed(srv, path, coding, flag):
    proc = subprocess.run(["curl", "-s", "--compressed", "--max-time", str(T), "-w", "%{http_code}",
                           "-o", "-", srv.url + path], capture_output=True, timeout=T + 5)
    # Exit 61 means either "curl lacks this coding" or "the body did not decode": Debian's
    # curl has gzip, deflate, brotli and zstd, so both are failures here.
    assert proc.returncode == 0, "curl exit %d: %s" % (proc.returncode, proc.stderr[-300:])
    body, code = proc.stdout[:-3], proc.stdout[-3:]
    assert code == b"200" and json.loads(body)[flag] is True


@pytest.mark.parametrize("path", [c[0] for c in CASES])
def test_head_and_methods(srv, path):
    g = requests.get(srv.url + path, headers={"User-Agent": "same"}, stream=True, timeout=T)
    raw = g.raw.read(decode_content=False)
    h = requests.head(srv.url + path, headers={"User-Agent": "same"}, timeout=T)
    assert h.status_code == 200 and h.content == b"" and h.headers["Content-Encoding"] == g.headers["Content-Encoding"]
    # the object names the method: HEAD and GET bodies differ by one word
    assert abs(int(h.headers["Content-Length"]) - len(raw)) < 16
    r = requests.post(srv.url + path, timeout=T)
    assert r.status_code == 405 and "GET" in r.headers["Allow"]
