#!/usr/bin/env bash
# Measures what the foundation promises: build times, binary size, time from
# `luneo dev` start to /readyz 200 (fresh data folder and warm restart), and
# the idle memory (RSS) of a dev process. Prints one line per figure.
# Usage: bench/startup.sh [--cold]   (--cold also times a build with an empty build cache)
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'kill "${pid:-0}" 2>/dev/null || true; rm -rf "$tmp"' EXIT

now_ms() { date +%s%3N; }

if [[ "${1:-}" == "--cold" ]]; then
	t0=$(now_ms)
	GOCACHE="$tmp/gocache" go build -o "$tmp/luneo-cold" ./cmd/luneo
	echo "cold build (empty GOCACHE, modules downloaded): $(( $(now_ms) - t0 )) ms"
fi
go build -o "$tmp/luneo" ./cmd/luneo # fill the cache
touch cmd/luneo/main.go
t0=$(now_ms); go build -o "$tmp/luneo" ./cmd/luneo
echo "warm build (one file touched): $(( $(now_ms) - t0 )) ms"
go build -trimpath -ldflags "-s -w" -o "$tmp/luneo-stripped" ./cmd/luneo
echo "binary size: $(stat -c %s "$tmp/luneo") bytes ($(stat -c %s "$tmp/luneo-stripped") stripped, as make build)"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
start_dev() {
	local t0; t0=$(now_ms)
	LUNEO_DATA="$tmp/data" LUNEO_ADDR="127.0.0.1:$port" LUNEO_LOG_LEVEL=warn "$tmp/luneo" dev >/dev/null 2>&1 &
	pid=$!
	until curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do sleep 0.005; done
	echo "$1 start to /readyz 200: $(( $(now_ms) - t0 )) ms"
}
start_dev "dev (fresh data folder: migrations + demo brand)"
kill -TERM "$pid"; wait "$pid" || true
start_dev "dev (warm restart)"
sleep 5
echo "idle dev RSS after 5 s: $(awk '/VmRSS/ {print $2, $3}' "/proc/$pid/status")"
for _ in $(seq 200); do curl -fsS "http://127.0.0.1:$port/" >/dev/null; done
echo "dev RSS after 200 home page requests: $(awk '/VmRSS/ {print $2, $3}' "/proc/$pid/status")"
kill -TERM "$pid"; wait "$pid" || true
