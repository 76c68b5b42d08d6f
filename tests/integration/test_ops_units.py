"""The systemd units in dist/systemd (issue 22): hardening scored by
`systemd-analyze security --offline=true` (exposure at most 2.0), and the
service's own command line run for real under systemd-socket-activate with the
socket unit's descriptor name, the way systemd would start it.

Run alone: HTTPSTATUS_BIN=build/httpstatus python3 -m pytest -q \
  tests/integration/test_ops_units.py
Needs systemd-analyze and systemd-socket-activate (Debian's systemd); a missing
tool fails the test, and a systemd-analyze that cannot run says why.
"""
import configparser
import re
import shlex
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import requests

from conftest import BIN, REPO, SANITIZER_MARKERS

UNITS = REPO / "dist" / "systemd"
MAX_EXPOSURE = 2.0


def unit(name):
    p = configparser.ConfigParser(strict=False, interpolation=None,
                                  dict_type=dict, empty_lines_in_values=False)
    p.optionxform = str
    p.read_string((UNITS / name).read_text())
    return p


def test_service_exposure_at_most_2(tmp_path):
    tool = shutil.which("systemd-analyze")
    assert tool, "systemd-analyze is missing: install Debian's systemd (scripts/deps.sh)"
    for name in ("httpstatus.service", "httpstatus.socket"):
        shutil.copy(UNITS / name, tmp_path / name)
    p = subprocess.run([tool, "security", "--offline=true", "--no-pager",
                        str(tmp_path / "httpstatus.service")],
                       capture_output=True, text=True, timeout=120)
    out = p.stdout + p.stderr
    m = re.search(r"Overall exposure level for httpstatus\.service: (\d+\.\d+)", out)
    assert m, ("systemd-analyze security --offline=true did not score the unit "
               f"(exit {p.returncode}); its output:\n{out}")
    exposure = float(m.group(1))
    print(f"systemd-analyze security: exposure {exposure} (at most {MAX_EXPOSURE})")
    assert exposure <= MAX_EXPOSURE, out


def test_units_hardening_and_reload():
    svc = unit("httpstatus.service")["Service"]
    for key, want in (("DynamicUser", "yes"), ("ProtectSystem", "strict"),
                      ("NoNewPrivileges", "yes"), ("PrivateDevices", "yes")):
        assert svc.get(key) == want, key
    assert "-HUP" in svc["ExecReload"]  # reopens the access log (logrotate)
    sock = unit("httpstatus.socket")["Socket"]
    assert sock["FileDescriptorName"] in ("http", "https", "h2c", "metrics")


def test_service_command_runs_socket_activated(tmp_path):
    """ExecStart as written (binary and directories moved into tmp_path), under
    systemd-socket-activate with the socket unit's descriptor name."""
    tool = shutil.which("systemd-socket-activate")
    assert tool, "systemd-socket-activate is missing: install Debian's systemd"
    argv = shlex.split(unit("httpstatus.service")["Service"]["ExecStart"])
    assert argv[0] == "/usr/bin/httpstatus"
    args = [a.replace("/var/log/httpstatus", str(tmp_path)).replace("/var/lib/httpstatus",
                                                                   str(tmp_path / "state"))
            for a in argv[1:]]
    name = unit("httpstatus.socket")["Socket"]["FileDescriptorName"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    err_path = tmp_path / "stderr.txt"
    with open(err_path, "w") as err:
        p = subprocess.Popen([tool, "-l", f"127.0.0.1:{port}", f"--fdname={name}", BIN, *args],
                             stdout=subprocess.DEVNULL, stderr=err)
        try:
            deadline = time.monotonic() + 15
            while True:
                try:
                    r = requests.get(f"http://127.0.0.1:{port}/status/418", timeout=5)
                    break
                except requests.ConnectionError:
                    assert time.monotonic() < deadline, err_path.read_text()
                    time.sleep(0.1)
            assert r.status_code == 418
            assert requests.get(f"http://127.0.0.1:{port}/readyz", timeout=5).status_code == 200
            p.send_signal(signal.SIGHUP)  # ExecReload
            time.sleep(0.3)
            assert "reopened" in err_path.read_text()
        finally:
            p.send_signal(signal.SIGTERM)
            assert p.wait(timeout=20) == 0
    text = err_path.read_text()
    for m in SANITIZER_MARKERS:
        assert m not in text, text
    assert "from systemd" in text and "warning" not in text, text
    assert "/status/418" in (tmp_path / "access.log").read_text()
