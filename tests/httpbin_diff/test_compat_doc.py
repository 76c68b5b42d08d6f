"""docs/httpbin-compat.md must list every deliberate difference of the table,
with the reason string used in cases.py, and every endpoint of the table must
have its section in the fact sheet.  Needs no server."""
import re
from pathlib import Path

from .cases import ALL_REASONS, CASES, R_JSON_LAYOUT

DOC = Path(__file__).resolve().parents[2] / "docs" / "httpbin-compat.md"


def _flat(s):
    return re.sub(r"\s+", " ", s.replace("`", "")).strip()


def test_every_reason_is_documented():
    doc = _flat(DOC.read_text(encoding="utf-8"))
    used = {r for c in CASES for r in c.reasons}
    missing = [r for r in sorted(used | set(ALL_REASONS)) if _flat(r) not in doc]
    assert not missing, "reasons missing from %s:\n%s" % (DOC, "\n".join(missing))


def test_every_reason_is_used():
    used = {r for c in CASES for r in c.reasons}
    unused = [r for r in ALL_REASONS if r not in used and r != R_JSON_LAYOUT]  # global one
    assert not unused, "reasons no case uses: %s" % unused


def test_every_expected_difference_has_a_check():
    bad = [c.id for c in CASES if (c.expected_difference or c.ours_only) and c.check is None]
    assert not bad, bad
    bad = [c.id for c in CASES if c.ours_only and not c.expected_difference]
    assert not bad, "ours_only cases need a reason: %s" % bad


def test_enough_cases():
    assert len(CASES) >= 150, len(CASES)


def test_every_endpoint_has_a_section():
    doc = DOC.read_text(encoding="utf-8")
    documented = set()
    for line in re.findall(r"^#{3,4} .*$", doc, re.M):
        for p in re.findall(r"`(/[^`]*)`", line):
            seg = p.split("?")[0].split("/")
            documented.add("/" + seg[1].split(" ")[0] if len(seg) > 1 and seg[1] else "/")
    roots = set()
    for c in CASES:
        seg = c.path.split("?")[0].split("/")
        roots.add("/" + seg[1] if len(seg) > 1 else "/")
    missing = sorted(r for r in roots if r not in documented and r != "/does-not-exist")
    assert not missing, "endpoints without a section in the fact sheet: %s" % missing
