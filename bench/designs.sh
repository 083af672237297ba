#!/usr/bin/env bash
# Measures the latency promises: design saved → design texture ready
# (p50 ≤ 300 ms), and design saved → its GLB, USDZ and three-quarter view
# ready (the model render completed, front and back views included:
# p50 ≤ 1 s, p95 ≤ 2 s), on
#   - "sqlite dev": one `luneo dev` process on a fresh LUNEO_DATA;
#   - "postgres serve+worker" (with LUNEO_TEST_POSTGRES): a fresh database
#     luneo_bench_<random>, `luneo migrate`, then `luneo serve` and
#     `luneo worker` as separate processes sharing a blob folder, or S3 when
#     LUNEO_TEST_S3 is set (http://KEY:SECRET@HOST:PORT/BUCKET, an existing
#     bucket); Redis when LUNEO_TEST_REDIS is set (else the SQL kv table).
# bench/designlatency (the client) signs up, uploads the demo mug (2048²
# texture), its 200×80 mm 300 DPI zone and an image, then saves new versions
# of a design with a changed text: N saves one after another ("seq"), N
# saves spread over CLIENTS clients saving at once ("conc"), and both again
# with produce: true (print files too). Each client is its own brand, so the
# per-brand limits (3 renders at once, 100 starts a minute) do not queue
# its saves; the total of 5 renders at once still applies in conc-produce.
# Time cells are p50 / p95 / max in ms, from the POST being sent to the
# compose render seen completed on GET /api/designs/{id}/renders/events
# (what a dashboard sees), to its finished_at (same machine, same clock),
# the POST alone, and the render row's created_at → finished_at (and →
# started_at: time queued).
# Usage: bench/designs.sh [N [CLIENTS]]   (defaults 50 and 4)
#        OBSERVE=poll bench/designs.sh     (poll the render list every 10 ms instead)
# The machine is shared: compare figures of one run with each other.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-50}
clients=${2:-4}
observe=${OBSERVE:-sse}
tmp=$(mktemp -d)
pids=()
dbname=""
cleanup() {
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	if [[ -n "$dbname" ]]; then psql -q "$LUNEO_TEST_POSTGRES" -c "DROP DATABASE IF EXISTS $dbname WITH (FORCE)" >/dev/null || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT

go build -o "$tmp/luneo" ./cmd/luneo
go build -o "$tmp/designlatency" ./bench/designlatency
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_ready() { # URL PID
	for _ in $(seq 600); do
		curl -fsS "$1" >/dev/null 2>&1 && return 0
		kill -0 "$2" 2>/dev/null || { echo "process $2 exited before $1 answered" >&2; return 1; }
		sleep 0.1
	done
	echo "$1 not ready after 60 s" >&2
	return 1
}
hwm() { awk '/VmHWM/ {printf "%.0f MB", $2 / 1024}' "/proc/$1/status"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
common=(LUNEO_SIGNUP_LIMIT=1000 LUNEO_LOG_LEVEL=warn LUNEO_REQUIRE_EMAIL_CONFIRMATION=false)
bench() { # SETUP URL
	"$tmp/designlatency" -url "$2" -setup "$1" -n "$n" -clients "$clients" -observe "$observe" >>"$tmp/rows"
}
notes=()

# 1. SQLite dev: one process.
p=$(port)
before=$(load)
env "${common[@]}" LUNEO_DATA="$tmp/dev" LUNEO_ADDR="127.0.0.1:$p" "$tmp/luneo" dev >"$tmp/dev.log" 2>&1 &
dev=$!; pids+=("$dev")
wait_ready "http://127.0.0.1:$p/readyz" "$dev"
bench "sqlite dev" "http://127.0.0.1:$p"
notes+=("sqlite dev: load before $before, after $(load); peak RSS dev $(hwm "$dev")")
kill -TERM "$dev"; wait "$dev" || true

# 2. PostgreSQL: migrate, then serve and worker as separate processes.
if [[ -n "${LUNEO_TEST_POSTGRES:-}" ]]; then
	dbname="luneo_bench_$(python3 -c 'import secrets; print(secrets.token_hex(5))')"
	psql -q "$LUNEO_TEST_POSTGRES" -c "CREATE DATABASE $dbname" >/dev/null
	dburl=$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$LUNEO_TEST_POSTGRES" "$dbname")
	pgenv=("${common[@]}" LUNEO_DATA="$tmp/pg" DATABASE_URL="$dburl"
		LUNEO_SECRET="bench-secret-0123456789-0123456789-0123456789")
	blobname=file
	if [[ -n "${LUNEO_TEST_S3:-}" ]]; then
		# LUNEO_TEST_S3=http://KEY:SECRET@HOST:PORT/BUCKET (an existing bucket)
		read -r s3end s3key s3secret s3bucket < <(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(p.scheme + "://" + p.hostname + ":" + str(p.port), p.username, p.password, p.path.strip("/"))' "$LUNEO_TEST_S3")
		pgenv+=(LUNEO_BLOB_URL="s3://$s3bucket/$dbname" LUNEO_S3_ENDPOINT="$s3end" LUNEO_S3_ACCESS_KEY="$s3key" LUNEO_S3_SECRET_KEY="$s3secret")
		blobname=s3
	else
		pgenv+=(LUNEO_BLOB_URL="file:$tmp/pg/blobs")
	fi
	kvname=sql
	if [[ -n "${LUNEO_TEST_REDIS:-}" ]]; then
		pgenv+=(REDIS_URL="$LUNEO_TEST_REDIS" LUNEO_REDIS_PREFIX="$dbname:")
		kvname=redis
	fi
	mkdir -p "$tmp/pg"
	env "${pgenv[@]}" "$tmp/luneo" migrate >"$tmp/migrate.log" 2>&1
	p=$(port); sops=$(port); wops=$(port)
	before=$(load)
	env "${pgenv[@]}" LUNEO_ADDR="127.0.0.1:$p" LUNEO_OPS_ADDR="127.0.0.1:$sops" "$tmp/luneo" serve >"$tmp/serve.log" 2>&1 &
	serve=$!; pids+=("$serve")
	env "${pgenv[@]}" LUNEO_OPS_ADDR="127.0.0.1:$wops" "$tmp/luneo" worker >"$tmp/worker.log" 2>&1 &
	worker=$!; pids+=("$worker")
	wait_ready "http://127.0.0.1:$sops/readyz" "$serve"
	wait_ready "http://127.0.0.1:$wops/readyz" "$worker"
	bench "postgres serve+worker ($kvname kv, $blobname blobs)" "http://127.0.0.1:$p"
	notes+=("postgres serve+worker ($kvname kv, $blobname blobs): load before $before, after $(load); peak RSS serve $(hwm "$serve"), worker $(hwm "$worker")")
else
	notes+=("postgres: skipped (set LUNEO_TEST_POSTGRES=postgres://…)")
fi

echo "design saved → design texture, and → GLB + USDZ + views, ready; $(nproc) CPUs; $n saves a pass, conc = $clients clients; times in ms as p50 / p95 / max"
"$tmp/designlatency" -header
cat "$tmp/rows"
echo
printf '%s\n' "${notes[@]}"
