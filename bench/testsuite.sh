#!/usr/bin/env bash
# Times the whole test suite (go test -count=1 ./...) of BASE (a commit) and
# of this checkout, back to back, ROUNDS times each, with the PostgreSQL,
# Redis and corpus tests on when LUNEO_TEST_* are set: wall seconds and CPU
# (user+sys) per run. The first round warms the build cache of the BASE
# worktree; compare the later ones. The machine is noisy: read ratios.
#
#   BASE=3be1106 ROUNDS=2 bench/testsuite.sh        (PKGS=./internal/... for a subset)
set -euo pipefail
cd "$(dirname "$0")/.."
: "${BASE:?set BASE to the commit to compare with}"
ROUNDS=${ROUNDS:-2}
PKGS=${PKGS:-./...}
# Beside this checkout, so the base finds the test corpus where this one does.
base=$(mktemp -d "$(dirname "$PWD")/luneo-base.XXXXXX")
rmdir "$base"
logs=$(mktemp -d)
trap 'git worktree remove --force "$base" >/dev/null 2>&1 || true; rm -rf "$logs"' EXIT
git worktree add -q --detach "$base" "$BASE"
# The base needs the same browser bundles (git-ignored) where it embeds them.
for d in internal/web/static internal/web/ui/static; do
	[ -d "$base/$d" ] && [ -d internal/web/ui/static/dist ] && cp -r internal/web/ui/static/dist "$base/$d/"
done
for round in $(seq "$ROUNDS"); do
	for dir in "$base" "$PWD"; do
		name=$([ "$dir" = "$base" ] && echo "base $BASE" || echo "this checkout")
		log="$logs/run.log"
		if ! /usr/bin/time -f "round $round, $name: wall %e s, user %U s, sys %S s" \
			bash -c "cd '$dir' && go test -count=1 -timeout 20m $PKGS >'$log' 2>&1"; then
			echo "  (tests failed:)"; grep -E '^(--- FAIL|FAIL)' "$log" | head -20
		fi
	done
done
