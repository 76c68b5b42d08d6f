#!/usr/bin/env bash
# Every side-by-side benchmark in short mode, one after the other, and ONE
# table of ours against each peer: nginx (bench_idle.sh, bench_serve.sh,
# bench_h2.sh), python3-httpbin (bench_httpbin.sh, bench_json.sh), npm ws
# (bench_ws.sh), hc (bench_cli.sh), json-server (bench_rest.sh) and
# pyftpdlib (bench_ftp.sh, when the FTP server is there). Every
# row is a cost (CPU per request or message, bytes per idle connection, p99
# latency, wall time), so "ours/peer" below 1 means we are ahead. The machine
# is shared and noisy: each bench reports medians of interleaved rounds and
# only the ratios are worth comparing between runs (docs/performance.md).
# Each bench's own output is kept in OUT (default build/bench-all).
#
#   usage: bench/all.sh      (env: HTTPSTATUS_BIN, OUT, ONLY="idle serve h2 httpbin
#                             ws cli rest json ftp": a subset, REPS=3, DURATION=2,
#                             IDLE_CONNS=2000)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export HTTPSTATUS_BIN=${HTTPSTATUS_BIN:-$root/build/httpstatus}
out=${OUT:-$root/build/bench-all}
only=" ${ONLY:-idle serve h2 httpbin ws cli rest json ftp} "
export REPS=${REPS:-3} DURATION=${DURATION:-2}
idle=${IDLE_CONNS:-2000}
mkdir -p "$out"

run() { # name command...
  local name=$1
  shift
  [[ $only == *" $name "* ]] || return 0
  echo "bench/all.sh: $name ($*)" >&2
  local t0=$SECONDS
  "$@" >"$out/$name.log" 2>"$out/$name.err" || echo "bench/all.sh: $name exited $? (see $out/$name.err)" >&2
  echo "  ${name} took $((SECONDS - t0)) s" >&2
}

run idle env IDLE_CONNS="$idle" REPS=1 "$root/bench/bench_idle.sh"
run serve env IDLE_CONNS=1000 "$root/bench/bench_serve.sh"
run h2 "$root/bench/bench_h2.sh"
run httpbin "$root/bench/bench_httpbin.sh"
run ws "$root/bench/bench_ws.sh"
run cli "$root/bench/bench_cli.sh"
run rest "$root/bench/bench_rest.sh"
run json env REQUESTS=10 "$root/bench/bench_json.sh"
# benches that arrive with other branches run when they are there
[ -x "$root/bench/bench_ftp.sh" ] && run ftp "$root/bench/bench_ftp.sh"

/usr/bin/python3 - "$out" <<'PY'
import os, re, sys
out = sys.argv[1]
rows = []  # (what, peer, peer value, ours, unit)

def log(name):
    p = os.path.join(out, name + ".log")
    return open(p).read() if os.path.exists(p) else ""

for m in re.finditer(r"^idle (\S+)\s+nginx\s+(\d+) B\s+ours\s+(\d+) B", log("idle"), re.M):
    kind = {"h1": "HTTP/1.1", "h2": "HTTP/2 (prior knowledge)", "https1": "HTTPS HTTP/1.1"}.get(m[1], m[1])
    rows.append((f"idle connection, {kind}", "nginx", float(m[2]), float(m[3]), "B"))

serve = {}
for line in log("serve").splitlines():
    f = line.split()
    if len(f) >= 8 and f[0] in ("nginx", "httpstatus") and f[1] in ("plain", "pipelined"):
        serve[f[0], f[1]] = [float(x) if x != "n/a" else float("nan") for x in f[2:8]]
for mode in ("plain", "pipelined"):
    if ("nginx", mode) in serve and ("httpstatus", mode) in serve:
        n, h = serve["nginx", mode], serve["httpstatus", mode]
        rows.append((f"HTTP/1.1 /status/418 {mode}, CPU/req", "nginx", n[3], h[3], "us"))

for m in re.finditer(r"^((?:HTTP/2|HTTPS HTTP/1\.1) \S+ -m \d+|TLS handshakes \(s_time -new\))"
                     r"\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", log("h2"), re.M):
    what = "TLS full handshake, CPU each" if m[1].startswith("TLS") else f"{m[1]}{' over TLS' if m[1].startswith('HTTP/2') else ''}, CPU/req"
    rows.append((what, "nginx", float(m[4]), float(m[5]), "us"))

# p99 at a fixed rate, half of nginx's (lib.sh fixed_rate_pair); the
# benches' p99 at saturation is left out: the client's loop sets it
for m in re.finditer(r"^fixed (.+?)\s+nginx p50\s+\d+ us p99\s+(\d+) us\s+ours p50\s+\d+ us p99\s+(\d+) us",
                     log("serve") + log("h2"), re.M):
    rows.append((f"{m[1]}, p99 fixed rate", "nginx", float(m[2]), float(m[3]), "us"))

hb = {}
for m in re.finditer(r"^(/\S+)\s+(ours|httpbin)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)$", log("httpbin"), re.M):
    hb[m[1], m[2]] = float(m[4])
for ep in ("/get", "/status/418"):
    if (ep, "ours") in hb and (ep, "httpbin") in hb:
        rows.append((f"httpbin API {ep}, CPU/req", "python3-httpbin", hb[ep, "httpbin"], hb[ep, "ours"], "us"))

ws = dict(re.findall(r"^median\s+(ours|ws):\s+[\d,]+ msgs/s, ([\d.]+) \S+ CPU/msg", log("ws"), re.M))
if len(ws) == 2:
    rows.append(("WebSocket echo 64 B, CPU/msg", "npm ws", float(ws["ws"]), float(ws["ours"]), "us"))

cli = dict(re.findall(r"^\s+(httpstatus|hc)\s+([\d.]+) ms", log("cli"), re.M))
if len(cli) == 2:
    rows.append(("CLI lookup `418`, wall time", "hc", float(cli["hc"]), float(cli["httpstatus"]), "ms"))

rest = {}
for m in re.finditer(r"^(\S+)\s+(json-server|ours)\s+([\d.]+)\s+([\d.]+)$", log("rest"), re.M):
    rest[m[1], m[2]] = float(m[4])
for op in sorted({k[0] for k in rest}):
    if (op, "ours") in rest and (op, "json-server") in rest:
        rows.append((f"REST playground {op}, CPU/req", "json-server", rest[op, "json-server"], rest[op, "ours"], "us"))

js = dict(re.findall(r"^(ours|python3-httpbin) \([^)]*\)\s+([\d.]+)$", log("json"), re.M))
if len(js) == 2:
    rows.append(("POST /post large JSON, CPU/req", "python3-httpbin", float(js["python3-httpbin"]), float(js["ours"]), "ms"))

ftp = dict(re.findall(r"^\s+(httpstatus|pyftpdlib)\s+[\d.]+ sessions/s\s+([\d.]+) us CPU per transfer", log("ftp"), re.M))
if len(ftp) == 2:
    rows.append(("FTP session, 1 KiB RETR, CPU/transfer", "pyftpdlib", float(ftp["pyftpdlib"]), float(ftp["httpstatus"]), "us"))

print(f"| {'what (a cost: lower is better)':46} | {'peer':15} | {'peer':>11} | {'ours':>11} | {'ours/peer':>9} |")
print(f"|{'-' * 48}|{'-' * 17}|{'-' * 13}|{'-' * 13}|{'-' * 11}|")
for what, peer, p, o, unit in rows:
    ratio = o / p if p == p and p > 0 else float("nan")
    fmt = lambda v: "n/a" if v != v else f"{v:,.0f} {unit}" if unit == "B" or v >= 1000 else f"{v:.2f} {unit}"
    rs = "n/a" if ratio != ratio else f"{ratio:.2f}"
    print(f"| {what:46} | {peer:15} | {fmt(p):>11} | {fmt(o):>11} | {rs:>9} |")
if not rows:
    sys.exit("bench/all.sh: no bench produced a figure")
PY
