"""HTTP/2 response field names go out in lower case (RFC 9113 §8.2.1), all
letters and only letters changed: h2_stream.c lowers eight bytes at a time,
so names of every length around 8 and 16 and the characters next to 'A'..'Z'
and 'a'..'z' in ASCII are checked, through curl (HTTP/2 prior knowledge)."""
import subprocess

import pytest

NAMES = [
    "X-A",
    "X-Abcdef",  # 8
    "X-Abcdefg",  # 9
    "X-0123^_`|~AZaz",  # 15: the tchars around the letter ranges
    "X-0123^_`|~AZazQ",  # 16
    "X-MiXeD-CaSe-Name-With-All-Letters-ABCDEFGHIJKLMNOPQRSTUVWXYZ",
]


@pytest.mark.parametrize("name", NAMES)
def test_h2_response_field_names_lower_case(srv, name):
    out = subprocess.run(
        ["curl", "-s", "-g", "-D", "-", "-o", "/dev/null", "--http2-prior-knowledge",
         f"{srv.url}/response-headers?{name}=v"],
        capture_output=True, text=True, timeout=20, check=True,
    ).stdout  # fmt: skip
    assert out.startswith("HTTP/2 200"), out
    names = [line.split(":", 1)[0] for line in out.splitlines()[1:] if ":" in line]
    assert name.lower() in names, names
    assert all(n == n.lower() for n in names), names
