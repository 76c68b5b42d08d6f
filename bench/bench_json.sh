#!/usr/bin/env bash
# CPU time of POST /post with a large JSON body (issue 13, item 8): our server
# (--workers 1) and python3-httpbin (gunicorn, 1 sync worker), both on core 0,
# the client on core 1, REPS interleaved rounds of REQUESTS requests each;
# next to them the floor, a bare jansson parse + dump of the same document
# (bench/bench_json_parse). Prints medians of CPU ms per request and the
# ratios; exits 1 when ours costs more than 2x the bare parse + dump.
#   usage: bench/bench_json.sh        (env: HTTPSTATUS_BIN, BUILD_DIR=build,
#                                      DOC=file (default: ~850 KB generated),
#                                      REPS=5, REQUESTS=20)
# About a minute with the defaults (httpbin's rounds are the slow part).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
bin=${HTTPSTATUS_BIN:-$build/httpstatus}
parse=$build/bench/bench_json_parse
reps=${REPS:-5}
requests=${REQUESTS:-20}

BENCH_NAME=bench_json
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
bench_require gunicorn:gunicorn taskset:util-linux /usr/lib/python3/dist-packages/httpbin:python3-httpbin
bench_binary "$bin"
[ -x "$parse" ] || { echo "bench_json: no $parse (ninja -C $build bench_json_parse)" >&2; exit 1; }

doc=${DOC:-$tmp/doc.json}
if [ -z "${DOC:-}" ]; then # records of strings, integers, floats, booleans, nesting
  "$py" - "$doc" <<'PY'
import json, random, sys
random.seed(13)
rows = []
while len(json.dumps(rows)) < 850_000:
    i = len(rows)
    rows.append({"id": i, "name": "user%d" % i, "email": "u%d@example.com" % i,
                 "score": random.random() * 1000, "active": i % 3 == 0,
                 "tags": ["a", "bb", "ccc"][: i % 4], "pos": {"x": i * 7, "y": [1.5, 2, None]},
                 "text": "lorem ipsum dolor sit amet, \u00e9t\u00e9 \u00fc"})
with open(sys.argv[1], "w") as f:
    json.dump(rows, f)
PY
fi

ours_port=$(free_port)
taskset -c "$srv_core" "$bin" serve --listen "127.0.0.1:$ours_port" --workers 1 --access-log off \
  --max-body 16777216 >"$tmp/ours.log" 2>&1 &
ours_pid=$!
pids+=("$ours_pid")
ref_port=$(free_port)
taskset -c "$srv_core" gunicorn -b "127.0.0.1:$ref_port" -w 1 -k sync --timeout 120 \
  --log-level warning httpbin:app >"$tmp/httpbin.log" 2>&1 &
ref_pid=$!
pids+=("$ref_pid")
wait_port "$ours_port"
wait_port "$ref_port"
sleep 0.5
ref_pids="$ref_pid $(pgrep -P "$ref_pid" | tr '\n' ' ')"

for ((i = 1; i <= reps; i++)); do
  # shellcheck disable=SC2086
  taskset -c "$cli_core" "$py" "$root/bench/json_client.py" "$ours_port" "$doc" "$requests" \
    "$ours_pid" >>"$tmp/ours"
  # shellcheck disable=SC2086
  taskset -c "$cli_core" "$py" "$root/bench/json_client.py" "$ref_port" "$doc" \
    "$(((requests + 3) / 4))" $ref_pids >>"$tmp/httpbin"
  taskset -c "$srv_core" "$parse" "$doc" 10 | awk '{print $1 / 1000}' >>"$tmp/bare"
  echo "round $i/$reps done" >&2
done

median() { sort -g "$1" | awk '{a[NR] = $1} END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
ours=$(median "$tmp/ours")
ref=$(median "$tmp/httpbin")
bare=$(median "$tmp/bare")
echo
echo "POST /post, $(stat -c %s "$doc")-byte JSON body; CPU ms per request, medians of $reps rounds"
printf '%-34s %10s\n' "ours (httpstatus serve)" "$ours" "python3-httpbin (gunicorn)" "$ref" \
  "bare jansson parse + dump" "$bare"
awk -v o="$ours" -v r="$ref" -v b="$bare" 'BEGIN {
  printf "ours / bare parse+dump = %.2fx (target <= 2x); httpbin / ours = %.1fx\n", o / b, r / o
  exit (o <= 2 * b) ? 0 : 1 }'
