#!/usr/bin/env bash
# Compares `luneo render` (pure Go, 1024², the whole process: read,
# validate, load, render, PNG encode) with the Blender 3.4 reference
# renders of ../shared/anchors/blender-render.sh: Cycles on the CPU with
# 16 samples and Workbench, both at 512² as the anchor defines them (4×
# fewer pixels than ours). Prints a markdown table: median wall time of
# the whole process over RUNS runs (monotonic clock), peak memory (max
# RSS) and the time ratio, then the silhouette IoU of our 512² render
# against the stored Blender masks (go test ./raster -run Silhouette).
#
# Usage: bench/render.sh [RUNS]          (default 5; Blender runs min(RUNS, 3) times)
# Needs: go, python3, blender + python3-numpy + xvfb (apt; the anchor
# script installs them on first use).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
bruns=$(( runs < 3 ? runs : 3 ))
corpus=${CORPUS:-../shared/corpus/models}
anchor=${ANCHOR:-../shared/anchors/blender-render.sh}
[[ -d "$corpus" ]] || { echo "corpus $corpus not found (set CORPUS)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/luneo" ./cmd/luneo
luneo=$tmp/luneo

# The system Python runs the timer: a pyenv python3 leaks its environment
# into Blender's bundled Python, which then cannot import numpy.
py=/usr/bin/python3
[[ -x $py ]] || py=python3

# run RUNS CMD...: "median-ms max-rss-MB" of CMD, or "fail fail".
run() {
	"$py" - "$@" <<'PY'
import os, statistics, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
times, rss = [], 0
for _ in range(runs):
    t0 = time.monotonic_ns()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    times.append((time.monotonic_ns() - t0) / 1e6)
    rss = max(rss, usage.ru_maxrss / 1024)
    if status != 0:
        print("fail fail"); sys.exit(0)
print(f"{statistics.median(times):.0f} {rss:.0f}")
PY
}

ratio() { python3 -c "import sys; a,b=sys.argv[1:]; print(f'{float(b)/float(a):.0f}x' if 'fail' not in (a,b) else '-')" "$1" "$2"; }

echo "render on $(nproc) CPU(s), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); luneo median of $runs runs at 1024²; Blender $(blender --version 2>/dev/null | head -1 | cut -d' ' -f2) median of $bruns runs at 512² (Cycles 16 samples / Workbench)"
echo
echo "| model | luneo ms (1024²) | luneo MB RSS | Cycles ms (512²) | Cycles MB RSS | Workbench ms (512²) | Workbench MB RSS | Cycles / luneo | Workbench / luneo |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for f in "$corpus"/*.glb; do
	name=$(basename "$f" .glb)
	read -r lt lm < <(run "$runs" "$luneo" render --size 1024 "$f" "$tmp/$name.png")
	read -r ct cm < <(run "$bruns" "$anchor" "$f" "$tmp/$name.cycles.png" 512 16)
	read -r wt wm < <(run "$bruns" "$anchor" --workbench "$f" "$tmp/$name.workbench.png" 512 16)
	echo "| $name | $lt | $lm | $ct | $cm | $wt | $wm | $(ratio "$lt" "$ct") | $(ratio "$lt" "$wt") |"
done
echo
echo "Silhouette IoU at 512² (alpha > 0.5) against Blender Cycles (raster/testdata/silhouettes):"
echo
go test ./raster -run 'TestSilhouette' -count 1 -v 2>&1 | awk '/ IoU /{print "- " $(NF-2) ": " $NF}'
