#!/usr/bin/env bash
# Shopify's webhooks in (POST /api/shopify/webhooks) under a steady flow of
# orders, beside the floor any webhook endpoint has on this machine.
# bench/shopifyload (the client) sends correctly signed orders/create
# deliveries (a ~3 KB order of two customized line items, a fresh
# X-Shopify-Webhook-Id each) at RATE per second for SECONDS, open loop
# (each at its planned time, answered or not, so a slow server shows as
# latency); one in ten is a replay of a delivery sent 5 before (same id,
# body and signature: Shopify's retry), which must be answered 200 too.
# Luneo checks the HMAC, records the delivery and its job in one
# transaction and answers; the job is worked meanwhile (the shop is not
# installed, so it finds no brand: order ingestion is not measured).
# Setups, one after another in one run:
#   - "floor": shopifyload -mode serve, a bare net/http server that reads
#     the body, checks the same HMAC (shopify.VerifyWebhook) and answers 200;
#   - "sqlite dev": one `luneo dev` process;
#   - with LUNEO_TEST_POSTGRES: `luneo serve` + `luneo worker` on a fresh
#     database (Redis, S3 when set), the deliveries going to serve.
# Columns: latency from the planned send to the answer, in ms; errors are
# answers other than 200 or none (the first is quoted under the table);
# the deliveries recorded are counted after each run (a replay adds none);
# "× floor" divides by the floor's figure of the same kind. Peak RSS
# (VmHWM) and the ERROR lines luneo logged are listed under the table.
# Usage: bench/shopifywebhooks.sh [RATE [SECONDS]]   (defaults 200 and 20)
# The machine is shared (the client runs on it too): read the figures of
# one run together, with the load printed beside them.
set -euo pipefail
cd "$(dirname "$0")/.."
rate=${1:-200}
secs=${2:-20}
. bench/lib.sh
go build -o "$tmp/luneo" ./cmd/luneo
go build -o "$tmp/shopifyload" ./bench/shopifyload
secret="bench-shopify-secret-0123456789"
common=(LUNEO_LOG_LEVEL=warn LUNEO_SHOPIFY_API_KEY=bench-shopify-key LUNEO_SHOPIFY_API_SECRET="$secret")
notes=()
load_run() { # SETUP URL [-save FILE | -floor FILE]
	local before setup=$1 url=$2
	shift 2
	before=$(load)
	"$tmp/shopifyload" -mode load -url "$url" -setup "$setup" -secret "$secret" -rate "$rate" -duration "${secs}s" "$@" >>"$tmp/rows"
	notes+=("$setup: load before $before, after $(load)")
}
errors_in() { # SETUP LOG
	local n
	n=$(grep -c '"level":"ERROR"' "$2" || true)
	if [[ $n == 0 ]]; then
		notes+=("$1: no ERROR lines logged")
	else
		notes+=("$1: $n ERROR lines logged; first: $(grep -m1 '"level":"ERROR"' "$2" | cut -c1-500)")
	fi
}

# 1. The floor.
p=$(port)
"$tmp/shopifyload" -mode serve -addr "127.0.0.1:$p" -secret "$secret" >"$tmp/floor.log" 2>&1 &
floor=$!; pids+=("$floor")
wait_ready "http://127.0.0.1:$p/readyz" "$floor"
load_run floor "http://127.0.0.1:$p" -save "$tmp/floor.json"
notes+=("floor: peak RSS $(hwm "$floor")")
kill -TERM "$floor"; wait "$floor" || true

# 2. SQLite dev.
start_dev "${common[@]}"
load_run "sqlite dev" "$base" -floor "$tmp/floor.json"
notes+=("sqlite dev: peak RSS $(hwm "$dev")")
kill -TERM "$dev"; wait "$dev" || true
errors_in "sqlite dev" "$tmp/dev.log"
notes+=("sqlite dev: $(sqlite3 "$tmp/dev/luneo.db" 'SELECT count(*) FROM shopify_webhook_events') deliveries recorded (new ones + the warm-up: replays add none)")

# 3. PostgreSQL serve + worker.
if [[ -n "${LUNEO_TEST_POSTGRES:-}" ]]; then
	pg_env "${common[@]}"
	start_pg
	load_run "$pgname" "$base" -floor "$tmp/floor.json"
	notes+=("$pgname: peak RSS serve $(hwm "$serve"), worker $(hwm "$worker")")
	errors_in "$pgname serve" "$tmp/serve.log"
	errors_in "$pgname worker" "$tmp/worker.log"
	notes+=("$pgname: $(psql -tAq "$(env "${pgenv[@]}" printenv DATABASE_URL)" -c 'SELECT count(*) FROM shopify_webhook_events') deliveries recorded")
else
	notes+=("postgres: skipped (set LUNEO_TEST_POSTGRES=postgres://…)")
fi

echo "Shopify orders/create webhooks at $rate/s for ${secs}s (10% replays), open loop; $(nproc) CPUs; latency in ms"
"$tmp/shopifyload" -mode header
cat "$tmp/rows"
echo
printf '%s\n' "${notes[@]}"
