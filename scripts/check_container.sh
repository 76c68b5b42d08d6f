#!/usr/bin/env bash
# Builds the container image of dist/container/Containerfile and runs it
# read-only as its non-root user: /healthz, /status/418 and /metrics answer,
# and Docker's HEALTHCHECK reports healthy. Says SKIPPED with the reason when
# there is no Docker daemon or the base images cannot be pulled (the recipe
# itself is checked without Docker by tests/integration/test_ops_manifests.py).
#   usage: scripts/check_container.sh        (env: IMAGE=httpstatus:test)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
image=${IMAGE:-httpstatus:test}
if ! command -v docker >/dev/null; then
  echo "check_container: SKIPPED: no docker command"
  exit 0
fi
if ! err=$(docker info 2>&1 >/dev/null); then
  echo "check_container: SKIPPED: no Docker daemon: ${err//$'\n'/ }"
  exit 0
fi
if ! docker pull -q debian:12-slim >/dev/null 2>&1 || ! docker pull -q debian:12 >/dev/null 2>&1; then
  echo "check_container: SKIPPED: cannot pull debian:12 / debian:12-slim (registry unreachable?)"
  exit 0
fi
docker build -f "$root/dist/container/Containerfile" -t "$image" "$root"
name=hs-check-$$
docker run -d --rm --name "$name" --read-only -p 127.0.0.1::8080 -p 127.0.0.1::9090 "$image" >/dev/null
trap 'docker stop -t 15 "$name" >/dev/null 2>&1 || true' EXIT
port=$(docker port "$name" 8080/tcp | head -1 | sed 's/.*://')
mport=$(docker port "$name" 9090/tcp | head -1 | sed 's/.*://')
for _ in $(seq 50); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/status/418")" = 418
curl -fsS "http://127.0.0.1:$mport/metrics" | grep -q 'httpstatus_requests_total{code="418"'
test "$(docker exec "$name" id -u)" != 0
for _ in $(seq 40); do
  [[ $(docker inspect -f '{{.State.Health.Status}}' "$name") == healthy ]] && break
  sleep 0.5
done
docker inspect -f '{{.State.Health.Status}}' "$name" | grep -qx healthy
echo "check_container: OK"
