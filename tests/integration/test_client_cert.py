"""nginx's TLS-edge codes (issue 19): with --tls-client-ca the TLS listener
asks for a client certificate, and /client-cert answers as nginx's
`ssl_verify_client on|optional` does: 400 "No required SSL certificate was
sent" logged 496, 400 "The SSL certificate error" logged 495, or 200 with the
certificate's subject. X-Vendor-Status names the logged code. Certificates
are made by the openssl command in the test; clients are curl and requests.
(Plain HTTP on the TLS port, 497: test_tls.py.)

    HTTPSTATUS_BIN=$PWD/build/httpstatus /usr/bin/python3 -m pytest -q \
        -p no:cacheprovider tests/integration/test_client_cert.py
"""
import subprocess
import time

import pytest
import requests

from conftest import DEFAULT_ARGS, Server


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_ca(d, name):
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", f"{name}-key.pem", "-out", f"{name}.pem", "-days", "2",
            "-subj", f"/CN={name}", cwd=d)


def make_client(d, name, ca):
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", f"{name}-key.pem", "-out", f"{name}.csr", "-subj", f"/O=test/CN={name}",
            cwd=d)
    (d / "ext.cnf").write_text("extendedKeyUsage=clientAuth\n")
    openssl("x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.pem", "-CAkey", f"{ca}-key.pem",
            "-CAcreateserial", "-out", f"{name}.pem", "-days", "2", "-extfile", "ext.cnf", cwd=d)


@pytest.fixture(scope="module")
def cc(tmp_path_factory):
    d = tmp_path_factory.mktemp("cc")
    make_ca(d, "clientca")
    make_ca(d, "otherca")
    make_client(d, "alice", "clientca")  # verifies
    make_client(d, "mallory", "otherca")  # does not
    s = Server(*DEFAULT_ARGS, "--tls-listen", "127.0.0.1:0", "--tls-dir", str(d / "state"),
               "--tls-client-ca", str(d / "clientca.pem"))
    s.https = f"https://localhost:{s.port_of('https')}"
    s.ca = str(d / "state" / "ca.pem")
    s.d = d
    yield s
    s.close()


def get(cc, query="", who=None):
    cert = (str(cc.d / f"{who}.pem"), str(cc.d / f"{who}-key.pem")) if who else None
    return requests.get(cc.https + "/client-cert" + query, verify=cc.ca, cert=cert, timeout=5)


def test_no_certificate_on_is_400_logged_496(cc):
    r = get(cc, "?verify=on&n=1")
    assert r.status_code == 400 and r.headers["X-Vendor-Status"] == "496 nginx"
    assert "No required SSL certificate was sent" in r.text


def test_no_certificate_optional_is_200(cc):
    r = get(cc, "?verify=optional")
    assert r.status_code == 200 and r.json() == {"subject": "", "verified": False}


def test_valid_certificate_gives_its_subject(cc):
    r = get(cc, "?verify=on", "alice")
    assert r.status_code == 200 and r.json() == {"subject": "CN=alice,O=test", "verified": True}
    assert "X-Vendor-Status" not in r.headers


@pytest.mark.parametrize("verify", ["on", "optional"])
def test_unverified_certificate_is_400_logged_495(cc, verify):
    r = get(cc, f"?verify={verify}&n=2", "mallory")
    assert r.status_code == 400 and r.headers["X-Vendor-Status"] == "495 nginx"
    assert "The SSL certificate error" in r.text


def test_http2_with_curl(cc):
    d = cc.d
    r = subprocess.run(["curl", "-sS", "--http2", "--cacert", cc.ca, "--cert", str(d / "alice.pem"),
                        "--key", str(d / "alice-key.pem"), "-w", " %{http_version}",
                        cc.https + "/client-cert"], capture_output=True, text=True, timeout=10)
    assert r.stdout.endswith(" 2") and '"CN=alice,O=test"' in r.stdout, r.stdout + r.stderr
    r = subprocess.run(["curl", "-sS", "--http2", "--cacert", cc.ca, "-o", "/dev/null", "-w",
                        "%{http_code}", cc.https + "/client-cert"], capture_output=True, text=True,
                       timeout=10)
    assert r.stdout == "400"


def test_log_records_the_vendor_codes(cc):
    get(cc, "?verify=on&n=1")
    get(cc, "?verify=on&n=2", "mallory")
    deadline = time.monotonic() + 5
    while True:
        log = cc.access_log()
        if '"GET /client-cert?verify=on&n=1 HTTP/1.1" 496 ' in log and \
                '"GET /client-cert?verify=on&n=2 HTTP/1.1" 495 ' in log:
            break
        assert time.monotonic() < deadline, log[-600:]
        time.sleep(0.05)


def test_without_client_ca_the_endpoint_says_so(make_server, tmp_path):
    s = make_server(*DEFAULT_ARGS)
    r = requests.get(s.url + "/client-cert", timeout=5)
    assert r.status_code == 400 and "--tls-client-ca" in r.text
