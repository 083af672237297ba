# Shell helpers the server benchmarks share (bench/designs.sh,
# bench/embed.sh). Source it after `set -euo pipefail`; it sets up $tmp, a
# cleanup trap that stops every pid in pids and drops the benchmark
# database, and functions to start luneo on SQLite or PostgreSQL.

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

# pg_env fills pgenv (the environment of luneo on a fresh PostgreSQL
# database luneo_bench_<random>, migrated; S3 blobs when LUNEO_TEST_S3 is
# set, else a folder; Redis when LUNEO_TEST_REDIS is set, else the SQL kv
# table) and pgname (what the setup is called in tables). Arguments are
# extra VAR=value settings.
pg_env() {
	dbname="luneo_bench_$(python3 -c 'import secrets; print(secrets.token_hex(5))')"
	psql -q "$LUNEO_TEST_POSTGRES" -c "CREATE DATABASE $dbname" >/dev/null
	local dburl blobname kvname
	dburl=$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$LUNEO_TEST_POSTGRES" "$dbname")
	pgenv=("$@" LUNEO_DATA="$tmp/pg" DATABASE_URL="$dburl"
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
	pgname="postgres serve+worker ($kvname kv, $blobname blobs)"
	mkdir -p "$tmp/pg"
	env "${pgenv[@]}" "$tmp/luneo" migrate >"$tmp/migrate.log" 2>&1 ||
		{ echo "luneo migrate failed:" >&2; cat "$tmp/migrate.log" >&2; return 1; }
}

# start_pg starts serve and worker with pgenv; base is the server's URL,
# serve and worker their pids.
start_pg() {
	local p sops wops
	p=$(port); sops=$(port); wops=$(port)
	env "${pgenv[@]}" LUNEO_ADDR="127.0.0.1:$p" LUNEO_OPS_ADDR="127.0.0.1:$sops" "$tmp/luneo" serve >"$tmp/serve.log" 2>&1 &
	serve=$!; pids+=("$serve")
	env "${pgenv[@]}" LUNEO_OPS_ADDR="127.0.0.1:$wops" "$tmp/luneo" worker >"$tmp/worker.log" 2>&1 &
	worker=$!; pids+=("$worker")
	wait_ready "http://127.0.0.1:$sops/readyz" "$serve"
	wait_ready "http://127.0.0.1:$wops/readyz" "$worker"
	base="http://127.0.0.1:$p"
}

# start_dev starts `luneo dev` on a fresh LUNEO_DATA with the settings
# given; base is its URL, dev its pid.
start_dev() {
	local p
	p=$(port)
	env "$@" LUNEO_DATA="$tmp/dev" LUNEO_ADDR="127.0.0.1:$p" "$tmp/luneo" dev >"$tmp/dev.log" 2>&1 &
	dev=$!; pids+=("$dev")
	wait_ready "http://127.0.0.1:$p/readyz" "$dev"
	base="http://127.0.0.1:$p"
}
