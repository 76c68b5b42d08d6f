#!/usr/bin/env bash
# Build httpstatus (release) and start the server on its embedded defaults
# (127.0.0.1:8080). Extra arguments go to `httpstatus serve`, e.g. ./run.sh --listen 127.0.0.1:9000
set -euo pipefail
cd "$(dirname "$0")"
scripts/deps.sh build
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
ninja -C build
exec ./build/httpstatus serve "$@"
