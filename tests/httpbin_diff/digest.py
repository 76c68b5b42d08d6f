"""A hand-written HTTP Digest client (RFC 7616 / RFC 2617) for the differential
test: MD5, SHA-256 and SHA-512, qop "auth", "auth-int" or none.  requests'
HTTPDigestAuth cannot do auth-int or drive the stale/cookie variants step by
step, and we want to see every 401 on the way."""
import hashlib
import os
import re

_HASH = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256, "SHA-512": hashlib.sha512}

_PARAM = re.compile(r'\s*([A-Za-z0-9_-]+)\s*=\s*("((?:[^"\\]|\\.)*)"|[^,\s]*)\s*,?')


def parse_challenge(value):
    """'Digest realm="x", nonce="y", qop="auth, auth-int", stale=FALSE' ->
    ("digest", {"realm": "x", ...}).  Parameter names are lower-cased."""
    if not value:
        return None, {}
    scheme, _, rest = value.strip().partition(" ")
    params = {}
    for m in _PARAM.finditer(rest):
        name = m.group(1).lower()
        val = m.group(3) if m.group(3) is not None else m.group(2)
        params[name] = val.replace('\\"', '"')
    return scheme.lower(), params


def H(data, algorithm):
    return _HASH.get((algorithm or "MD5").upper(), hashlib.md5)(data).hexdigest()


def authorization(challenge, method, uri, username, password, body=b"",
                  qop=None, nc=1, cnonce=None, algorithm=None):
    """Builds the Authorization header value answering `challenge` (params
    dict from parse_challenge).  qop: None = pick "auth" when offered, else the
    first offered; "" = send no qop (RFC 2069 style)."""
    algorithm = algorithm or challenge.get("algorithm", "MD5")
    offered = [q.strip() for q in challenge.get("qop", "").split(",") if q.strip()]
    if qop is None:
        qop = "auth" if "auth" in offered else (offered[0] if offered else "")
    realm = challenge.get("realm", "")
    nonce = challenge.get("nonce", "")
    cnonce = cnonce or os.urandom(8).hex()
    ncs = "%08x" % nc
    ha1 = H(("%s:%s:%s" % (username, realm, password)).encode(), algorithm)
    if qop == "auth-int":
        ha2 = H(b"%s:%s:%s" % (method.encode(), uri.encode(), H(body, algorithm).encode()), algorithm)
    else:
        ha2 = H(("%s:%s" % (method, uri)).encode(), algorithm)
    if qop:
        resp = H(("%s:%s:%s:%s:%s:%s" % (ha1, nonce, ncs, cnonce, qop, ha2)).encode(), algorithm)
    else:
        resp = H(("%s:%s:%s" % (ha1, nonce, ha2)).encode(), algorithm)
    parts = ['username="%s"' % username, 'realm="%s"' % realm, 'nonce="%s"' % nonce,
             'uri="%s"' % uri, "algorithm=%s" % algorithm, 'response="%s"' % resp]
    if "opaque" in challenge:
        parts.append('opaque="%s"' % challenge["opaque"])
    if qop:
        parts += ["qop=%s" % qop, "nc=%s" % ncs, 'cnonce="%s"' % cnonce]
    return "Digest " + ", ".join(parts)
