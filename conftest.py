"""Skip policy for every pytest suite under tests/ (issue 25), the root conftest.py.

A green run must not hide a skip: a server that fails to start or a tool that is
missing has to fail the run, not turn a suite into skips. Every skip is printed
(pytest.ini: -rs) and, at the end, any skip whose reason matches no line of
tests/skips_allowed.txt turns the run's exit status into 1.

HS_ALLOW_SKIPS=1 switches the check off for a developer's partial run.
"""
import os
import re
from pathlib import Path

ALLOWED_FILE = Path(__file__).parent / "tests" / "skips_allowed.txt"
_skips = []


def allowed_patterns():
    """The regular expressions of tests/skips_allowed.txt (comments and blanks dropped)."""
    lines = ALLOWED_FILE.read_text(encoding="utf-8").splitlines()
    return [re.compile(ln) for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def skip_reason(report):
    """The reason text pytest gives a skipped report ("Skipped: ..." without the prefix)."""
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        text = str(longrepr[2])
    else:
        text = str(longrepr)
    return text[len("Skipped: "):] if text.startswith("Skipped: ") else text


def pytest_runtest_logreport(report):
    if report.skipped and not hasattr(report, "wasxfail"):
        _skips.append((report.nodeid, skip_reason(report)))


def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("HS_ALLOW_SKIPS") == "1" or not _skips:
        return
    patterns = allowed_patterns()
    bad = [(n, r) for n, r in _skips if not any(p.search(r) for p in patterns)]
    if not bad:
        return
    tr = session.config.pluginmanager.get_plugin("terminalreporter")
    write = tr.write_line if tr else print
    write("")
    write("SKIP POLICY: %d skip(s) not in tests/skips_allowed.txt:" % len(bad))
    for nodeid, reason in bad[:50]:
        write("  %s: %s" % (nodeid, reason.splitlines()[0][:200] if reason else ""))
    if session.exitstatus == 0:
        session.exitstatus = 1
