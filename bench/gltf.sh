#!/usr/bin/env bash
# Compares Luneo's glTF tools with the references on every corpus model and
# prints a markdown table:
#   validate: `luneo gltf validate` vs the Khronos glTF-Validator (node);
#   optimize: `luneo gltf optimize` vs gltf-transform and gltfpack, with the
#             size of what each writes.
# Every time is the median wall time of a whole process (start-up included,
# so the comparison is fair to tools that run in Node), measured with a
# monotonic clock over RUNS runs. Each optimizer is asked to keep names and
# the scene structure (customization needs them); ours then checks that its
# output validates.
#
# Usage: bench/gltf.sh [RUNS]          (default 5)
# Needs: go, node/npm, python3, gltfpack (Debian package; installed when
# missing and run as root). The node tools are installed on first use:
# tools/gltf-validator (npm ci) and bench/node_modules (@gltf-transform/cli,
# pinned in bench/package.json).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
corpus=${CORPUS:-../shared/corpus/models}
[[ -d "$corpus" ]] || { echo "corpus $corpus not found (set CORPUS; see docs/test-corpus.md)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

[[ -d tools/gltf-validator/node_modules/gltf-validator ]] || (cd tools/gltf-validator && npm ci --no-audit --no-fund >&2)
[[ -x bench/node_modules/.bin/gltf-transform ]] || (cd bench && npm ci --no-audit --no-fund >&2)
if ! command -v gltfpack >/dev/null; then
	if [[ $(id -u) == 0 ]]; then apt-get install -y gltfpack >&2; else echo "install gltfpack (apt-get install gltfpack)" >&2; exit 1; fi
fi
go build -o "$tmp/luneo" ./cmd/luneo
luneo=$tmp/luneo
khronos=(node tools/gltf-validator/validate.mjs)
gltf_transform=bench/node_modules/.bin/gltf-transform

# ms RUNS CMD...: median wall time of CMD in milliseconds (monotonic clock),
# or "fail" when it exits non-zero.
ms() {
	python3 - "$@" <<'EOF'
import statistics, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
times = []
for _ in range(runs):
    t0 = time.monotonic_ns()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times.append((time.monotonic_ns() - t0) / 1e6)
    if r.returncode != 0:
        print("fail"); sys.exit(0)
print(f"{statistics.median(times):.0f}")
EOF
}

size() { stat -c %s "$1" 2>/dev/null || echo "-"; }

echo "gltf tools on $(nproc) CPU(s), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); median of $runs runs"
echo "ours: luneo gltf ($(go version | cut -d' ' -f3)); Khronos glTF-Validator $(node -p 'require("./tools/gltf-validator/node_modules/gltf-validator/package.json").version'); gltf-transform $("$gltf_transform" --version 2>/dev/null | tail -1); gltfpack $(gltfpack -v 2>&1 | head -1 | sed 's/^gltfpack //')"
echo
echo "| model | bytes | validate ours ms | validate Khronos ms | optimize ours ms / bytes | gltf-transform ms / bytes | gltfpack ms / bytes |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for f in "$corpus"/*.glb; do
	name=$(basename "$f" .glb)
	v_ours=$(ms "$runs" "$luneo" gltf validate "$f")
	v_khr=$(ms "$runs" "${khronos[@]}" "$f")
	o_ours=$(ms "$runs" "$luneo" gltf optimize "$f" "$tmp/$name.luneo.glb")
	"$luneo" gltf validate "$tmp/$name.luneo.glb" >/dev/null || echo "WARNING: our output for $name does not validate" >&2
	o_gt=$(ms "$runs" "$gltf_transform" optimize "$f" "$tmp/$name.gt.glb" --palette false --join false --flatten false --instance false --compress false)
	o_gp=$(ms "$runs" gltfpack -i "$f" -o "$tmp/$name.gp.glb" -kn -km -ke -noq)
	echo "| $name | $(size "$f") | $v_ours | $v_khr | $o_ours / $(size "$tmp/$name.luneo.glb") | $o_gt / $(size "$tmp/$name.gt.glb") | $o_gp / $(size "$tmp/$name.gp.glb") |"
done
