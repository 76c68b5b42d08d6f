"""Framing strictness (issue 13, item 10), each point as RFC 9112 / RFC 9110
says, over raw sockets: chunk extensions are read and ignored (§7.1.1) within
a limit, a transfer coding we do not implement gets 501 (§6.1), an empty field
name and an invalid Host get 400 (§5.1, §3.2), HTTP/1.2 is read as HTTP/1.1
(RFC 9110 §2.5). The same Host rule over HTTP/2 (:authority, RFC 9113 §8.3.1)."""
import json
import time

import pytest
from h2client import H2, RawFrames
from rawhttp import exchange, parse, read_all, read_responses_from, request


def chunked_post(chunk_lines, body_chunks=(b"hello",), last=b"0", trailer=b""):
    """A chunked POST /post whose chunk-size lines are chunk_lines (one per
    data chunk, extensions included), then `last` as the last-chunk line."""
    head = request("POST", "/post", headers=[("Transfer-Encoding", "chunked")])
    body = b"".join(line + b"\r\n" + data + b"\r\n" for line, data in zip(chunk_lines, body_chunks))
    return head + body + last + b"\r\n" + trailer + b"\r\n"


def one(port, data, **kw):
    raw, closed = exchange(port, data, **kw)
    resps = parse(raw)
    assert len(resps) == 1, raw
    return resps[0], closed


# ---- chunk extensions (RFC 9112 §7.1.1): recipients MUST ignore unknown ones ----

@pytest.mark.parametrize("line", [
    b"5;a=b;c=d",          # two extensions with values
    b"5 ;a=b",             # BWS before ';'
    b"5; a=b",             # BWS after ';'
    b"5\t;\ta\t=\tb",      # BWS is SP or HTAB, around '=' too
    b"5 ; a = b ; c",      # every place BWS may appear
    b'5;a="q;u=o\\"te"',  # quoted-string with a quoted-pair and separators
    b'5;a="x";b=y',        # a quoted value followed by another extension
    b"5;a",                # a name without a value
    b"00005;a=b",          # leading zeros in the size
])
def test_chunk_extensions_are_ignored(srv, line):
    r, closed = one(srv.port, chunked_post([line]), timeout=3, read_for=0.5)
    assert r.status == 200, r
    assert json.loads(r.body)["data"] == "hello"
    assert not closed and r.header("connection") != "close"


def test_chunk_extension_on_last_chunk_and_every_chunk(srv):
    data = chunked_post([b"3;x=1", b"2 ; y"], body_chunks=(b"hel", b"lo"), last=b"0;end=\"yes\"",
                        trailer=b"X-T: 1\r\n")
    r, _ = one(srv.port, data, read_for=0.5)
    assert r.status == 200 and json.loads(r.body)["data"] == "hello"


def test_chunk_extensions_keep_the_connection_for_the_next_request(srv):
    s = srv.connect()
    s.sendall(chunked_post([b"5;a=b;c=d"]) + request("GET", "/status/201"))
    resps = read_responses_from(s, 2)
    assert [r.status for r in resps] == [200, 201]
    s.close()


def test_chunk_extension_line_split_across_reads(srv):
    # the size line is read byte by byte: the extension state survives reads
    s = srv.connect()
    s.sendall(request("POST", "/post", headers=[("Transfer-Encoding", "chunked")]))
    for b in b'5 ; a = "x;y" ; b=c\r\nhello\r\n0;z\r\n\r\n':
        s.sendall(bytes([b]))
        time.sleep(0.002)
    (r,) = read_responses_from(s, 1)
    assert r.status == 200 and json.loads(r.body)["data"] == "hello"
    s.close()


@pytest.mark.parametrize("line", [
    b"5;",            # ';' without a name
    b"5;=b",          # a value without a name
    b"5;a=",          # '=' without a value
    b"5;a b",         # whitespace not followed by '=' or ';'
    b"5;a=b c",       # two tokens
    b"5 ",            # whitespace without an extension
    b"5;a=b ",        # trailing whitespace
    b'5;a="open',     # unterminated quoted-string (CR is not qdtext)
    b"5;a@b",         # '@' is not a tchar
    b"5;a=\x01",      # control character
    b";a=b",          # no size at all
])
def test_malformed_chunk_extension_400(srv, line):
    r, closed = one(srv.port, chunked_post([line]))
    assert r.status == 400, r
    assert closed


def test_chunk_line_bare_lf_400(srv):
    r, closed = one(srv.port, request("POST", "/post", headers=[("Transfer-Encoding", "chunked")]) +
                    b"5;a=b\nhello\r\n0\r\n\r\n")
    assert r.status == 400 and closed


def test_chunk_extensions_over_the_limit_413(make_server):
    # RFC 9112 §7.1.1: limit the total length of a request's extensions, 4xx
    s = make_server("--max-chunk-ext", "64")
    ok, _ = one(s.port, chunked_post([b"5;" + b"a" * 60]), read_for=0.5)
    assert ok.status == 200
    r, closed = one(s.port, chunked_post([b"5;" + b"a" * 70]))
    assert r.status == 413 and closed
    # the limit counts every chunk of the request together
    r, closed = one(s.port, chunked_post([b"1;" + b"a" * 40, b"4;" + b"b" * 40],
                                         body_chunks=(b"h", b"ello")))
    assert r.status == 413 and closed


def test_huge_chunk_extension_refused_without_waiting_for_its_end(make_server):
    # a 64 MB extension is not read to its end: 413 once the limit is passed
    s = make_server("--max-chunk-ext", "4k")
    c = s.connect()
    c.sendall(request("POST", "/post", headers=[("Transfer-Encoding", "chunked")]) + b"5;a=")
    try:
        for _ in range(64):
            c.sendall(b"x" * 1024)
    except OSError:
        pass
    raw, closed = read_all(c, timeout=3)
    assert parse(raw)[0].status == 413 and closed
    c.close()


# ---- transfer codings (RFC 9112 §6.1) ----

@pytest.mark.parametrize("te", [
    [("Transfer-Encoding", "gzip, chunked")],
    [("Transfer-Encoding", "deflate,chunked")],
    [("Transfer-Encoding", "gzip"), ("Transfer-Encoding", "chunked")],
    [("Transfer-Encoding", "x-custom;p=1, chunked")],
])
def test_unimplemented_transfer_coding_501(srv, te):
    data = request("POST", "/post", headers=te) + b"5\r\nhello\r\n0\r\n\r\n"
    r, closed = one(srv.port, data)
    assert r.status == 501, r
    assert closed and r.header("connection") == "close"


@pytest.mark.parametrize("te", ["chunked", "Chunked", " chunked ", ", chunked"])
def test_chunked_alone_is_implemented(srv, te):
    data = request("POST", "/post", headers=[("Transfer-Encoding", te)]) + b"5\r\nhello\r\n0\r\n\r\n"
    r, _ = one(srv.port, data, read_for=0.5)
    assert r.status == 200 and json.loads(r.body)["data"] == "hello"


# ---- field names (RFC 9110 §5.1: field-name = token) ----

@pytest.mark.parametrize("line", [b": v", b":", b":  v  "])
def test_empty_field_name_400(srv, line):
    r, closed = one(srv.port, b"GET /get HTTP/1.1\r\nHost: t\r\n" + line + b"\r\n\r\n")
    assert r.status == 400, r
    assert closed


def test_empty_field_name_in_trailers_400(srv):
    r, closed = one(srv.port, chunked_post([b"5"], trailer=b": v\r\n"))
    assert r.status == 400 and closed


def test_empty_field_name_as_first_field_400(srv):
    r, closed = one(srv.port, b"GET /get HTTP/1.1\r\n: v\r\nHost: t\r\n\r\n")
    assert r.status == 400 and closed


# ---- Host (RFC 9112 §3.2: an invalid Host MUST get 400) ----

@pytest.mark.parametrize("host", [
    "x:abc", "[::1", "x:8080:1", "[::1]x", "[::1]:8a", "user@x", "a%zz", "[]", "x:80 y",
])
def test_invalid_host_400(srv, host):
    r, closed = one(srv.port, request("GET", "/get", host=host))
    assert r.status == 400, (host, r)
    assert closed


@pytest.mark.parametrize("host", [
    "x", "x:8080", "x:", "127.0.0.1:1", "[::1]", "[::1]:8080", "[v1.a:b]", "a%2Db", "",
])
def test_valid_host_accepted(srv, host):
    r, _ = one(srv.port, request("GET", "/get", host=host), read_for=0.5)
    assert r.status == 200, (host, r)


def test_invalid_host_with_absolute_form_target_400(srv):
    # the Host field must be valid even when the target carries the authority
    r, closed = one(srv.port, request("GET", "http://good/get", host="x:8080:1"))
    assert r.status == 400 and closed


@pytest.mark.parametrize("target", ["http://x:abc/get", "http:///get", "http://u@x/get"])
def test_invalid_absolute_form_authority_400(srv, target):
    r, closed = one(srv.port, request("GET", target, host="t"))
    assert r.status == 400, (target, r)
    assert closed


@pytest.mark.parametrize("authority", ["x:abc", "[::1", "x:8080:1"])
def test_h2_invalid_authority_400(srv, authority):
    c = H2("127.0.0.1", srv.port)
    sid = c.request("GET", "/get", authority=authority)
    c.wait(sid)
    assert c.status(sid) == 400
    # the connection carries on: a valid request next
    sid2 = c.request("GET", "/status/204", authority="x:1")
    c.wait(sid2)
    assert c.status(sid2) == 204
    c.close()


def test_h2_invalid_host_field_400(srv):
    # Host without :authority (RFC 9113 §8.3.1 allows it) is held to the same rule
    from hyperframe.frame import HeadersFrame
    c = RawFrames("127.0.0.1", srv.port)
    f = HeadersFrame(1)
    f.data = c.enc.encode([(":method", "GET"), (":path", "/get"), (":scheme", "http"),
                           ("host", "x:8080:1")])
    f.flags.add("END_HEADERS")
    f.flags.add("END_STREAM")
    c.send(f.serialize())
    statuses = [dict(h)[":status"] for f, h in
                c.frames(lambda f: isinstance(f, HeadersFrame) and f.stream_id == 1) if h]
    assert statuses == ["400"]
    c.close()


# ---- versions (RFC 9110 §2.5, §15.6.6) ----

@pytest.mark.parametrize("version", ["HTTP/1.2", "HTTP/1.9"])
def test_higher_http1_minor_version_is_read_as_1_1(srv, version):
    s = srv.connect()
    s.sendall(request("GET", "/get", version=version) + request("GET", "/status/201"))
    resps = read_responses_from(s, 2)
    assert [r.status for r in resps] == [200, 201]  # HTTP/1.1 keep-alive applies
    assert resps[0].raw_head.startswith(b"HTTP/1.1 200 ")
    s.close()


def test_higher_http1_minor_version_needs_host_like_1_1(srv):
    r, closed = one(srv.port, request("GET", "/get", host=None, version="HTTP/1.2"))
    assert r.status == 400 and closed


@pytest.mark.parametrize("version", [b"HTTP/2.0", b"HTTP/3.0"])
def test_other_major_version_505_before_the_headers(srv, version):
    # answered as soon as the request line is read: no header section needed
    r, closed = one(srv.port, b"GET /get " + version + b"\r\n")
    assert r.status == 505 and closed
