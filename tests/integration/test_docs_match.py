"""docs/server.md says which header values /status/{code} sends: the table under
"What /status/{code} sends" is read here and every row is checked against a real
server, over HTTP/1.1 (issue 25: docs that match behaviour).

    /usr/bin/python3 -m pytest -q tests/integration/test_docs_match.py
"""
import re
from pathlib import Path

import pytest
import requests

DOC = Path(__file__).resolve().parents[2] / "docs" / "server.md"
ROW = re.compile(r"^\s*\|\s*(\d{3})\s*\|\s*([A-Za-z-]+)\s*\|\s*`([^`]*)`\s*\|\s*$")


def documented_rows():
    """(code, header, value) for each row of the table in docs/server.md."""
    rows = [ROW.match(ln).groups() for ln in DOC.read_text(encoding="utf-8").splitlines()
            if ROW.match(ln)]
    return [(int(c), h, v) for c, h, v in rows]


ROWS = documented_rows()


def test_the_table_is_there():
    assert len(ROWS) >= 15
    assert {c for c, _, _ in ROWS} >= {201, 428, 429, 431, 511, 499}


@pytest.mark.parametrize("code,header,value", ROWS, ids=[f"{c}-{h}" for c, h, _ in ROWS])
def test_documented_header(srv, code, header, value):
    r = requests.get(f"{srv.url}/status/{code}", allow_redirects=False, timeout=5)
    assert r.status_code == code
    want = value.replace("{len}", str(len(r.content)))
    assert r.headers.get(header) == want, f"{code} {header}: {r.headers.get(header)!r}"


def test_vendor_numbers_answer_with_the_common_meaning(srv):
    r = requests.get(f"{srv.url}/status/499", timeout=5)
    assert r.status_code == 499 and r.reason == "Client Closed Request"
    assert r.json()["vendor"] == "nginx" and r.headers["Status-Vendor"] == "nginx"
    r = requests.get(f"{srv.url}/status/499?vendor=esri", timeout=5)
    assert r.json()["phrase"] == "Token Required" and r.headers["Status-Vendor"] == "esri"
    r = requests.get(f"{srv.url}/status/499?vendor=nope", timeout=5)
    assert r.status_code == 400 and "vendor=nginx, esri" in r.json()["error"]
    r = requests.get(f"{srv.url}/status/460", timeout=5)
    assert r.reason == "Client Closed Connection" and r.headers["Status-Vendor"] == "aws"
    r = requests.get(f"{srv.url}/status/432", timeout=5)
    assert r.reason == "Client Error" and "Status-Vendor" not in r.headers


def test_lang_parameter_picks_the_language(srv):
    r = requests.get(f"{srv.url}/status/404?lang=zh", timeout=5)
    assert r.json()["lang"] == "zh" and r.json()["phrase"] == "未找到"
    r = requests.get(f"{srv.url}/status/404?lang=en", headers={"Accept-Language": "zh"}, timeout=5)
    assert r.json()["lang"] == "en"


def test_serve_help_names_every_protocol():
    import subprocess
    from conftest import BIN
    out = subprocess.run([BIN, "serve", "--help"], capture_output=True, timeout=10).stdout.decode()
    assert out.splitlines()[2].startswith("An HTTP/1.1, HTTP/2 and HTTPS server")


def test_drip_ends_when_httpbin_does(srv):
    """httpbin sleeps after every byte, the last one too: with numbytes=5&duration=1
    &delay=1 the last byte arrives at ~1.8 s (both servers) and the exchange ends at
    ~2 s, so a second request on the same connection is answered after 2 s."""
    import time
    with requests.Session() as s:
        t = time.monotonic()
        r = s.get(f"{srv.url}/drip?numbytes=5&duration=1&delay=1", timeout=10)
        last_byte = time.monotonic() - t
        assert r.content == b"*****"
        assert s.get(f"{srv.url}/get", timeout=10).status_code == 200
        ended = time.monotonic() - t
    assert 1.75 <= last_byte < 3.0, last_byte
    assert 1.95 <= ended < 3.5, ended


def test_delay_cap_names_the_option(srv):
    r = requests.get(f"{srv.url}/delay/11", timeout=5)
    assert r.status_code == 400 and "--max-delay" in r.json()["error"] and "10 s" in r.json()["error"]
