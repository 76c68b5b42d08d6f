"""`httpstatus check URL` and `httpstatus lint` against real servers: our own
over HTTP/1.1, HTTP/2 (h2c and TLS with the generated local CA), a raw-socket
server that sends broken responses on purpose, and addresses that do not
answer; `lint` on curl -i / curl -v output, HAR files (50 MB, in bounded
memory) and hostile input.

    HTTPSTATUS_BIN=$PWD/build/httpstatus /usr/bin/python3 -m pytest -q \
        -p no:cacheprovider tests/integration/test_check_lint.py [-k NAME]
"""
import json
import os
import socket
import subprocess
import threading

import pytest

from conftest import BIN, DEFAULT_ARGS, Server


def run(*args, input=None, timeout=60):
    return subprocess.run([BIN, *args], input=input, capture_output=True, timeout=timeout)


def check_json(*args):
    r = run("check", "--json", *args)
    doc = json.loads(r.stdout)
    return r.returncode, doc, r.stderr.decode()


def ids(hop):
    return {f["id"] for f in hop["findings"]}


@pytest.fixture(scope="module")
def tls_srv(tmp_path_factory):
    d = tmp_path_factory.mktemp("tls")
    s = Server(*DEFAULT_ARGS, "--tls-listen", "127.0.0.1:0", "--tls-dir", str(d / "state"),
               "--h2c-listen", "127.0.0.1:0", workers=1)
    s.tls_port = s.port_of("https")
    s.h2c_port = s.port_of("http", "HTTP/2 only")
    s.ca = str(d / "state" / "ca.pem")
    yield s
    s.close()


# ---------------------------------------------------------------- the catalogue

def test_rules_listing_one_a_line_and_json():
    r = run("lint", "--rules")
    lines = r.stdout.decode().splitlines()
    assert r.returncode == 0 and len(lines) >= 120
    for line in lines:
        rid, sev = line.split()[:2]
        assert sev in ("error", "warning", "info"), line
    doc = json.loads(run("lint", "--rules", "--json").stdout)
    assert [d["id"] for d in doc] == [line.split()[0] for line in lines]
    assert all(d["title"] and d["text"] and d["spec"] for d in doc)
    zh = json.loads(run("lint", "--rules", "--json", "--lang", "zh").stdout)
    assert zh[0]["title"] != doc[0]["title"]
    # the findings httpstatus serve produces on purpose are documented
    expected = {d["id"] for d in doc if d["expected"]}
    assert {"status-418", "status-306", "cors-star-credentials"} <= expected


# ---------------------------------------------------------------- check: our server

def test_check_redirect_3_is_four_hops_http11(tls_srv):
    rc, doc, err = check_json("--http1.1", f"http://127.0.0.1:{tls_srv.port}/redirect/3")
    assert rc == 0, err
    assert [h["status"] for h in doc["hops"]] == [302, 302, 302, 200]
    assert all(h["protocol"] == "HTTP/1.1" for h in doc["hops"])
    assert doc["hops"][-1]["url"].endswith("/get") and doc["error"] is None
    assert "Location" in doc["hops"][0]["meaning"]
    t = doc["hops"][0]["timing"]
    assert 0 <= t["dns_ms"] <= t["connect_ms"] <= t["first_byte_ms"] <= t["total_ms"]


def test_check_redirect_3_over_https_h2_with_local_ca(tls_srv):
    url = f"https://localhost:{tls_srv.tls_port}/redirect/3"
    rc, doc, err = check_json("--http2", "--cacert", tls_srv.ca, url)
    assert rc == 0, err
    assert [h["status"] for h in doc["hops"]] == [302, 302, 302, 200]
    assert all(h["protocol"] == "HTTP/2" for h in doc["hops"])
    first = doc["hops"][0]
    assert first["tls"]["version"].startswith("TLSv1.")
    assert first["tls"]["cert_expires"] and "GMT" in first["tls"]["cert_expires"]
    # without the CA the certificate is refused: a TLS failure, exit 2
    r = run("check", url)
    assert r.returncode == 2 and b"TLS" in r.stderr, r.stderr


@pytest.mark.parametrize("how", ["http1.1", "h2c", "https-h2"])
def test_check_503_retry_after(tls_srv, how):
    if how == "http1.1":
        args, proto = ["--http1.1", f"http://127.0.0.1:{tls_srv.port}/status/503"], "HTTP/1.1"
    elif how == "h2c":
        args, proto = ["--http2-prior-knowledge",
                       f"http://127.0.0.1:{tls_srv.h2c_port}/status/503"], "HTTP/2"
    else:
        args, proto = ["--http2", "--cacert", tls_srv.ca,
                       f"https://localhost:{tls_srv.tls_port}/status/503"], "HTTP/2"
    rc, doc, err = check_json(*args)
    assert rc == 0, err
    (hop,) = doc["hops"]
    assert hop["status"] == 503 and hop["protocol"] == proto
    assert not ids(hop) & {"expects-retry-after", "retry-after-invalid", "retry-after-past"}
    assert "temporary overload" in hop["meaning"]


def test_check_interim_1xx(tls_srv):
    rc, doc, err = check_json("--http1.1", f"http://127.0.0.1:{tls_srv.port}/status/103")
    (hop,) = doc["hops"]
    assert rc == 0 and hop["interim"] == [103] and hop["status"] == 200, doc
    assert "status-103-no-link" not in ids(hop)


def test_check_text_output_and_chinese(tls_srv):
    r = run("check", "--lang", "zh", f"http://127.0.0.1:{tls_srv.port}/status/418")
    out = r.stdout.decode()
    assert r.returncode == 0, r.stderr  # 418 is a warning, below --fail-on error
    assert "HTTP/1.1 418" in out and "status-418" in out and "耗时" in out
    r = run("check", "--fail-on", "warning", f"http://127.0.0.1:{tls_srv.port}/status/418")
    assert r.returncode == 1


def test_check_method_header_and_data(tls_srv):
    rc, doc, err = check_json("-X", "PUT", "-H", "X-Thing: 1", "-d", "a=b",
                              f"http://127.0.0.1:{tls_srv.port}/anything")
    assert rc == 0, err
    assert doc["hops"][0]["method"] == "PUT" and doc["hops"][0]["status"] == 200
    # a POST answered 302 continues as GET, as user agents do (RFC 9110 §15.4.3)
    rc, doc, err = check_json("-d", "x", f"http://127.0.0.1:{tls_srv.port}/redirect-to?url=/get"
                              "&status_code=302")
    assert [h["method"] for h in doc["hops"]] == ["POST", "GET"]
    assert "redirect-post-method-change" in ids(doc["hops"][0])
    rc, doc, err = check_json("--max-redirs", "1", f"http://127.0.0.1:{tls_srv.port}/redirect/3")
    assert rc == 2 and "too many redirects" in doc["error"]


# ---------------------------------------------------------------- check: broken servers

BROKEN = {
    b"/dup-cl": b"HTTP/1.1 200 OK\r\nDate: Mon, 07 Dec 2026 04:00:00 GMT\r\n"
                b"Content-Type: text/plain\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nhi",
    b"/204-body": b"HTTP/1.1 204 No Content\r\nDate: Mon, 07 Dec 2026 04:00:00 GMT\r\n"
                  b"Content-Length: 5\r\n\r\nhello",
    b"/405": b"HTTP/1.1 405 Method Not Allowed\r\nDate: Mon, 07 Dec 2026 04:00:00 GMT\r\n"
             b"Content-Type: text/plain\r\nContent-Length: 4\r\n\r\nnope",
    b"/silent": None,
}


@pytest.fixture(scope="module")
def broken():
    """A raw-socket server: each path gets its canned bytes, then the
    connection closes; /silent accepts and never answers."""
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    ls.listen(16)
    stop = threading.Event()
    held = []

    def serve():
        while not stop.is_set():
            try:
                c, _ = ls.accept()
            except OSError:
                return
            data = b""
            c.settimeout(5)
            try:
                while b"\r\n\r\n" not in data:
                    chunk = c.recv(4096)
                    if not chunk:
                        break
                    data += chunk
            except OSError:
                pass
            path = data.split(b" ")[1] if data.count(b" ") >= 2 else b""
            resp = BROKEN.get(path, b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
            if resp is None:
                held.append(c)
                continue
            c.sendall(resp)
            c.close()

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{ls.getsockname()[1]}"
    stop.set()
    ls.close()
    for c in held:
        c.close()


def test_check_duplicate_content_length(broken):
    rc, doc, err = check_json("--fail-on", "warning", broken + "/dup-cl")
    assert "cl-repeated" in ids(doc["hops"][0]), doc
    assert rc == 1


def test_check_204_with_a_body(broken):
    rc, doc, err = check_json(broken + "/204-body")
    assert "cl-forbidden-status" in ids(doc["hops"][0]), doc
    assert rc == 1


def test_check_405_without_allow(broken):
    rc, doc, err = check_json(broken + "/405")
    assert "requires-allow" in ids(doc["hops"][0]), doc
    assert rc == 1
    r = run("check", broken + "/405")
    assert b"requires-allow" in r.stdout and r.returncode == 1


def test_check_failures_are_named_exit_2(broken):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    r = run("check", f"http://127.0.0.1:{port}/")
    assert r.returncode == 2 and b"refused" in r.stderr, r.stderr
    r = run("check", "http://no-such-host.invalid/")
    assert r.returncode == 2 and b"DNS" in r.stderr, r.stderr
    r = run("check", "--max-time", "1", broken + "/silent")
    assert r.returncode == 2 and b"timeout" in r.stderr, r.stderr
    r = run("check", "--json", f"http://127.0.0.1:{port}/")
    doc = json.loads(r.stdout)
    assert r.returncode == 2 and doc["hops"] == [] and "refused" in doc["error"]
    r = run("check", "--bogus")
    assert r.returncode == 2 and b"unknown option" in r.stderr
    r = run("check")
    assert r.returncode == 2


# ---------------------------------------------------------------- lint: captures

def test_lint_curl_i_and_curl_v_of_our_server(tls_srv):
    url = f"http://127.0.0.1:{tls_srv.port}/redirect/3"
    cap = subprocess.run(["curl", "-si", "-L", url], capture_output=True, check=True).stdout
    r = run("lint", "--json", "-", input=cap)
    doc = json.loads(r.stdout)
    assert r.returncode == 0, r.stderr
    assert [x["status"] for x in doc["responses"]] == [302, 302, 302, 200]
    verbose = subprocess.run(["curl", "-sv", "-X", "HEAD", f"http://127.0.0.1:{tls_srv.port}/get",
                              "-o", "/dev/null"], capture_output=True).stderr
    r = run("lint", "--json", "-", input=verbose)
    doc = json.loads(r.stdout)
    assert r.returncode == 0 and doc["responses"][0]["method"] == "HEAD", r.stderr


def test_lint_raw_broken_response_exit_1(tmp_path):
    f = tmp_path / "r.txt"
    f.write_bytes(BROKEN[b"/405"] + BROKEN[b"/204-body"])
    r = run("lint", str(f))
    out = r.stdout.decode()
    assert r.returncode == 1 and "requires-allow" in out and "body-forbidden" in out
    assert "2 responses" in out


HOSTILE = {
    "binary": (b"\x7fELF\x02\x01\x01\x00" * 64, b"does not look like an HTTP response"),
    "truncated": (b"HTTP/1.1 200 OK\r\nContent-Type: te", b"truncated"),
    "1mb-header-line": (b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * (1 << 20) + b"\r\n\r\n",
                        b"longer than the limit"),
    "truncated-har": (b'{"log": {"entries": [{"response": {"status": 200, "headers": [',
                      b"truncated"),
    "not-har": (b'{"not": "a har"}', b"not a HAR"),
    "empty": (b"", b"no HTTP response"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_lint_hostile_input_clear_error(name, tmp_path):
    data, msg = HOSTILE[name]
    f = tmp_path / "in"
    f.write_bytes(data)
    r = run("lint", str(f))
    assert r.returncode == 2 and msg in r.stderr, r.stderr[:300]
    r = run("lint", "-", input=data)
    assert r.returncode == 2 and msg in r.stderr, r.stderr[:300]


def peak_kib(*args):
    """Runs BIN with args from a fresh Python whose only child it is, and
    returns (exit status, stdout, the child's peak resident size in KiB)."""
    code = ("import resource, subprocess, sys; "
            "r = subprocess.run(sys.argv[1:], capture_output=True); "
            "sys.stdout.buffer.write(r.stdout); "
            "sys.stderr.write('%d %d' % (r.returncode, "
            "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))")
    r = subprocess.run(["/usr/bin/python3", "-c", code, BIN, *args], capture_output=True,
                       timeout=180)
    rc, kib = map(int, r.stderr.split()[-2:])
    return rc, r.stdout, kib


def write_har(path, entries, body_bytes):
    """A HAR file of `entries` entries, each with a body text of body_bytes."""
    text = "x" * body_bytes
    with open(path, "w") as f:
        f.write('{"log": {"version": "1.2", "creator": {"name": "t", "version": "1"}, "entries": [')
        for i in range(entries):
            status = 405 if i % 2 else 200
            f.write(("," if i else "") + json.dumps({
                "startedDateTime": "2026-12-07T04:00:00Z", "time": 1,
                "request": {"method": "GET", "url": f"https://a.example/{i}", "httpVersion": "h2",
                            "headers": [{"name": "accept", "value": "*/*"}], "cookies": [],
                            "queryString": [], "headersSize": -1, "bodySize": 0},
                "response": {"status": status, "statusText": "", "httpVersion": "h2",
                             "headers": [{"name": "content-type", "value": "text/plain"}],
                             "cookies": [], "redirectURL": "", "headersSize": -1,
                             "bodySize": body_bytes,
                             "content": {"size": body_bytes, "mimeType": "text/plain",
                                         "text": text}},
                "cache": {}, "timings": {"send": 0, "wait": 1, "receive": 0}}))
        f.write("]}}\n")


def test_lint_50mb_har_in_bounded_memory(tmp_path):
    har = tmp_path / "big.har"
    write_har(har, 50, 1 << 20)  # 50 entries of 1 MiB bodies: > 50 MB
    assert har.stat().st_size > 50 * 1000 * 1000
    rc, out, kib = peak_kib("lint", "--json", str(har))
    doc = json.loads(out)
    assert len(doc["responses"]) == 50
    assert rc == 1  # the 405s have no Allow
    assert sum("requires-allow" in {f["id"] for f in x["findings"]}
               for x in doc["responses"]) == 25
    if not os.environ.get("HS_SANITIZED"):
        # the file is 50 MB; the reader keeps a 64 KiB buffer and one entry's fields
        assert kib < 16 * 1024, kib


# ---------------------------------------------------------------- /lint on the web reference

def test_web_lint_json_api_matches_the_cli(tls_srv):
    import requests
    msg = BROKEN[b"/405"] + BROKEN[b"/204-body"]
    r = requests.post(f"http://127.0.0.1:{tls_srv.port}/lint", data=msg, timeout=5)
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/json"
    web = r.json()
    cli = json.loads(run("lint", "--json", "-", input=msg).stdout)
    assert web["error"] is None
    assert [[f["id"] for f in x["findings"]] for x in web["responses"]] == \
        [[f["id"] for f in x["findings"]] for x in cli["responses"]]
    zh = requests.post(f"http://127.0.0.1:{tls_srv.port}/lint?lang=zh", data=msg, timeout=5).json()
    assert zh["responses"][0]["findings"][0]["title"] != web["responses"][0]["findings"][0]["title"]
    r = requests.post(f"http://127.0.0.1:{tls_srv.port}/lint", data=b"\x00\x01garbage", timeout=5)
    assert r.status_code == 422 and "does not look like an HTTP response" in r.json()["error"]
    page = requests.get(f"http://127.0.0.1:{tls_srv.port}/lint", timeout=5)
    assert page.status_code == 200 and "<textarea" in page.text
