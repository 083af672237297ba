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
. bench/lib.sh
go build -o "$tmp/luneo" ./cmd/luneo
go build -o "$tmp/designlatency" ./bench/designlatency
common=(LUNEO_SIGNUP_LIMIT=1000 LUNEO_LOG_LEVEL=warn LUNEO_REQUIRE_EMAIL_CONFIRMATION=false)
bench() { # SETUP URL
	"$tmp/designlatency" -url "$2" -setup "$1" -n "$n" -clients "$clients" -observe "$observe" >>"$tmp/rows"
}
notes=()

# 1. SQLite dev: one process.
before=$(load)
start_dev "${common[@]}"
bench "sqlite dev" "$base"
notes+=("sqlite dev: load before $before, after $(load); peak RSS dev $(hwm "$dev")")
kill -TERM "$dev"; wait "$dev" || true

# 2. PostgreSQL: migrate, then serve and worker as separate processes.
if [[ -n "${LUNEO_TEST_POSTGRES:-}" ]]; then
	pg_env "${common[@]}"
	before=$(load)
	start_pg
	bench "$pgname" "$base"
	notes+=("$pgname: load before $before, after $(load); peak RSS serve $(hwm "$serve"), worker $(hwm "$worker")")
else
	notes+=("postgres: skipped (set LUNEO_TEST_POSTGRES=postgres://…)")
fi

echo "design saved → design texture, and → GLB + USDZ + views, ready; $(nproc) CPUs; $n saves a pass, conc = $clients clients; times in ms as p50 / p95 / max"
"$tmp/designlatency" -header
cat "$tmp/rows"
echo
printf '%s\n' "${notes[@]}"
