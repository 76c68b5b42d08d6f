#!/usr/bin/env bash
# The REST playground against json-server (npm, pinned in bench/json-server/
# with its lock file), side by side in one run: GET of one item, POST of a
# new item, PATCH of one item. Each server on core 0 (ours: 1 worker,
# memory store; json-server: its one node process and its db.json), wrk on
# core 1, REPS interleaved rounds of DURATION seconds per server x
# operation. Prints median req/s and median server CPU time per request
# (utime+stime from /proc, delta over the wrk run / requests), and
# json-server/ours. Target (issue 20): json-server uses >= 10x our CPU per
# request. json-server writes its whole db.json after every write, which is
# how it keeps state: POST rounds grow both stores, so later rounds cost
# json-server more; the medians are what we quote.
#   bench/bench_rest.sh [BUILD_DIR]   (env: HTTPSTATUS_BIN, REPS=5, DURATION=3, CONNS=20)
# About 3 x 2 x REPS x (DURATION + 1) s plus npm ci: under 2 minutes by default.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_NAME=bench_rest
. bench/lib.sh
bench_require wrk:wrk taskset:util-linux node:nodejs npm:npm curl:curl

REPS=${REPS:-5}
DURATION=${DURATION:-3}
CONNS=${CONNS:-20}
build=${1:-build}
bin=$(realpath "${HTTPSTATUS_BIN:-$build/httpstatus}")
bench_binary "$bin"
hz=$(getconf CLK_TCK)

js=bench/json-server
[ -x "$js/node_modules/.bin/json-server" ] || (cd "$js" && npm ci --no-audit --no-fund >/dev/null)

# 100 items in each store
"$py" -c 'import json; print(json.dumps({"items": [{"id": i, "name": "item%d" % i, "n": i}
                                                  for i in range(1, 101)]}))' >"$tmp/db.json"
ours_port=$(free_port)
taskset -c "$srv_core" "$bin" serve --listen "127.0.0.1:$ours_port" --workers 1 --access-log off \
  --rest-max-items 10000000 --rest-max-bytes 4g >"$tmp/ours.log" 2>&1 &
ours_pid=$!
pids+=("$ours_pid")
js_port=$(free_port)
taskset -c "$srv_core" node "$js/node_modules/json-server/lib/cli/bin.js" --quiet \
  --port "$js_port" "$tmp/db.json" >"$tmp/js.log" 2>&1 &
js_pid=$!
pids+=("$js_pid")
wait_port "$ours_port"
wait_port "$js_port"
for i in $(seq 1 100); do
  curl -s -o /dev/null -X PUT -H 'Playground: bench' -H 'Content-Type: application/json' \
    -d "{\"name\":\"item$i\",\"n\":$i}" "http://127.0.0.1:$ours_port/rest/items/$i"
done
for u in "http://127.0.0.1:$ours_port/rest/items/7" "http://127.0.0.1:$js_port/items/7"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Playground: bench' "$u")
  [ "$code" = 200 ] || { echo "bench_rest: $u answers $code" >&2; exit 1; }
done

# wrk scripts: the method, headers and body of each operation
for op in get post patch; do
  case $op in
    get) m=GET b=nil ct=nil ;;
    post) m=POST b="'{\"name\":\"new\",\"n\":1}'" ct="'application/json'" ;;
    patch) m=PATCH b="'{\"n\":2}'" ct=X ;;
  esac
  for who in ours js; do
    pct=$ct
    [ "$ct" = X ] && { [ $who = ours ] && pct="'application/merge-patch+json'" || pct="'application/json'"; }
    cat >"$tmp/$op-$who.lua" <<LUA
wrk.method = "$m"
wrk.headers["Playground"] = "bench"
if $pct then wrk.headers["Content-Type"] = $pct end
wrk.body = $b
LUA
  done
done
path() { # who op
  local base=/items
  [ "$1" = ours ] && base=/rest/items
  case $2 in get | patch) echo "$base/7" ;; post) echo "$base" ;; esac
}

# one wrk run: who op → "req/s cpu_us_per_req" appended to $tmp/who-op
run() {
  local who=$1 op=$2 port pid t0 t1 txt reqs rps u0 s0 u1 s1 bad
  [ "$who" = ours ] && port=$ours_port pid=$ours_pid || { port=$js_port; pid=$js_pid; }
  t0=$(cpu_ticks "$pid")
  txt=$(taskset -c "$cli_core" wrk -t1 -c"$CONNS" -d"${DURATION}s" --timeout 5s \
    -s "$tmp/$op-$who.lua" "http://127.0.0.1:$port$(path "$who" "$op")" 2>&1)
  t1=$(cpu_ticks "$pid")
  reqs=$(awk '/requests in/ {print $1}' <<<"$txt")
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$txt")
  bad=$(awk '/Non-2xx or 3xx responses:/ {print $5}' <<<"$txt")
  if [ -z "$reqs" ] || [ "$reqs" = 0 ] || [ -n "$bad" ]; then
    echo "bench_rest: $who $op: no answers or errors:" >&2
    echo "$txt" >&2
    return 1
  fi
  read -r u0 s0 <<<"$t0"
  read -r u1 s1 <<<"$t1"
  awk -v r="$rps" -v n="$reqs" -v d="$((u1 - u0 + s1 - s0))" -v hz="$hz" \
    'BEGIN { printf "%s %.3f\n", r, d / hz * 1e6 / n }' >>"$tmp/$who-$op"
}

for ((i = 1; i <= REPS; i++)); do
  for op in get post patch; do
    run ours "$op"
    run js "$op"
  done
  echo "round $i/$REPS done" >&2
done

median() { # column file
  sort -g <(awk -v c="$1" '{print $c}' "$2") | awk '{a[NR] = $1} END {
    if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

echo
echo "REST: ours (memory store, 1 worker) vs json-server $(node -p "require('./$js/node_modules/json-server/package.json').version") (node $(node --version));"
echo "servers on core $srv_core, wrk -t1 -c$CONNS on core $cli_core, $REPS x ${DURATION}s each, medians"
printf '%-8s %-12s %12s %14s\n' op server "req/s" "CPU us/req"
status=0
for op in get post patch; do
  for who in ours js; do
    printf '%-8s %-12s %12.0f %14.2f\n' "$op" "$([ $who = js ] && echo json-server || echo ours)" \
      "$(median 1 "$tmp/$who-$op")" "$(median 2 "$tmp/$who-$op")"
  done
done
echo
for op in get post patch; do
  awk -v op="$op" -v co="$(median 2 "$tmp/ours-$op")" -v cj="$(median 2 "$tmp/js-$op")" 'BEGIN {
    ratio = (co > 0) ? cj / co : 0
    printf "%-8s CPU per request json-server/ours = %6.1fx  (target >= 10x)\n", op, ratio
    exit (ratio >= 10) ? 0 : 1 }' || status=1
done
exit $status
