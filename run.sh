#!/usr/bin/env bash
# Build httpstatus (release) and start the server on its embedded defaults:
# HTTP on 127.0.0.1:8080 and HTTPS (HTTP/2 and HTTP/1.1) on 127.0.0.1:8443 with
# a local CA made on first run, and FTP on 127.0.0.1:2121 (docs/ftp.md).
# Arguments replace those defaults and go to
# `httpstatus serve`, e.g. ./run.sh --listen 127.0.0.1:9000
set -euo pipefail
cd "$(dirname "$0")"
scripts/deps.sh build
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
ninja -C build
if [ $# -eq 0 ]; then
  set -- --listen 127.0.0.1:8080 --tls-listen 127.0.0.1:8443 --ftp-listen 127.0.0.1:2121
fi
exec ./build/httpstatus serve "$@"
