"""httpbin authentication: /basic-auth, /hidden-basic-auth, /bearer and
/digest-auth/{qop}/{user}/{passwd}[/{algorithm}[/{stale_after}]].

Digest auth goes through requests' HTTPDigestAuth and httpx's DigestAuth (qop
auth, MD5 / SHA-256 / SHA-512), curl --digest, and a hand-computed client
(RFC 7616 §3.4) for every qop (auth, auth-int, none = RFC 2069) and
algorithm, which the libraries cannot all do."""
import base64
import hashlib
import json
import os
import re
import subprocess

import httpx
import pytest
import requests
from requests.auth import HTTPDigestAuth

from rawhttp import read_responses_from, request

T = 5
ALGS = ("MD5", "SHA-256", "SHA-512")
HASH = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256, "SHA-512": hashlib.sha512}
HEXLEN = {"MD5": 32, "SHA-256": 64, "SHA-512": 128}


def raw(srv, target, headers=(), body=b"", method="GET"):
    with srv.connect(timeout=T) as s:
        s.sendall(request(method, target, host=f"127.0.0.1:{srv.port}", headers=headers, body=body))
        (r,) = read_responses_from(s, 1, head=(0,) if method == "HEAD" else (), timeout=T)
    return r


def basic(user, pw):
    return ("Authorization", "Basic " + base64.b64encode(f"{user}:{pw}".encode()).decode())


# ---- Basic

def test_basic_auth_requests_httpx_curl(srv):
    url = srv.url + "/basic-auth/user/passwd"
    r = requests.get(url, auth=("user", "passwd"), timeout=T)
    assert r.status_code == 200 and r.json() == {"authenticated": True, "user": "user"}
    assert r.headers["Content-Type"] == "application/json"
    r = httpx.get(url, auth=("user", "passwd"), timeout=T)
    assert r.status_code == 200 and r.json()["user"] == "user"
    out = subprocess.run(["curl", "-s", "--max-time", str(T), "-u", "user:passwd", url],
                         capture_output=True, timeout=T + 2, check=True).stdout
    assert json.loads(out) == {"authenticated": True, "user": "user"}


@pytest.mark.parametrize("auth", [("user", "nope"), ("other", "passwd"), ("user", "passwd2"), ("", "")])
def test_basic_auth_wrong(srv, auth):
    r = requests.get(srv.url + "/basic-auth/user/passwd", auth=auth, timeout=T)
    assert r.status_code == 401 and r.headers["WWW-Authenticate"] == 'Basic realm="Fake Realm"'
    assert r.content == b"" and "Content-Type" not in r.headers


@pytest.mark.parametrize("value", [None, "Basic", "Basic ", "Basic !!!", "Basic dXNlcg==",  # no colon
                                   "Basic dXNlcjpwYXNzd2Q", "Bearer dXNlcjpwYXNzd2Q=", "basicdXNlcjpwYXNzd2Q=",
                                   "Basic /w==", "Digest username=user"])
def test_basic_auth_malformed(srv, value):
    r = raw(srv, "/basic-auth/user/passwd", headers=(("Authorization", value),) if value else ())
    assert r.status == 401 and r.header("WWW-Authenticate") == 'Basic realm="Fake Realm"'


def test_basic_auth_lenient_like_werkzeug(srv):
    # scheme in any case, junk characters skipped by the base64 decoder
    r = raw(srv, "/basic-auth/user/passwd", headers=(("Authorization", "bAsIc  dXNl!cjpw YXNzd2Q="),))
    assert r.status == 200
    r = raw(srv, "/basic-auth/u/p:q", headers=(basic("u", "p:q"),))   # password may hold ':'
    assert r.status == 200


def test_basic_auth_utf8_and_escaped_path(srv):
    r = requests.get(srv.url + "/basic-auth/%C3%A9t%C3%A9/p%20w", auth=("été".encode(), "p w"), timeout=T)
    assert r.status_code == 200 and r.json() == {"authenticated": True, "user": "été"}


def test_hidden_basic_auth(srv):
    url = srv.url + "/hidden-basic-auth/user/passwd"
    r = requests.get(url, auth=("user", "passwd"), timeout=T)
    assert r.status_code == 200 and r.json() == {"authenticated": True, "user": "user"}
    for auth in (None, ("user", "bad")):
        r = requests.get(url, auth=auth, timeout=T)
        assert r.status_code == 404 and "WWW-Authenticate" not in r.headers and r.content == b""
        assert r.headers["Content-Type"] == "text/html; charset=utf-8"


@pytest.mark.parametrize("path", ["/basic-auth/user", "/basic-auth/user/", "/basic-auth//p",
                                  "/basic-auth/a/b/c", "/hidden-basic-auth/x", "/basic-auth"])
def test_basic_auth_paths_404(srv, path):
    assert raw(srv, path, headers=(basic("user", "passwd"),)).status == 404


# ---- Bearer

@pytest.mark.parametrize("value,token", [("Bearer tok123", "tok123"), ("bearer abc.def-_~+/=", "abc.def-_~+/="),
                                         ("Bearer   spaced  ", "spaced")])
def test_bearer_ok(srv, value, token):
    r = requests.get(srv.url + "/bearer", headers={"Authorization": value}, timeout=T)
    assert r.status_code == 200 and r.json() == {"authenticated": True, "token": token}


@pytest.mark.parametrize("value", [None, "Bearer", "Bearer ", "Basic dTpw", "Bearer a b", "Token abc", "Bearerabc"])
def test_bearer_refused(srv, value):
    r = raw(srv, "/bearer", headers=(("Authorization", value),) if value is not None else ())
    assert r.status == 401 and r.header("WWW-Authenticate") == "Bearer" and r.body == b""


def test_bearer_httpx(srv):
    r = httpx.get(srv.url + "/bearer", headers={"Authorization": "Bearer xyz"}, timeout=T)
    assert r.json()["token"] == "xyz"


# ---- Digest: libraries

@pytest.mark.parametrize("alg", ALGS)
def test_digest_requests(srv, alg):
    r = requests.get(srv.url + f"/digest-auth/auth/user/passwd/{alg}", auth=HTTPDigestAuth("user", "passwd"),
                     timeout=T)
    assert r.status_code == 200 and r.json() == {"authenticated": True, "user": "user"}
    assert r.history[0].status_code == 401
    ch = r.history[0].headers["WWW-Authenticate"]
    assert f"algorithm={alg}" in ch and 'qop="auth"' in ch
    assert len(re.search(r'nonce="([0-9a-f]+)"', ch).group(1)) == HEXLEN[alg]
    assert len(re.search(r'opaque="([0-9a-f]+)"', ch).group(1)) == HEXLEN[alg]


@pytest.mark.parametrize("alg", ALGS)
def test_digest_requests_wrong_password(srv, alg):
    r = requests.get(srv.url + f"/digest-auth/auth/user/passwd/{alg}", auth=HTTPDigestAuth("user", "nope"),
                     timeout=T)
    assert r.status_code == 401 and r.headers["WWW-Authenticate"].startswith("Digest ")


def test_digest_requests_both_qops_offered(srv):
    r = requests.get(srv.url + "/digest-auth/none/user/passwd", auth=HTTPDigestAuth("user", "passwd"), timeout=T)
    assert r.status_code == 200
    assert 'qop="auth, auth-int"' in r.history[0].headers["WWW-Authenticate"]


def test_digest_requests_query_string(srv):
    # the query is part of the digest uri (docs/httpbin-compat.md, difference 9)
    r = requests.get(srv.url + "/digest-auth/auth/user/passwd/SHA-256?x=1&require-cookie=1",
                     auth=HTTPDigestAuth("user", "passwd"), timeout=T)
    assert r.status_code == 200 and r.json()["user"] == "user"


@pytest.mark.parametrize("alg", ALGS)
def test_digest_httpx(srv, alg):
    with httpx.Client(timeout=T) as c:
        r = c.get(srv.url + f"/digest-auth/auth/user/passwd/{alg}", auth=httpx.DigestAuth("user", "passwd"))
    assert r.status_code == 200 and r.json() == {"authenticated": True, "user": "user"}


@pytest.mark.parametrize("alg", ["MD5", "SHA-256"])
def test_digest_curl(srv, alg):
    out = subprocess.run(["curl", "-s", "--max-time", str(T), "--digest", "-u", "user:passwd",
                          "-w", "\n%{http_code}", srv.url + f"/digest-auth/auth/user/passwd/{alg}"],
                         capture_output=True, text=True, timeout=T + 2, check=True).stdout
    body, code = out.rsplit("\n", 1)
    assert code == "200" and json.loads(body)["authenticated"] is True


def test_digest_stale_after_with_requests_session(srv):
    # /MD5/1: 200 (sets stale_after=0); the next request is stale. requests
    # retries the stale=TRUE challenge once but re-sends its old Cookie header
    # (prepare_cookies does not replace it), so that request ends in 401 — the
    # same happens against httpbin — and the one after succeeds again.
    url = srv.url + "/digest-auth/auth/user/passwd/MD5/1"
    with requests.Session() as s:
        s.auth = HTTPDigestAuth("user", "passwd")
        r1 = s.get(url, timeout=T)
        assert r1.status_code == 200 and s.cookies.get("stale_after") == "0"
        r2 = s.get(url, timeout=T)
        assert r2.status_code == 401 and [h.status_code for h in r2.history] == [401]
        assert "stale=TRUE" in r2.headers["WWW-Authenticate"]
        assert s.cookies.get("stale_after") == "1"
        r3 = s.get(url, timeout=T)
        assert r3.status_code == 200 and r3.json()["authenticated"] is True


# ---- Digest: a hand-computed client

def H(data, alg):
    return HASH[alg](data).hexdigest()


def challenge_params(value):
    scheme, _, rest = value.partition(" ")
    assert scheme == "Digest"
    return {m.group(1): m.group(3) if m.group(3) is not None else m.group(2)
            for m in re.finditer(r'(\w+)=("([^"]*)"|[^,\s]*)', rest)}


def authorization(ch, method, uri, user, pw, qop, alg, body=b"", nc="00000001", cnonce=None, nonce=None):
    nonce = nonce or ch["nonce"]
    cnonce = cnonce or os.urandom(8).hex()
    ha1 = H(f"{user}:{ch['realm']}:{pw}".encode(), alg)
    if qop == "auth-int":
        ha2 = H(f"{method}:{uri}:{H(body, alg)}".encode(), alg)
    else:
        ha2 = H(f"{method}:{uri}".encode(), alg)
    if qop:
        resp = H(f"{ha1}:{nonce}:{nc}:{cnonce}:{qop}:{ha2}".encode(), alg)
    else:
        resp = H(f"{ha1}:{nonce}:{ha2}".encode(), alg)
    v = (f'Digest username="{user}", realm="{ch["realm"]}", nonce="{nonce}", uri="{uri}", '
         f'algorithm={alg}, response="{resp}", opaque="{ch["opaque"]}"')
    if qop:
        v += f', qop={qop}, nc={nc}, cnonce="{cnonce}"'
    return v


def cookies_of(resp):
    out = {}
    for line in resp.header_all("Set-Cookie"):
        name, _, rest = line.partition("=")
        out[name] = rest.split(";")[0]
    return out


def cookie_header(jar):
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def dance(srv, path, qop, alg, pw="passwd", body=b"", body_hashed=None, user="user"):
    """Challenge then one answer; returns (challenge, answer)."""
    ch = raw(srv, path)
    assert ch.status == 401 and ch.body == b""
    p = challenge_params(ch.header("WWW-Authenticate"))
    hdrs = [("Authorization", authorization(p, "GET", path, user, pw, qop, alg,
                                            body=body if body_hashed is None else body_hashed)),
            ("Cookie", cookie_header(cookies_of(ch)))]
    return ch, raw(srv, path, headers=hdrs, body=body)


@pytest.mark.parametrize("alg", ALGS)
@pytest.mark.parametrize("url_qop,qop", [("auth", "auth"), ("auth-int", "auth-int"), ("none", ""),
                                         ("none", "auth"), ("none", "auth-int")])
def test_digest_hand_client_every_combination(srv, alg, url_qop, qop):
    path = f"/digest-auth/{url_qop}/user/passwd/{alg}"
    ch, r = dance(srv, path, qop, alg)
    p = challenge_params(ch.header("WWW-Authenticate"))
    assert p["realm"] == "me@kennethreitz.com" and p["algorithm"] == alg and p["stale"] == "FALSE"
    assert p["qop"] == {"auth": "auth", "auth-int": "auth-int", "none": "auth, auth-int"}[url_qop]
    assert cookies_of(ch) == {"stale_after": "never", "fake": "fake_value"}
    assert r.status == 200, r
    assert json.loads(r.body) == {"authenticated": True, "user": "user"}
    assert cookies_of(r) == {"fake": "fake_value", "stale_after": "never"}


@pytest.mark.parametrize("alg", ALGS)
def test_digest_auth_int_hashes_the_body(srv, alg):
    path = f"/digest-auth/auth-int/user/passwd/{alg}"
    _, r = dance(srv, path, "auth-int", alg, body=b"some content")
    assert r.status == 200
    ch, r = dance(srv, path, "auth-int", alg, body=b"some content", body_hashed=b"other content")
    assert r.status == 401 and "last_nonce" in cookies_of(r)


@pytest.mark.parametrize("alg", ALGS)
def test_digest_wrong_password_sets_last_nonce(srv, alg):
    path = f"/digest-auth/auth/user/passwd/{alg}"
    ch, r = dance(srv, path, "auth", alg, pw="wrong")
    assert r.status == 401
    nonce = challenge_params(ch.header("WWW-Authenticate"))["nonce"]
    assert cookies_of(r) == {"stale_after": "never", "last_nonce": nonce, "fake": "fake_value"}
    p2 = challenge_params(r.header("WWW-Authenticate"))
    assert p2["nonce"] != nonce and p2["stale"] == "FALSE"
    # replaying the refused nonce is stale
    hdrs = [("Authorization", authorization(p2, "GET", path, "user", "passwd", "auth", alg, nonce=nonce)),
            ("Cookie", cookie_header(cookies_of(r)))]
    r3 = raw(srv, path, headers=hdrs)
    assert r3.status == 401 and challenge_params(r3.header("WWW-Authenticate"))["stale"] == "TRUE"


def test_digest_stale_after_countdown(srv):
    path = "/digest-auth/auth/user/passwd/SHA-512/2"
    ch = raw(srv, path)
    jar = cookies_of(ch)
    assert jar["stale_after"] == "2"
    p = challenge_params(ch.header("WWW-Authenticate"))
    seen = []
    for _ in range(4):
        r = raw(srv, path, headers=[("Authorization", authorization(p, "GET", path, "user", "passwd", "auth",
                                                                    "SHA-512")),
                                    ("Cookie", cookie_header(jar))])
        seen.append((r.status, cookies_of(r).get("stale_after")))
        jar.update(cookies_of(r))
        if r.status == 401:
            p = challenge_params(r.header("WWW-Authenticate"))
            assert p["stale"] == "TRUE"
    assert seen == [(200, "1"), (200, "0"), (401, "2"), (200, "1")]


def test_digest_require_cookie(srv):
    path = "/digest-auth/auth/user/passwd?require-cookie=true"
    ch = raw(srv, path)
    p = challenge_params(ch.header("WWW-Authenticate"))
    auth = ("Authorization", authorization(p, "GET", path, "user", "passwd", "auth", "MD5"))
    r = raw(srv, path, headers=[auth])                              # no Cookie at all: challenged again
    assert r.status == 401 and "last_nonce" not in cookies_of(r)
    r = raw(srv, path, headers=[auth, ("Cookie", "fake=wrong")])
    assert r.status == 403 and json.loads(r.body) == {"errors": ["missing cookie set on challenge"]}
    assert r.header_all("Set-Cookie") == ["fake=fake_value; Path=/"]
    r = raw(srv, path, headers=[auth, ("Cookie", cookie_header(cookies_of(ch)))])
    assert r.status == 200 and json.loads(r.body)["user"] == "user"


@pytest.mark.parametrize("value", ["Digest garbage", "Basic dXNlcjpwYXNzd2Q=", "Digest username=\"u\"",
                                   "Digest username=\"user\", realm=\"r\", nonce=\"n\", uri=\"/\", response=\"x\","
                                   " qop=auth", "Digest " + "a=b, " * 500, "Digest username=\"\\"])
def test_digest_malformed_authorization_gets_challenge(srv, value):
    r = raw(srv, "/digest-auth/auth/user/passwd", headers=(("Authorization", value),))
    assert r.status == 401 and r.header("WWW-Authenticate").startswith("Digest ")
    assert "last_nonce" not in cookies_of(r)


@pytest.mark.parametrize("alg_seg,alg", [("SHA-1", "MD5"), ("sha-256", "MD5"), ("MD5", "MD5"), ("SHA-256", "SHA-256")])
def test_digest_algorithm_segment(srv, alg_seg, alg):
    r = raw(srv, f"/digest-auth/auth/user/passwd/{alg_seg}")
    assert f"algorithm={alg}," in r.header("WWW-Authenticate")


@pytest.mark.parametrize("path", ["/digest-auth/auth/user", "/digest-auth/auth/user/passwd/MD5/1/x",
                                  "/digest-auth//user/passwd", "/digest-auth/auth/user/passwd/"])
def test_digest_paths_404(srv, path):
    assert raw(srv, path).status == 404


def test_digest_unicode_user(srv):
    path = "/digest-auth/auth/%C3%A9/p%C3%A0ss"
    ch = raw(srv, path)
    p = challenge_params(ch.header("WWW-Authenticate"))
    r = raw(srv, path, headers=[("Authorization", authorization(p, "GET", path, "e", "pàss", "auth", "MD5")
                                 .encode("utf-8").decode("latin-1"))])
    assert r.status == 200 and json.loads(r.body) == {"authenticated": True, "user": "é"}
