"""Self-check: every response httpstatus serve produces lints without an
error: /status/{code} for every registered code, every httpbin endpoint of the
differential test's table (tests/httpbin_diff/cases.py), and the reference
pages. Findings our server produces on purpose (418, 306, httpbin's CORS
headers, ...) are warnings whose catalogue entry says so ("expected").

    HTTPSTATUS_BIN=$PWD/build/httpstatus /usr/bin/python3 -m pytest -q \
        -p no:cacheprovider tests/integration/test_lint_selfcheck.py
"""
import json
import subprocess
import sys
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import BIN, Server

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from httpbin_diff.cases import CASES, DEFAULT_HEADERS  # noqa: E402


@pytest.fixture(scope="module")
def server():
    s = Server("--max-body", "1048576", "--h2c-listen", "127.0.0.1:0", workers=2)
    s.h2c_port = s.port_of("http", "HTTP/2 only")
    yield s
    s.close()


def check(url, method="GET", headers=(), data=None, extra=()):
    """One `httpstatus check` (no redirects followed): (status, error findings, doc)."""
    args = [BIN, "check", "--json", "--no-location", "--max-time", "20", "-X", method, *extra]
    for k, v in headers:
        args += ["-H", f"{k}: {v}" if v else f"{k};"]
    if data is not None:
        args += ["-d", data]
    r = subprocess.run(args + [url], capture_output=True, timeout=60)
    doc = json.loads(r.stdout)
    hop = doc["hops"][0] if doc["hops"] else {"status": None, "findings": []}
    errors = [f"{f['id']} [{f['detail']}]" for f in hop["findings"] if f["severity"] == "error"]
    assert doc["error"] is None, (url, doc["error"])
    return hop["status"], errors, r.returncode


def expected_ids():
    doc = json.loads(subprocess.run([BIN, "lint", "--rules", "--json"], capture_output=True,
                                    check=True).stdout)
    return {d["id"]: d for d in doc}


@pytest.mark.parametrize("h2", [False, True], ids=["http1.1", "h2c"])
def test_every_status_code_lints_without_error(server, registry, h2):
    def one(code):
        if h2:
            return code, check(f"http://127.0.0.1:{server.h2c_port}/status/{code}",
                               extra=["--http2-prior-knowledge"])
        return code, check(f"{server.url}/status/{code}")
    with ThreadPoolExecutor(4) as ex:
        results = list(ex.map(one, sorted(registry)))
    bad = {code: errs for code, (status, errs, rc) in results if errs}
    assert not bad, bad
    assert all(status == code or (code < 200 and status in (200, 400))
               for code, (status, _, _) in results), results


def case_request(c):
    """(method, url-suffix, headers, data) for a plain table case, or None."""
    if c.flow or c.files or c.auth or c.cookies:
        return None
    q = c.query
    if isinstance(q, (dict, list)):
        q = urllib.parse.urlencode(q, doseq=True)
    url = c.path + ("?" + q if q else "")
    headers = list(c.headers) if c.no_defaults else list(DEFAULT_HEADERS) + list(c.headers)
    data = None
    if c.form is not None:
        data = urllib.parse.urlencode(c.form, doseq=True)
        headers.append(("Content-Type", "application/x-www-form-urlencoded"))
    elif c.json is not None and c.json.__class__.__name__ != "object":
        data = json.dumps(c.json)
        headers.append(("Content-Type", "application/json"))
    elif isinstance(c.body, str):
        data = c.body
    elif isinstance(c.body, bytes):
        try:
            data = c.body.decode()
        except UnicodeDecodeError:
            return None
    if any(k.lower() == "host" for k, _ in headers):
        return None  # curl would send it to another virtual host
    if any("\0" in x for x in [url, data or ""] + [k + v for k, v in headers]):
        return None  # not expressible on a command line
    return c.method, url, headers, data


def test_every_httpbin_endpoint_lints_without_error(server):
    reqs = {}
    for c in CASES:
        r = case_request(c)
        if r and not r[1].startswith(("/delay", "/drip")):
            reqs[c.id] = r
    assert len(reqs) > 250

    def one(item):
        cid, (method, url, headers, data) = item
        return cid, check(server.url + url, method, headers, data)
    with ThreadPoolExecutor(4) as ex:
        results = list(ex.map(one, sorted(reqs.items())))
    bad = {cid: errs for cid, (status, errs, rc) in results if errs}
    assert not bad, bad
    assert len({r[1][0] for r in results}) > 10  # many different statuses were checked


REFERENCE = ["/", "/?lang=zh", "/codes/404", "/codes/404?lang=zh", "/codes/4xx", "/codes/vendor",
             "/codes/iis", "/codes/ftp", "/codes/ws", "/codes/499/nginx", "/search?q=timeout",
             "/api", "/codes/nope", "/lint"]


@pytest.mark.parametrize("path", REFERENCE)
@pytest.mark.parametrize("accept", ["text/html", "application/json", "text/plain"])
def test_reference_pages_lint_without_error(server, path, accept):
    status, errs, rc = check(server.url + path, headers=[("Accept", accept),
                                                         ("Accept-Encoding", "gzip, br")])
    assert status in (200, 404, 406), status
    assert not errs, errs


def test_deliberate_findings_are_documented(server):
    rules = expected_ids()
    for code, rid in [(418, "status-418"), (306, "status-306"), (304, "not-modified-unconditional"),
                      (206, "partial-not-requested")]:
        args = [BIN, "check", "--json", "--no-location", f"{server.url}/status/{code}"]
        doc = json.loads(subprocess.run(args, capture_output=True).stdout)
        found = {f["id"] for f in doc["hops"][0]["findings"]}
        assert rid in found, (code, found)
        assert rules[rid]["expected"] and rules[rid]["severity"] != "error"
