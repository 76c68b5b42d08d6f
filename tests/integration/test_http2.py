"""HTTP/2 in cleartext (issue 9): prior knowledge (RFC 9113 §3.3) and the
HTTP/1.1 Upgrade: h2c path (RFC 7540 §3.2), with real clients (curl, nghttp,
httpx) and raw frames (python3-h2): every endpoint answers as over HTTP/1.1."""
import json
import shutil
import subprocess
import time

import httpx
import pytest
import requests
from h2client import H2, RawFrames


def curl(*args):
    r = subprocess.run(["curl", "-s", "--max-time", "10", *args], capture_output=True, timeout=20)
    return r


def test_prior_knowledge_curl_matches_http1(srv):
    r = curl("--http2-prior-knowledge", "-w", "\n%{http_code} %{http_version}",
             srv.url + "/status/418")
    body, _, tail = r.stdout.rpartition(b"\n")
    assert tail == b"418 2"
    assert body == requests.get(srv.url + "/status/418", timeout=5).content


def test_h2c_upgrade_curl(srv):
    # curl --http2 on http:// asks for Upgrade: h2c; the 101 comes first,
    # then the answer to the same request over HTTP/2 (stream 1)
    r = curl("--http2", "-i", srv.url + "/get?a=1")
    text = r.stdout.decode()
    assert text.startswith("HTTP/1.1 101 Switching Protocols\r\n")
    assert "Upgrade: h2c" in text and "\r\nHTTP/2 200" in text
    body = json.loads(text.split("\r\n\r\n", 2)[2])
    assert body["args"] == {"a": "1"} and body["url"].endswith("/get?a=1")
    assert body["headers"]["Host"] == f"127.0.0.1:{srv.port}"


def test_h2_get_headers_like_http1(srv):
    # /get over HTTP/2 shows the fields an HTTP/1.1 request carries (Host from
    # :authority), lower-case response field names on the wire
    with httpx.Client(http1=False, http2=True) as c:
        r = c.get(srv.url + "/get", headers={"X-Test": "yes"})
    assert r.http_version == "HTTP/2" and r.status_code == 200
    h = r.json()["headers"]
    assert h["Host"] == f"127.0.0.1:{srv.port}" and h["X-Test"] == "yes"
    r1 = requests.get(srv.url + "/get", headers={"X-Test": "yes"}, timeout=5)
    assert r.json() == r1.json() | {"headers": r.json()["headers"]}


@pytest.mark.skipif(shutil.which("nghttp") is None, reason="nghttp2-client not installed")
def test_nghttp_concurrent_streams(srv):
    r = subprocess.run(["nghttp", "-n", "-s", srv.url + "/status/200", srv.url + "/bytes/1000?seed=1",
                        srv.url + "/status/404"], capture_output=True, timeout=20)
    assert r.returncode == 0, r.stderr


def test_streams_multiplexed_with_per_stream_suspension(srv):
    c = H2("127.0.0.1", srv.port)
    slow = c.request("GET", "/delay/1")
    fast = c.request("GET", "/status/204")
    t0 = time.monotonic()
    c.wait(fast)
    assert time.monotonic() - t0 < 0.5, "a suspended stream must not hold the others"
    assert c.status(fast) == 204 and not c.streams[slow]["ended"]
    c.wait(slow)
    assert c.status(slow) == 200 and json.loads(c.streams[slow]["data"])["url"].endswith("/delay/1")
    c.close()


def test_streaming_drip_and_trailers(srv):
    c = H2("127.0.0.1", srv.port)
    drip = c.request("GET", "/drip?numbytes=5&duration=0.2&delay=0")
    tr = c.request("GET", "/trailers?x-one=1&x-two=2")
    c.wait(drip, tr)
    assert c.status(drip) == 200 and c.streams[drip]["data"] == b"*****"
    assert c.header(drip, "content-length") == b"5"
    assert dict(c.streams[tr]["trailers"]) == {b"x-one": b"1", b"x-two": b"2"}
    assert sorted(v for k, v in c.streams[tr]["headers"] if k == b"trailer") == [b"X-One", b"X-Two"]
    # no connection-specific fields in HTTP/2 (RFC 9113 §8.2.2)
    for sid in (drip, tr):
        names = {k for k, _ in c.streams[sid]["headers"]}
        assert not names & {b"connection", b"transfer-encoding", b"keep-alive"}
    c.close()


def test_interim_103_and_head(srv):
    c = H2("127.0.0.1", srv.port)
    eh = c.request("GET", "/status/103")
    head = c.request("HEAD", "/bytes/100?seed=1")
    c.wait(eh, head)
    assert [dict(h)[b":status"] for h in c.streams[eh]["interim"]] == [b"103"]
    assert dict(c.streams[eh]["interim"][0])[b"link"].startswith(b"</status/200>")
    assert c.status(eh) == 200
    assert c.status(head) == 200 and c.streams[head]["data"] == b""
    assert c.header(head, "content-length") == b"100"
    c.close()


def test_expect_continue_and_post(srv):
    c = H2("127.0.0.1", srv.port)
    sid = c.request("POST", "/post", headers=[("expect", "100-continue"),
                                             ("content-type", "application/json")], end=False)
    c.wait(until=lambda: c.streams[sid]["interim"])
    assert dict(c.streams[sid]["interim"][0])[b":status"] == b"100"
    c.conn.send_data(sid, b'{"a": 1}', end_stream=True)
    c.flush()
    c.wait(sid)
    assert c.status(sid) == 200 and json.loads(c.streams[sid]["data"])["json"] == {"a": 1}
    c.close()


def test_body_and_header_limits_map_to_413_and_431(srv):
    c = H2("127.0.0.1", srv.port)
    big = c.request("POST", "/post", body=b"x" * 5000)  # --max-body 4096
    many = c.request("GET", "/get", headers=[(f"x-h{i}", "v") for i in range(40)])  # --max-headers 20
    c.wait(big, many)
    assert c.status(big) == 413 and c.status(many) == 431
    ok = c.request("GET", "/status/200")  # the connection lives on
    c.wait(ok)
    assert c.status(ok) == 200
    c.close()


def test_too_many_concurrent_streams_refused(srv):
    # SETTINGS_MAX_CONCURRENT_STREAMS is 100: the 101st open stream is refused
    # with RST_STREAM REFUSED_STREAM (RFC 9113 §5.1.2), the others are served
    from hyperframe.frame import HeadersFrame, RstStreamFrame
    c = RawFrames("127.0.0.1", srv.port)
    ids = list(range(1, 203, 2))  # 101 streams
    c.send(b"".join(c.headers(sid, "/delay/0.5") for sid in ids))
    resets, answered = {}, set()
    for f, hdrs in c.frames(lambda f: len(answered) + len(resets) >= len(ids)):
        if isinstance(f, RstStreamFrame):
            resets[f.stream_id] = f.error_code
        elif isinstance(f, HeadersFrame):
            answered.add(f.stream_id)
    assert resets == {ids[-1]: 7}  # REFUSED_STREAM
    assert answered == set(ids[:-1])
    c.close()


def test_goaway_on_shutdown_after_in_flight_stream(make_server):
    # graceful shutdown in two steps (RFC 9113 §6.8): a GOAWAY notice (NO_ERROR,
    # last stream 2^31-1) and a PING while stream 1 is in flight; stream 1 is
    # still answered; the final GOAWAY (last stream 1) follows once the PING
    # is answered or, from a client that does not answer (this one), after a
    # second; then the connection closes
    from hyperframe.frame import DataFrame, GoAwayFrame, HeadersFrame, PingFrame
    s = make_server("--drain-timeout", "5s")
    c = RawFrames("127.0.0.1", s.port)
    c.send(c.headers(1, "/delay/0.5"))
    time.sleep(0.15)
    s.send_signal()
    seen, last_ids = [], []
    for f, hdrs in c.frames(lambda f: False):
        seen.append(type(f).__name__)
        if isinstance(f, GoAwayFrame):
            assert f.error_code == 0
            last_ids.append(f.last_stream_id)
        if isinstance(f, HeadersFrame):
            assert dict(hdrs)[":status"] == "200"
    assert last_ids == [2**31 - 1, 1]
    assert "HeadersFrame" in seen and "DataFrame" in seen and "PingFrame" in seen
    assert seen.index("GoAwayFrame") < seen.index("PingFrame") < seen.index("HeadersFrame")
    assert s.stop() == 0


def test_access_log_shows_http2(srv):
    curl("--http2-prior-knowledge", srv.url + "/status/202?h2log")
    deadline = time.monotonic() + 3
    while "h2log" not in srv.access_log() and time.monotonic() < deadline:
        time.sleep(0.05)
    line = [ln for ln in srv.access_log().splitlines() if "h2log" in ln][-1]
    assert '"GET /status/202?h2log HTTP/2.0" 202' in line


def test_connection_serves_on_after_resting(srv):
    # quiet for 250 ms without a stream, a connection gives back its recycled
    # streams and the pages of nghttp2's frame buffer; the next requests on
    # it (HPACK state carried over: the client's dynamic table indexes its
    # fields) are answered as before, large and small, several at once
    c = H2("127.0.0.1", srv.port)
    try:
        hdrs = [("user-agent", "rest-test"), ("x-kept", "k" * 200)]
        for round_ in range(3):
            sids = [c.request("GET", "/get", headers=hdrs),
                    c.request("GET", "/bytes/70000?seed=7", headers=hdrs),
                    c.request("GET", "/status/418", headers=hdrs)]
            c.wait(*sids)
            assert [c.status(s) for s in sids] == [200, 200, 418], round_
            assert json.loads(c.streams[sids[0]]["data"])["headers"]["X-Kept"] == "k" * 200
            assert len(c.streams[sids[1]]["data"]) == 70000
            time.sleep(0.4)  # past the rest: the next round finds the memory given back
        assert not c.closed and c.goaway is None
    finally:
        c.close()
