#!/usr/bin/env bash
# Compares `luneo usdz` with three.js's USDZExporter (in Node, through
# bench/usdz-three.mjs) on every corpus model and prints a markdown table:
# median wall time of the whole process over RUNS runs (monotonic clock),
# peak memory (max RSS) and the size of the package each writes. Both
# packages are checked with `luneo usdz --check`.
#
# The corpus is joined by a generated stand-in for the public DamagedHelmet
# sample (bench/helmet: ~46k triangles, five 2048² JPEG textures), since
# the sample itself cannot be downloaded here. LUNEO_BIN=path measures
# another luneo build (e.g. an older one) instead of this tree's.
#
# Usage: bench/usdz.sh [RUNS]          (default 5)
# Needs: go, node/npm, python3; bench/node_modules is installed on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
corpus=${CORPUS:-../shared/corpus/models}
[[ -d "$corpus" ]] || { echo "corpus $corpus not found (set CORPUS; see docs/test-corpus.md)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[[ -d bench/node_modules/three && -d bench/node_modules/@napi-rs/canvas ]] || (cd bench && npm ci --no-audit --no-fund >&2)
go build -o "$tmp/luneo" ./cmd/luneo
luneo=${LUNEO_BIN:-$tmp/luneo}
go run ./bench/helmet "$tmp/HelmetSynthetic.glb"

# run RUNS CMD...: "median-ms max-rss-MB" of CMD, or "fail".
run() {
	python3 - "$@" <<'PY'
import resource, statistics, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
times, rss = [], 0
for _ in range(runs):
    t0 = time.monotonic_ns()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = __import__("os").wait4(p.pid, 0)
    times.append((time.monotonic_ns() - t0) / 1e6)
    rss = max(rss, usage.ru_maxrss / 1024)
    if status != 0:
        print("fail fail"); sys.exit(0)
print(f"{statistics.median(times):.0f} {rss:.0f}")
PY
}

echo "usdz on $(nproc) CPU(s), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); median of $runs runs; three $(node -p 'require("./bench/node_modules/three/package.json").version')"
echo
echo "| model | GLB bytes | luneo ms | luneo MB RSS | luneo bytes | three.js ms | three.js MB RSS | three.js bytes | time ratio |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for f in "$corpus"/*.glb "$tmp/HelmetSynthetic.glb"; do
	name=$(basename "$f" .glb)
	read -r lt lm < <(run "$runs" "$luneo" usdz "$f" "$tmp/$name.luneo.usdz")
	read -r tt tm < <(run "$runs" node bench/usdz-three.mjs "$f" "$tmp/$name.three.usdz")
	for p in "$tmp/$name.luneo.usdz" "$tmp/$name.three.usdz"; do
		[[ -f $p ]] && { "$tmp/luneo" usdz --check "$p" >/dev/null || echo "warning: $p fails the layout check" >&2; }
	done
	ratio=$(python3 -c "print(f'{$tt/$lt:.1f}x' if '$lt'!='fail' and '$tt'!='fail' else '-')" 2>/dev/null || echo -)
	echo "| $name | $(stat -c %s "$f") | $lt | $lm | $(stat -c %s "$tmp/$name.luneo.usdz" 2>/dev/null || echo -) | $tt | $tm | $(stat -c %s "$tmp/$name.three.usdz" 2>/dev/null || echo -) | $ratio |"
done
