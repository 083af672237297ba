#!/usr/bin/env bash
# An order's production ZIP, beside the baseline a person would compare it
# with: Info-ZIP's zip archiving the same files.
# bench/ordersload (the client) signs up a brand, saves N designs (an
# image and a line of text on the demo mug's wrap) with produce: true and
# waits for their print files (PNG + PDF each), so the order's production
# job only has the ZIP left to build. It then posts one order of N lines
# with an API key (POST /api/orders) and polls GET /api/orders/{id} every
# 10 ms until it is ready. Columns:
#   - build ms: for Luneo, the server's stamps from the job's first step
#     (the order's updated_at when it turns producing) to
#     production.ready_at: reading the print files from the blob store
#     (S3 on the Postgres setup when LUNEO_TEST_S3 is set), streaming the
#     ZIP back into it, recording it; for zip, /usr/bin/time -v's wall clock
#     of `zip -q -r` over the ZIP's files extracted to a local folder, with
#     zip's defaults (everything deflated) and with -n .png (PNGs stored, as
#     Luneo stores them: they are compressed already).
#   - × zip -r: build time over zip's default run (above 1: slower).
#   - peak RSS: of the process that built the ZIP (the dev process, or the
#     worker), its peak reset just before the order (/proc/PID/clear_refs),
#     with its RSS at that moment; zip's from time -v.
#   - POST → ready: what the API client waited, queue pickup included.
# Setups: "sqlite dev" (one `luneo dev` process) and, with
# LUNEO_TEST_POSTGRES, `luneo serve` + `luneo worker` on a fresh database
# (S3 with LUNEO_TEST_S3, Redis with LUNEO_TEST_REDIS).
# Usage: bench/orders.sh [N]   (default 20 designs, one line each)
# The machine is shared: compare figures of one run with each other, with
# the load printed beside them.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20}
. bench/lib.sh
command -v zip >/dev/null || { echo "orders.sh needs Info-ZIP's zip (apt-get install -y zip)" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "orders.sh needs GNU time at /usr/bin/time (apt-get install -y time)" >&2; exit 1; }
go build -o "$tmp/luneo" ./cmd/luneo
go build -o "$tmp/ordersload" ./bench/ordersload
common=(LUNEO_SIGNUP_LIMIT=1000 LUNEO_LOG_LEVEL=warn LUNEO_REQUIRE_EMAIL_CONFIRMATION=false)
notes=()
bench() { # SETUP URL PID
	mkdir -p "$tmp/run-$3"
	"$tmp/ordersload" -url "$2" -setup "$1" -n "$n" -pid "$3" -dir "$tmp/run-$3" -notes "$tmp/notes" >>"$tmp/rows"
	rm -rf "$tmp/run-$3"
}

# 1. SQLite dev: one process renders and builds the ZIP.
before=$(load)
start_dev "${common[@]}"
bench "sqlite dev" "$base" "$dev"
notes+=("sqlite dev: load before $before, after $(load); peak RSS of dev over its whole life $(hwm "$dev")")
kill -TERM "$dev"; wait "$dev" || true

# 2. PostgreSQL: the worker builds the ZIP.
if [[ -n "${LUNEO_TEST_POSTGRES:-}" ]]; then
	pg_env "${common[@]}"
	before=$(load)
	start_pg
	bench "$pgname" "$base" "$worker"
	notes+=("$pgname: load before $before, after $(load); peak RSS over their whole life serve $(hwm "$serve"), worker $(hwm "$worker")")
else
	notes+=("postgres: skipped (set LUNEO_TEST_POSTGRES=postgres://…)")
fi

echo "order production ZIP vs zip -r of the same files; $(nproc) CPUs; $n designs, one line each"
"$tmp/ordersload" -header
cat "$tmp/rows"
echo
cat "$tmp/notes"
printf '%s\n' "${notes[@]}"
