"""Golden and behaviour tests of the `httpstatus` command.

Golden files live in tests/cli/golden/<name>.out (stdout) and record the exit
status on their first line. Regenerate them after a deliberate change with
UPDATE_GOLDEN=1 and review the diff.
"""
import json
import os
import pty
import select
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = os.environ.get("HTTPSTATUS_BIN", str(ROOT / "build" / "httpstatus"))
GOLDEN = Path(__file__).parent / "golden"
BASE_ENV = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8",
            "COLUMNS": "80"}
for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS"):
    if k in os.environ:
        BASE_ENV[k] = os.environ[k]


def run(args, env=None, **kw):
    e = dict(BASE_ENV)
    e.update(env or {})
    return subprocess.run([BIN] + args, capture_output=True, env=e, timeout=30, **kw)


# name, args, env, expected exit status
CASES = [
    ("http_404", ["404"], {}, 0),
    ("http_413", ["413"], {}, 0),
    ("http_418_brief", ["--brief", "418"], {}, 0),
    ("http_499_vendor", ["499"], {}, 0),
    ("http_class_4xx", ["4xx"], {}, 0),
    ("http_name", ["too many requests"], {}, 0),
    ("http_old_name", ["Payload Too Large", "--brief"], {}, 0),
    ("http_unassigned_299", ["299"], {}, 1),
    ("http_unassigned_600", ["600"], {}, 1),
    ("http_unknown_name", ["no such thing"], {}, 1),
    ("search_too_many", ["search", "too many"], {}, 0),
    ("search_zh_timeout", ["search", "超时"], {}, 0),
    ("search_teapot", ["search", "teapot"], {}, 0),
    ("search_nothing", ["search", "qqqzzzxx"], {}, 1),
    ("ftp_530", ["ftp", "530"], {}, 0),
    ("ftp_class_5xx", ["ftp", "5xx"], {}, 0),
    ("ftp_unassigned_299", ["ftp", "299"], {}, 1),
    ("ws_1008", ["ws", "1008"], {}, 0),
    ("ws_1006", ["ws", "1006"], {}, 0),
    ("ws_unassigned_4001", ["ws", "4001"], {}, 1),
    ("iis_403_14", ["iis", "403.14"], {}, 0),
    ("iis_403_list", ["iis", "403"], {}, 0),
    ("iis_unknown", ["iis", "403.999"], {}, 1),
    ("lang_zh_404", ["--lang", "zh", "404"], {}, 0),
    ("lang_env_zh", ["--brief", "503"], {"LANG": "zh_CN.UTF-8"}, 0),
    ("lang_lc_all_wins", ["--brief", "503"], {"LANG": "zh_CN.UTF-8", "LC_ALL": "en_US.UTF-8"}, 0),
    ("json_404", ["--json", "404"], {}, 0),
    ("json_unassigned", ["--json", "299"], {}, 1),
    ("list_ws", ["list", "ws"], {}, 0),
    ("list_classes", ["list", "classes"], {}, 0),
    ("help", ["--help"], {}, 0),
    ("usage_no_args", [], {}, 2),
    ("usage_bad_option", ["--frobnicate"], {}, 2),
    ("usage_bad_lang", ["--lang", "fr", "404"], {}, 2),
    ("usage_ns_without_code", ["ftp"], {}, 2),
    ("usage_bad_list", ["list", "nope"], {}, 2),
    ("iis_not_a_code", ["iis", "4x3.1"], {}, 1),
    ("usage_bad_field", ["--field", "colour", "404"], {}, 2),
    ("usage_json_and_field", ["--json", "--url", "404"], {}, 2),
    # issue 12: what a new user typed or pasted
    ("paste_status_line", ["--brief", "HTTP/1.1 503 Service Unavailable"], {}, 0),
    ("paste_error_404", ["--brief", "error 404"], {}, 0),
    ("paste_leading_space", ["--brief", " 404"], {}, 0),
    ("paste_fullwidth", ["--brief", "４０４"], {}, 0),
    ("pattern_45x", ["45x"], {}, 0),
    ("pattern_4x4", ["4x4"], {}, 0),
    ("pattern_30_12", ["30[12]"], {}, 0),
    ("pattern_ws_10xx", ["ws", "10xx"], {}, 0),
    ("pattern_none", ["6x9"], {}, 1),
    ("name_teapot", ["--brief", "teapot"], {}, 0),
    ("name_gateway", ["gateway"], {}, 0),
    ("name_shared", ["--brief", "Forbidden"], {}, 0),
    ("vendor_nginx", ["vendor", "nginx"], {}, 0),
    ("vendor_key_code", ["--brief", "499 (nginx)"], {}, 0),
    ("ns_prefix_colon", ["--brief", "ws:1008"], {}, 0),
    ("bare_1008_is_ws", ["--brief", "1008"], {}, 0),
    ("bare_331_is_ftp", ["--brief", "331"], {}, 0),
    ("bare_530_see_also_ftp", ["--brief", "530"], {}, 0),
    ("http_331_unassigned", ["http", "331"], {}, 1),
    ("http_418_full", ["418"], {}, 0),
    ("http_206_brief", ["--brief", "206"], {}, 0),
    ("ftp_228_experimental", ["--brief", "ftp", "228"], {}, 0),
    ("zh_418_brief", ["--lang", "zh", "--brief", "418"], {}, 0),
    ("zh_444_brief", ["--lang", "zh", "--brief", "444"], {}, 0),
    ("search_zh_gateway_auto_zh", ["search", "网关"], {}, 0),
    ("url_404_418", ["--url", "404", "418"], {}, 0),
    ("field_phrase", ["--field", "phrase", "404", "418", "ws:1008"], {}, 0),
    ("json_404_999", ["--json", "404", "999"], {}, 1),
]


@pytest.mark.parametrize("name,args,env,rc", CASES, ids=[c[0] for c in CASES])
def test_golden(name, args, env, rc):
    p = run(args, env)
    assert p.returncode == rc, p.stderr.decode()
    assert b"\033[" not in p.stdout, "no colour when stdout is not a TTY"
    got = f"exit {p.returncode}\n" + p.stdout.decode()
    path = GOLDEN / f"{name}.out"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(got, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run with UPDATE_GOLDEN=1"
    assert got == path.read_text(encoding="utf-8")
    if rc == 2:
        assert p.stdout == b"" or name == "usage_no_args"
        assert b"httpstatus" in p.stderr


def test_version():
    p = run(["--version"])
    assert p.returncode == 0
    assert p.stdout.decode().startswith("httpstatus ")


def test_413_mentions_old_name():
    out = run(["413"]).stdout.decode()
    assert "Content Too Large" in out and "Payload Too Large" in out


def test_search_timeout_zh_finds_408_and_504():
    out = run(["search", "超时"]).stdout.decode()
    keys = [line.split()[0] for line in out.splitlines() if line.strip()]
    assert "408" in keys and "504" in keys


def test_search_teapot_finds_418_first():
    out = run(["search", "teapot"]).stdout.decode()
    assert out.split()[0] == "418"


RESULT_KEYS = {"query", "kind", "found", "total", "records", "classes", "see_also",
               "suggestions"}
JSON_ARGS = [["404"], ["4xx"], ["search", "超时"], ["list"], ["list", "all"], ["list", "classes"],
             ["list", "ws"], ["list", "nope"], ["ftp", "530"], ["ftp", "5xx"], ["iis", "403.14"],
             ["iis", "403"], ["iis", "403.999"], ["ws", "1008"], ["ws", "10xx"], ["499"],
             ["299"], ["999"], ["404", "999"], ["999", "404"], ["teapot"], ["gateway"],
             ["vendor", "nginx"], ["search", "qqqzzz"], ["search", "zzz"], ["no such thing"],
             ["HTTP/1.1 503 Service Unavailable"], ["４０４"], ["30[12]"], ["1008"], ["331"],
             ["iis", "4x3.1"], [], ["--frobnicate"], ["ftp"]]


@pytest.mark.parametrize("args", JSON_ARGS, ids=[" ".join(a) or "none" for a in JSON_ARGS])
def test_json_is_one_document_of_one_shape(args):
    """Every sub-command prints one JSON array of result objects of one shape, or
    (usage errors, exit 2) nothing at all on stdout."""
    p = run(["--json"] + args)
    if p.returncode == 2:
        assert p.stdout == b""
        return
    doc = json.loads(p.stdout.decode())
    assert isinstance(doc, list) and doc
    for res in doc:
        assert set(res) == RESULT_KEYS, set(res) ^ RESULT_KEYS
        assert isinstance(res["found"], bool) and isinstance(res["total"], int)
        for k in ("records", "classes", "see_also", "suggestions"):
            assert isinstance(res[k], list)
        for r in res["records"]:
            assert {"namespace", "code", "key", "phrase", "summary", "url"} <= set(r)
        for r in res["see_also"] + res["suggestions"]:
            assert set(r) == {"namespace", "key", "code", "phrase", "phrase_zh"}
    found = all(r["found"] for r in doc)
    assert p.returncode == (0 if found else 1)


def test_json_one_result_per_query():
    doc = json.loads(run(["--json", "404", "999", "teapot"]).stdout)
    assert [r["query"] for r in doc] == ["404", "999", "teapot"]
    assert [r["found"] for r in doc] == [True, False, True]
    assert doc[1]["suggestions"] and doc[2]["records"][0]["code"] == 418


def test_json_record_fields():
    doc = json.loads(run(["--json", "405"]).stdout)
    assert len(doc) == 1 and len(doc[0]["records"]) == 1
    r = doc[0]["records"][0]
    assert r["code"] == 405 and r["phrase"] == "Method Not Allowed"
    assert r["requires"] == ["Allow"] and r["cacheable"] is True
    assert r["summary"]["en"] and r["summary"]["zh"]
    doc = json.loads(run(["--json", "--lang", "zh", "204"]).stdout)
    assert doc[0]["records"][0]["body_allowed"] is False


def test_json_list_all_counts():
    doc = json.loads(run(["--json", "list", "all"]).stdout)
    recs = doc[0]["records"]
    ns = {r["namespace"] for r in recs}
    assert ns == {"http", "http-vendor", "iis", "ftp", "ws"}
    assert sum(1 for r in recs if r["namespace"] == "http") == 64
    assert doc[0]["total"] == len(recs)


def run_tty(args, env):
    """Run under a pseudo-terminal and return everything it printed."""
    e = dict(BASE_ENV)
    e.update(env)
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(BIN, [BIN] + args, e)
    out = b""
    deadline = time.time() + 20
    while time.time() < deadline:
        r, _, _ = select.select([fd], [], [], 1)
        if not r:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.waitpid(pid, 0)
    os.close(fd)
    return out


def test_colour_only_on_tty():
    assert b"\033[" in run_tty(["404"], {})


def test_no_color_env_disables_colour_on_tty():
    assert b"\033[" not in run_tty(["404"], {"NO_COLOR": "1"})


def test_no_color_flag():
    assert b"\033[" not in run_tty(["--no-color", "404"], {})


# Inputs people paste or type, each with the record it must find (same as golden
# cases, but checked through --field so a wording change does not hide a miss).
PARSED = [("HTTP/1.1 503 Service Unavailable", "http 503"), ("error 404", "http 404"),
          (" 404", "http 404"), ("４０４", "http 404"), ("HTTP/2 404", "http 404"),
          ("status: 502", "http 502"), ("'404'", "http 404"), ("ws:1008", "ws 1008"),
          ("499 (nginx)", "http-vendor 499 (nginx)"), ("403.14", "iis 403.14"),
          ("iis:403.14", "iis 403.14"), ("I'm a teapot", "http 418"), ("teapot", "http 418"),
          ("IM_A_TEAPOT", "http 418"), ("CLOSE_GOING_AWAY", "ws 1001"), ("Reply With", "http-vendor 449 (iis)"),
          ("1008", "ws 1008"), ("331", "ftp 331"), ("６３１", "ftp 631")]


@pytest.mark.parametrize("text,want", PARSED, ids=[p[0] for p in PARSED])
def test_parsed_inputs(text, want):
    ns = run(["--field", "namespace", text]).stdout.decode().split("\n")[0]
    key = run(["--field", "key", text]).stdout.decode().split("\n")[0]
    assert f"{ns} {key}" == want


def values(args):
    """The value column of --field lines ("KEY<TAB>VALUE" when an answer has several records)."""
    return [ln.split("\t")[-1] for ln in run(args).stdout.decode().splitlines()]


def test_patterns_match_exactly():
    assert values(["--field", "code", "30[12]"]) == ["301", "302"]
    assert values(["--field", "code", "4x4"]) == ["404", "414", "424", "444", "464", "494"]
    got = values(["--field", "code", "ws", "10x[0-2]"])
    assert got == ["1000", "1001", "1002", "1010", "1011", "1012"]


def test_chinese_search_answers_in_chinese():
    out = run(["search", "网关"]).stdout.decode()
    assert "网关错误" in out and "Bad Gateway" not in out
    out = run(["--lang", "en", "search", "网关"]).stdout.decode()
    assert "Bad Gateway" in out


# ---- issue 25: what a script sees

def test_field_lines_are_labelled_for_several_records():
    """Line n answers record n: labelled, and a missing value is "-", never skipped."""
    out = run(["--url", "499"]).stdout.decode().splitlines()
    assert [ln.split("\t")[0] for ln in out] == ["http-vendor 499 (nginx)", "http-vendor 499 (esri)"]
    r = run(["--url", "4xx"])
    assert r.returncode == 0, r.stderr
    lines = r.stdout.decode().splitlines()
    assert all("\t" in ln and ln.split("\t")[1] for ln in lines)
    assert run(["--field", "aliases", "200"]).stdout.decode() == "-\n"
    assert run(["--field", "phrase", "404"]).stdout.decode() == "Not Found\n"


def test_exact_names_just_answer():
    for query, key in (("未找到", "404"), ("网关超时", "504"), ("teapot", "418"), ("Gateway Timeout", "504")):
        r = run([query])
        assert r.returncode == 0
        out = r.stdout.decode()
        assert "No status code is named" not in out and "没有名为" not in out, out[:200]
        assert values(["--field", "key", query])[0] == key


def test_plain_integers_are_explained_like_600():
    for q in ("0", "99", "-1", "600"):
        r = run(["--", q])
        assert r.returncode == 1
        assert "is not a registered http code" in r.stdout.decode(), q
        assert "Nearest registered codes" in r.stdout.decode()


def test_empty_and_huge_queries_are_usage_errors():
    r = run([""])
    assert r.returncode == 2 and b"empty query" in r.stderr
    big = "a" * 100_000
    r = run([big])
    assert r.returncode == 2 and b"at most 512 bytes" in r.stderr
    assert len(r.stdout) + len(r.stderr) < 1000  # the query is not echoed back
    r = run(["search", big])
    assert r.returncode == 2 and b"512 bytes" in r.stderr


def test_queries_from_stdin():
    p = subprocess.run([BIN, "--field", "phrase", "-"], input=b"404\n\n  418  \n503\n",
                       capture_output=True, env=BASE_ENV, timeout=30)
    assert p.returncode == 0
    assert p.stdout.decode().splitlines() == ["Not Found", "I'm a teapot", "Service Unavailable"]
    p = subprocess.run([BIN, "-"], input=b"404\nno-such-thing-at-all-zzzz\n", capture_output=True,
                       env=BASE_ENV, timeout=30)
    assert p.returncode == 1


def test_vendors_lists_every_vendor_key():
    r = run(["--json", "vendors"])
    assert r.returncode == 0
    vendors = {v["key"]: v["codes"] for v in json.loads(r.stdout)}
    assert vendors["nginx"][-1] == 499 and 444 in vendors["nginx"]
    assert vendors["aws"] == [460, 463, 464, 561]
    assert run(["vendor", "aws"]).returncode == 0


def test_shared_numbers_lead_with_the_common_meaning():
    assert values(["--field", "vendor", "499"])[0] == "nginx"
    assert values(["--field", "vendor", "420"])[0] == "Twitter API v1"
    assert values(["--field", "vendor", "530"])[0] == "Cloudflare"
