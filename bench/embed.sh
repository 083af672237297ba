#!/usr/bin/env bash
# The widget's load promises (issue 12), loopback only, bounded in time:
#   1. GET /api/embed/token at RATE requests/s for TOKEN_SECONDS (default
#      1,000/s for 30 s): p99 ≤ 5 ms on Redis; the SQL kv store's figure
#      is reported beside it;
#   2. SESSIONS simulated widget sessions at once for SESSION_SECONDS
#      (default 500 for 60 s, after a 10 s ramp-up): each does the
#      handshake (token, validate, session), uploads an image, then asks
#      for a server preview every ~5 s (a person editing; the widget
#      debounces) and saves every 6th edit (~30 s); the
#      promise is 0 HTTP errors (render jobs beyond the brand's limits wait
#      in the queue, which is not an error).
# Setups: "sqlite dev" (one `luneo dev` process, SQL kv) for the token
# rate, and, with LUNEO_TEST_POSTGRES, `luneo serve` + `luneo worker` on a
# fresh database (Redis kv with LUNEO_TEST_REDIS, S3 with LUNEO_TEST_S3)
# for both. Every simulated shopper shares 127.0.0.1, so the per-IP widget
# limits are raised (LUNEO_EMBED_IP_LIMIT_FACTOR); per-session limits stay.
# Usage: bench/embed.sh [RATE [SESSIONS]]
# The machine is shared (the client runs on it too): read figures of one run
# together, with the load printed beside them.
set -euo pipefail
cd "$(dirname "$0")/.."
rate=${1:-1000}
sessions=${2:-500}
token_secs=${TOKEN_SECONDS:-30}
session_secs=${SESSION_SECONDS:-60}
. bench/lib.sh
go build -o "$tmp/luneo" ./cmd/luneo
go build -o "$tmp/embedload" ./bench/embedload
common=(LUNEO_SIGNUP_LIMIT=1000 LUNEO_LOG_LEVEL=warn LUNEO_REQUIRE_EMAIL_CONFIRMATION=false
	LUNEO_EMBED_IP_LIMIT_FACTOR=1000)
notes=()
load_run() { # SETUP URL PID MODE
	local before
	before=$(load)
	"$tmp/embedload" -url "$2" -setup "$1" -mode "$4" -rate "$rate" -sessions "$sessions" \
		-duration "$([[ $4 == token ]] && echo "$token_secs" || echo "$session_secs")s" >>"$tmp/rows"
	notes+=("$1, $4: load before $before, after $(load); peak RSS so far $(hwm "$3")")
}

# 1. SQLite dev: one process, SQL kv store.
start_dev "${common[@]}"
load_run "sqlite dev" "$base" "$dev" token
kill -TERM "$dev"; wait "$dev" || true

# 2. PostgreSQL serve + worker.
if [[ -n "${LUNEO_TEST_POSTGRES:-}" ]]; then
	pg_env "${common[@]}"
	start_pg
	load_run "$pgname" "$base" "$serve" token
	load_run "$pgname" "$base" "$serve" sessions
	notes+=("$pgname: peak RSS serve $(hwm "$serve"), worker $(hwm "$worker")")
else
	notes+=("postgres: skipped (set LUNEO_TEST_POSTGRES=postgres://…)")
fi

echo "widget load; $(nproc) CPUs; token at $rate/s for ${token_secs}s; $sessions sessions for ${session_secs}s; latency in ms"
"$tmp/embedload" -header
cat "$tmp/rows"
echo
printf '%s\n' "${notes[@]}"
