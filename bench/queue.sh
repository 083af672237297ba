#!/usr/bin/env bash
# Measures the job queue's promises for the render pipeline, side by side:
#   - wake-up: a limited job committed with InsertTx → its start, p50/p95, on
#     SQLite (riversqlite's notification outbox, polled every 50 ms), on
#     PostgreSQL with LISTEN/NOTIFY (another client inserts, as serve does) and
#     on PostgreSQL without it ("postgres-poll", River's 1 s poll);
#   - throughput: no-op jobs per second with 50 and 200 workers, through the
#     limiter ("limited", limits set high enough never to snooze: 5 kv
#     operations a job) and without it ("plain").
# PostgreSQL runs with LUNEO_TEST_POSTGRES; the kv store is Redis with
# LUNEO_TEST_REDIS (production), else the SQL kv table of the same database.
# Usage: bench/queue.sh [SAMPLES [JOBS]]   (defaults 40 wake-ups, 3000 jobs)
# The machine is shared: compare figures of one run with each other, not
# with another run's.
set -euo pipefail
cd "$(dirname "$0")/.."
samples=${1:-40}
jobs=${2:-3000}
kv=sql
if [[ -n "${LUNEO_TEST_REDIS:-}" ]]; then kv=redis; fi
echo "load: $(cut -d' ' -f1-3 /proc/loadavg); kv: $kv"
go test -run '^$' -bench 'Wakeup' -benchtime="${samples}x" ./internal/platform/queue/ | grep -E '^Benchmark'
go test -run '^$' -bench 'Throughput' -benchtime="${jobs}x" ./internal/platform/queue/ | grep -E '^Benchmark'
