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
    ("usage_bad_iis", ["iis", "4x3.1"], {}, 2),
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


@pytest.mark.parametrize("args", [["--json", "404"], ["--json", "4xx"], ["--json", "search", "超时"],
                                  ["--json", "list", "all"], ["--json", "list", "classes"],
                                  ["--json", "ftp", "530"], ["--json", "iis", "403.14"],
                                  ["--json", "ws", "1008"], ["--json", "499"],
                                  ["--json", "299"], ["--json", "search", "qqqzzz"]])
def test_json_is_valid(args):
    p = run(args)
    doc = json.loads(p.stdout.decode())
    assert isinstance(doc, (list, dict))


def test_json_record_fields():
    doc = json.loads(run(["--json", "405"]).stdout)
    assert len(doc) == 1
    r = doc[0]
    assert r["code"] == 405 and r["phrase"] == "Method Not Allowed"
    assert r["requires"] == ["Allow"] and r["cacheable"] is True
    assert r["summary"]["en"] and r["summary"]["zh"]
    doc = json.loads(run(["--json", "--lang", "zh", "204"]).stdout)
    assert doc[0]["body_allowed"] is False


def test_json_list_all_counts():
    doc = json.loads(run(["--json", "list", "all"]).stdout)
    ns = {r["namespace"] for r in doc}
    assert ns == {"http", "http-vendor", "iis", "ftp", "ws"}
    assert sum(1 for r in doc if r["namespace"] == "http") == 64


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
