"""httpbin bytes: /bytes/{n} (seeded bytes identical to httpbin's Python
random), /range/{n} (RFC 9110 §14: 206, multipart/byteranges, 416, If-Range)
and go-httpbin's /unstable, with requests, httpx, curl and raw sockets."""
import email.parser
import email.policy
import random
import subprocess
import time

import httpx
import pytest
import requests

from rawhttp import read_responses_from, request

T = 5
ALPHA = bytes(range(ord("a"), ord("z") + 1))


def resource(n):
    return bytes(ALPHA[i % 26] for i in range(n))


def raw(srv, target, headers=(), method="GET"):
    with srv.connect(timeout=T) as s:
        s.sendall(request(method, target, host=f"127.0.0.1:{srv.port}", headers=headers))
        (r,) = read_responses_from(s, 1, head=(0,) if method == "HEAD" else (), timeout=T)
    return r


def python_bytes(seed, n):
    """What httpbin sends for /bytes/{n}?seed={seed}."""
    rng = random.Random()
    rng.seed(int(seed))
    return bytes(rng.randint(0, 255) for _ in range(n))


# ---- /bytes/{n}

def test_bytes_random(srv):
    a = requests.get(srv.url + "/bytes/64", timeout=T)
    b = requests.get(srv.url + "/bytes/64", timeout=T)
    assert a.status_code == 200 and a.headers["Content-Type"] == "application/octet-stream"
    assert len(a.content) == 64 and a.headers["Content-Length"] == "64"
    assert a.content != b.content


@pytest.mark.parametrize("seed", ["0", "1", "42", "-7", "123456789012345678901234567890", " 5 ", "1_000"])
def test_bytes_seeded_like_httpbin(srv, seed):
    r = requests.get(srv.url + "/bytes/100", params={"seed": seed}, timeout=T)
    assert r.status_code == 200 and r.content == python_bytes(seed, 100)


def test_bytes_seed_name_case_insensitive_and_clients(srv):
    want = python_bytes(9, 32)
    assert requests.get(srv.url + "/bytes/32?SEED=9", timeout=T).content == want
    assert httpx.get(srv.url + "/bytes/32?Seed=9", timeout=T).content == want
    out = subprocess.run(["curl", "-s", "--max-time", str(T), srv.url + "/bytes/32?seed=9"],
                         capture_output=True, timeout=T + 2, check=True).stdout
    assert out == want


@pytest.mark.parametrize("n,length", [("0", 0), ("102400", 102400), ("200000", 102400), ("0016", 16),
                                      ("9" * 40, 102400)])
def test_bytes_lengths(srv, n, length):
    r = requests.get(srv.url + "/bytes/" + n, timeout=T)
    assert r.status_code == 200 and len(r.content) == length


@pytest.mark.parametrize("target,status", [("/bytes/-1", 404), ("/bytes/x", 404), ("/bytes/", 404),
                                           ("/bytes/4?seed=x", 400), ("/bytes/4?seed=1.5", 400),
                                           ("/bytes/4?seed=", 400)])
def test_bytes_bad_input(srv, target, status):
    assert raw(srv, target).status == status


def test_bytes_head(srv):
    r = raw(srv, "/bytes/10", method="HEAD")
    assert r.status == 200 and r.body == b"" and r.header("Content-Length") == "10"


# ---- /range/{n}

def test_range_whole(srv):
    r = requests.get(srv.url + "/range/30", timeout=T)
    assert r.status_code == 200 and r.content == resource(30)
    assert r.headers["ETag"] == '"range30"' and r.headers["Accept-Ranges"] == "bytes"
    assert r.headers["Content-Range"] == "bytes 0-29/30"
    assert r.headers["Content-Type"] == "application/octet-stream"


@pytest.mark.parametrize("rng,status,cr,lo,hi", [
    ("bytes=5-9", 206, "bytes 5-9/30", 5, 10),
    ("bytes=25-", 206, "bytes 25-29/30", 25, 30),
    ("bytes=-4", 206, "bytes 26-29/30", 26, 30),
    ("bytes=-100", 200, "bytes 0-29/30", 0, 30),
    ("bytes=0-29", 200, "bytes 0-29/30", 0, 30),
    ("bytes=20-100", 206, "bytes 20-29/30", 20, 30),       # clamped (difference 14)
    ("bytes=0-100", 200, "bytes 0-29/30", 0, 30),
    ("BYTES = 1-1", 206, "bytes 1-1/30", 1, 2),
    ("bytes=29-29", 206, "bytes 29-29/30", 29, 30),
    ("bytes=40-50,2-3", 206, "bytes 2-3/30", 2, 4),         # unsatisfiable members are dropped
    ("bytes=,5-6,", 206, "bytes 5-6/30", 5, 7),              # empty list elements
    ("items=0-3", 200, "bytes 0-29/30", 0, 30),              # unknown unit: ignored
    ("bytes=abc", 200, "bytes 0-29/30", 0, 30),              # invalid: ignored
    ("bytes=1-2;x", 200, "bytes 0-29/30", 0, 30),
    ("bytes=", 200, "bytes 0-29/30", 0, 30),
    ("bytes=--1", 200, "bytes 0-29/30", 0, 30),
])
def test_range_single(srv, rng, status, cr, lo, hi):
    r = raw(srv, "/range/30", headers=(("Range", rng),))
    assert r.status == status and r.header("Content-Range") == cr and r.body == resource(30)[lo:hi]
    assert r.header("Content-Type") == "application/octet-stream" and r.header("ETag") == '"range30"'


@pytest.mark.parametrize("rng", ["bytes=40-50", "bytes=30-", "bytes=9-5", "bytes=-0", "bytes=30-30,50-"])
def test_range_unsatisfiable(srv, rng):
    r = raw(srv, "/range/30", headers=(("Range", rng),))
    assert r.status == 416 and r.header("Content-Range") == "bytes */30"
    assert r.body == b"" and r.header("Content-Length") == "0"
    assert r.header("ETag") == '"range30"' and r.header("Accept-Ranges") == "bytes"


def parse_multipart(resp_ct, body):
    msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + resp_ct.encode() + b"\r\n\r\n" + body)
    assert msg.is_multipart()
    return [(p["Content-Range"], p["Content-Type"], p.get_payload(decode=True)) for p in msg.iter_parts()]


def test_range_multipart(srv):
    r = requests.get(srv.url + "/range/30", headers={"Range": "bytes=0-4,10-14,-2"}, timeout=T)
    assert r.status_code == 206 and "Content-Range" not in r.headers
    assert r.headers["Content-Type"].startswith("multipart/byteranges; boundary=")
    parts = parse_multipart(r.headers["Content-Type"], r.content)
    assert parts == [("bytes 0-4/30", "application/octet-stream", b"abcde"),
                     ("bytes 10-14/30", "application/octet-stream", b"klmno"),
                     ("bytes 28-29/30", "application/octet-stream", b"cd")]
    assert r.content.endswith(b"--\r\n")


def test_range_multipart_httpx_and_head(srv):
    r = httpx.get(srv.url + "/range/100", headers={"Range": "bytes=90-,0-0"}, timeout=T)
    assert r.status_code == 206
    assert parse_multipart(r.headers["content-type"], r.content) == [
        ("bytes 90-99/100", "application/octet-stream", resource(100)[90:]),
        ("bytes 0-0/100", "application/octet-stream", b"a")]
    h = raw(srv, "/range/100", method="HEAD", headers=(("Range", "bytes=90-,0-0"),))
    assert h.status == 206 and h.body == b"" and int(h.header("Content-Length")) == len(r.content)


def test_range_too_many_or_overlapping_ranges_are_ignored(srv):
    many = "bytes=" + ",".join("%d-%d" % (i % 30, i % 30) for i in range(101))
    r = raw(srv, "/range/30", headers=(("Range", many),))
    assert r.status == 200 and r.body == resource(30)
    r = raw(srv, "/range/30", headers=(("Range", "bytes=0-29,0-29,0-29"),))   # 90 bytes for 30: ignored
    assert r.status == 200 and r.body == resource(30)
    r = raw(srv, "/range/30", headers=(("Range", "bytes=0-9,5-14"),))           # small overlap: served
    assert r.status == 206 and r.header("Content-Type").startswith("multipart/byteranges")


@pytest.mark.parametrize("if_range,status", [
    ('"range30"', 206), ("range30", 206),                  # httpbin's bare ETag works too
    ('"other"', 200), ('W/"range30"', 200),                # strong comparison (RFC 9110 §13.1.5)
    ("Sat, 01 Jan 2000 00:00:00 GMT", 200),                # no Last-Modified: a date never matches
    ('"range31"', 200)])
def test_range_if_range(srv, if_range, status):
    r = raw(srv, "/range/30", headers=(("Range", "bytes=0-4"), ("If-Range", if_range)))
    assert r.status == status
    assert r.body == (b"abcde" if status == 206 else resource(30))


def test_if_range_without_range_is_ignored(srv):
    r = raw(srv, "/range/30", headers=(("If-Range", '"other"'),))
    assert r.status == 200 and r.body == resource(30)


def test_range_with_curl(srv):
    out = subprocess.run(["curl", "-s", "--max-time", str(T), "-r", "3-7", "-w", "|%{http_code}",
                          srv.url + "/range/26"], capture_output=True, timeout=T + 2, check=True).stdout
    assert out == b"defgh|206"


def test_range_large(srv):
    r = requests.get(srv.url + "/range/102400", headers={"Range": "bytes=102390-"}, timeout=T)
    assert r.status_code == 206 and r.content == resource(102400)[102390:]
    assert r.headers["Content-Range"] == "bytes 102390-102399/102400"


@pytest.mark.parametrize("n", ["0", "102401", "200000", "00"])
def test_range_out_of_bounds(srv, n):
    r = raw(srv, "/range/" + n)
    assert r.status == 404 and r.body == b"number of bytes must be in the range (0, 102400]"
    assert r.header("ETag") == '"range%d"' % int(n) and r.header("Accept-Ranges") == "bytes"


@pytest.mark.parametrize("path", ["/range/-1", "/range/x", "/range/", "/range/1/2"])
def test_range_not_found(srv, path):
    r = raw(srv, path)
    assert r.status == 404 and not r.has("ETag")


@pytest.mark.parametrize("query,status", [("chunk_size=4&duration=0.1", 206), ("CHUNK_SIZE=1", 206),
                                          ("chunk_size=x", 400), ("duration=-1", 400), ("duration=nan", 400),
                                          ("duration=abc", 400)])
def test_range_pacing_parameters(srv, query, status):
    r = raw(srv, "/range/30?" + query, headers=(("Range", "bytes=0-9"),))
    assert r.status == status
    if status == 206:
        assert r.body == b"abcdefghij"


def timed_chunks(url, headers=None):
    """(seconds from the request to each piece of content, the whole body)."""
    t0 = time.monotonic()
    times, body = [], b""
    with requests.get(url, headers=headers or {}, stream=True, timeout=T) as r:
        assert r.status_code in (200, 206)
        for piece in r.raw.stream(1, decode_content=False):
            times.append(time.monotonic() - t0)
            body += piece
    return times, body, time.monotonic() - t0


def test_range_duration_paces_the_body(srv):
    # 26 bytes in 1 s, chunks of 5: a chunk every ~0.19 s, the last (1 byte) at the end
    times, body, total = timed_chunks(srv.url + "/range/26?duration=1&chunk_size=5")
    assert body == resource(26)
    assert 0.9 <= total < 2.0
    assert times[0] < 0.15            # the first chunk leaves at once
    assert times[len(times) // 2] > 0.3  # the middle comes later


def test_range_duration_is_per_byte_of_the_resource(srv):
    # httpbin: pause = duration / n per byte, so 10 of 100 bytes take 0.2 of 2 s
    _, body, total = timed_chunks(srv.url + "/range/100?duration=2&chunk_size=3", {"Range": "bytes=10-19"})
    assert body == resource(100)[10:20]
    assert 0.15 <= total < 1.0


def test_range_duration_multipart_within_duration(srv):
    with srv.connect(timeout=T) as s:
        t0 = time.monotonic()
        s.sendall(request("GET", "/range/100?duration=1&chunk_size=16", host=f"127.0.0.1:{srv.port}",
                          headers=(("Range", "bytes=0-9,50-59"),)))
        (r,) = read_responses_from(s, 1, timeout=T)
        took = time.monotonic() - t0
    assert r.status == 206 and r.header("Content-Type").startswith("multipart/byteranges")
    assert int(r.header("Content-Length")) == len(r.body)
    assert 0.1 <= took < 0.5  # 20 of 100 bytes: a fifth of the duration, heads included


def test_range_duration_overlapping_ranges_capped(srv):
    t0 = time.monotonic()
    r = requests.get(srv.url + "/range/20?duration=0.4&chunk_size=8", headers={"Range": "bytes=0-19,0-19"}, timeout=T)
    took = time.monotonic() - t0
    assert r.status_code == 206 and r.content.count(resource(20)) == 2
    assert 0.3 <= took < 0.8  # 40 bytes of a 20-byte resource: still at most the duration


def test_range_duration_head_and_cap(make_server):
    srv = make_server("--max-delay", "0.5")
    t0 = time.monotonic()
    r = requests.head(srv.url + "/range/50?duration=0.4", timeout=T)
    assert r.status_code == 200 and r.headers["Content-Length"] == "50" and time.monotonic() - t0 < 0.3
    assert requests.get(srv.url + "/range/50?duration=0.6", timeout=T).status_code == 400
    assert requests.get(srv.url + "/range/50?duration=0.4", timeout=T).content == resource(50)


def test_range_paced_with_pipelined_request_in_order(srv):
    with srv.connect(timeout=T) as s:
        host = f"127.0.0.1:{srv.port}"
        s.sendall(request("GET", "/range/20?duration=0.3&chunk_size=4", host=host) + request("GET", "/range/3", host=host))
        a, b = read_responses_from(s, 2, timeout=T)
    assert a.body == resource(20) and b.body == resource(3)


# ---- /unstable

def test_unstable_rates(srv):
    assert requests.get(srv.url + "/unstable?failure_rate=0", timeout=T).status_code == 200
    assert requests.get(srv.url + "/unstable?failure_rate=1", timeout=T).status_code == 500
    codes = {requests.get(srv.url + "/unstable", timeout=T).status_code for _ in range(60)}
    assert codes == {200, 500}


def test_unstable_seeded_is_repeatable(srv):
    for seed in range(20):
        codes = {httpx.get(srv.url + f"/unstable?seed={seed}", timeout=T).status_code for _ in range(3)}
        assert len(codes) == 1
    both = {requests.get(srv.url + f"/unstable?seed={s}", timeout=T).status_code for s in range(40)}
    assert both == {200, 500}


@pytest.mark.parametrize("method", ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"])
def test_unstable_any_method(srv, method):
    r = requests.request(method, srv.url + "/unstable?failure_rate=0", timeout=T)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize("query", ["failure_rate=1.5", "failure_rate=-0.1", "failure_rate=abc", "failure_rate=nan",
                                   "failure_rate=inf", "seed=abc", "seed=1.5", "seed=99999999999999999999"])
def test_unstable_bad_input(srv, query):
    r = raw(srv, "/unstable?" + query)
    assert r.status == 400 and r.body


def test_range_paced_client_leaves_halfway(srv):
    with srv.connect(timeout=T) as s:
        s.sendall(request("GET", "/range/2000?duration=3&chunk_size=100", host=f"127.0.0.1:{srv.port}"))
        assert s.recv(65536).startswith(b"HTTP/1.1 200")
    time.sleep(0.2)  # the server notices and drops the exchange (and its copy of the body)
    assert requests.get(srv.url + "/range/5", timeout=T).content == b"abcde"
