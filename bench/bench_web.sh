#!/usr/bin/env bash
# The web reference (issue 10, docs/web.md), measured in one run:
#  1. page weight as transferred (brotli, then gzip): home and code pages, with
#     the stylesheet and script a first visit also fetches; targets: home
#     <= 100 KiB, a code page <= 30 KiB;
#  2. Chromium's time to render home (first contentful paint, load event;
#     median of REPS fresh contexts; needs tests/browser: npm ci);
#  3. server CPU per request for a code page (HTML, brotli) beside GET /get,
#     REPS interleaved wrk runs of DURATION s, server on core 0 and wrk on core
#     1, CPU from /proc (utime+stime); target: code page <= 2x /get.
# Only 127.0.0.1 is used; every run is bounded. Whole run: about a minute.
#
#   usage: bench/bench_web.sh        (env: HTTPSTATUS_BIN, REPS, DURATION, CONNS)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${HTTPSTATUS_BIN:-$root/build/httpstatus}
reps=${REPS:-5}
dur=${DURATION:-3}
conns=${CONNS:-20}

BENCH_NAME=bench_web
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
bench_require wrk:wrk taskset:util-linux curl:curl
bench_binary "$bin"

port=$(free_port)
taskset -c $srv_core "$bin" serve --listen "127.0.0.1:$port" --workers 1 --access-log off \
  2>"$tmp/hs.err" &
srv_pid=$!
pids+=("$srv_pid")
wait_port "$port"
base="http://127.0.0.1:$port"

# ---- 1. page weight ----
# bytes on the wire for URL with Accept-Encoding $2 (body only, as sent)
wire() { curl -s -o /dev/null -w '%{size_download}' -H "Accept: text/html" -H "Accept-Encoding: $2" "$base$1"; }
home_html=$(curl -s "$base/")
css=$(grep -o '/assets/ref-[0-9a-f]*\.css' <<<"$home_html")
js=$(grep -o '/assets/ref-[0-9a-f]*\.js' <<<"$home_html")
echo "page weight (bytes transferred; 'with assets' adds $css and $js, as a first visit does)"
printf '%-22s %9s %9s %9s %14s\n' page identity gzip br "br+assets KiB"
assets_br=$(($(wire "$css" br) + $(wire "$js" br)))
max_code=0 max_url=""
for url in / /codes/404 /codes/503 /codes/304 /codes/iis/403.14 /codes/ftp/530 /codes/ws/1008 /codes/4xx; do
  i=$(wire "$url" identity) g=$(wire "$url" gzip) b=$(wire "$url" br)
  printf '%-22s %9d %9d %9d %14.1f\n' "$url" "$i" "$g" "$b" "$(echo "($b + $assets_br) / 1024" | bc -l)"
done
# the heaviest record page of all: every record's URL, from the JSON of home
# (HTTP numbers) and of the namespace indexes (their records)
urls=$(for u in / /codes/vendor /codes/iis /codes/ftp /codes/ws; do
  curl -s -H 'Accept: application/json' "$base$u"
done | grep -o '"url": "/codes/[^"]*"' | cut -d'"' -f4 | grep -Ev '^/codes/(vendor|iis|ftp|ws)$' |
  sort -u)
for url in $urls; do
  b=$(wire "$url" br)
  if [ "$b" -gt "$max_code" ]; then max_code=$b max_url=$url; fi
done
home_kib=$(echo "($(wire / br) + $assets_br) / 1024" | bc -l)
code_kib=$(echo "($max_code + $assets_br) / 1024" | bc -l)
printf 'heaviest of %d record pages: %s, %d bytes br\n' "$(wc -w <<<"$urls")" "$max_url" "$max_code"
printf 'home with assets: %.1f KiB (target <= 100); heaviest code page with assets: %.1f KiB (target <= 30)\n' \
  "$home_kib" "$code_kib"

# ---- 2. Chromium time to render home ----
if [ -d "$root/tests/browser/node_modules/playwright-core" ] && [ -x /usr/bin/chromium ]; then
  render=$(node "$root/bench/web_render.mjs" "$base" 7)
  echo "Chromium, home page, 7 fresh contexts (median): $render"
else
  echo "Chromium render time: skipped (needs /usr/bin/chromium and tests/browser: npm ci)"
fi

# ---- 3. CPU per request: a code page vs /get ----
# one wrk run; prints CPU microseconds of the server per request and req/s
cpu_run() { # path
  local c0 c1 u0 s0 u1 s1 out reqs
  c0=$(cpu_ticks "$srv_pid")
  out=$(taskset -c $cli_core wrk -t1 -c"$conns" -d"${dur}s" -H "Accept: text/html" \
    -H "Accept-Encoding: gzip, br" "$base$1")
  c1=$(cpu_ticks "$srv_pid")
  read -r u0 s0 <<<"$c0"
  read -r u1 s1 <<<"$c1"
  reqs=$(grep -o '[0-9]* requests in' <<<"$out" | cut -d' ' -f1)
  echo "$(( (u1 - u0 + s1 - s0) )) $reqs $(grep -o 'Requests/sec: *[0-9.]*' <<<"$out" | awk '{print $2}')"
}
curl -s -o /dev/null "$base/codes/404" # prepared on first use: warm it
taskset -c $cli_core wrk -t1 -c"$conns" -d1s "$base/get" >/dev/null
echo "CPU per request, $reps x ${dur}s interleaved, $conns connections, server core $srv_core, wrk core $cli_core"
for r in $(seq "$reps"); do
  echo "code $(cpu_run /codes/404)"
  echo "get $(cpu_run /get)"
done >"$tmp/cpu.txt"
"$py" - "$tmp/cpu.txt" "$(getconf CLK_TCK)" <<'PY'
import statistics, sys
hz = int(sys.argv[2])
rows = {"code": [], "get": []}
for line in open(sys.argv[1]):
    name, ticks, reqs, rps = line.split()
    rows[name].append((int(ticks) / hz * 1e6 / int(reqs), float(rps)))
med = {k: (statistics.median(c for c, _ in v), statistics.median(r for _, r in v)) for k, v in rows.items()}
print(f"{'':28}{'CPU us/req':>12}{'req/s':>10}")
print(f"{'GET /codes/404 (html, br)':28}{med['code'][0]:12.2f}{med['code'][1]:10.0f}")
print(f"{'GET /get':28}{med['get'][0]:12.2f}{med['get'][1]:10.0f}")
ratios = sorted(c / g for (c, _), (g, _) in zip(rows["code"], rows["get"]))
print(f"code page / get CPU: {med['code'][0] / med['get'][0]:.2f}x of medians "
      f"(per-pair ratios {', '.join(f'{x:.2f}' for x in ratios)}; target <= 2x)")
PY
