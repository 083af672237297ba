#!/usr/bin/env bash
# Compares `luneo compose` with sharp (libvips) on the anchor composite of
# ../shared/anchors/sharp-composite.mjs: decode a 2048² PNG, composite a
# 1024² RGBA overlay at 256,256 and a 96 px DejaVu Sans text (white, black
# stroke 3, baseline 64,1900), resize to 1024², WebP q90.
#
# Whole process: ROUNDS rounds, each running luneo (WebP method 2, the
# default, then method 4 = sharp's effort 4, then method 2 built with
# -tags nodynamic: Go inflate and WebAssembly libwebp) and sharp, so
# load changes hit all alike; prints median wall ms, median CPU ms
# (user+sys) and peak RSS. Warm in process: the compose test binary's
# benchmark (lower median of 10 runs after a warm-up) against sharp's
# --repeat 11 warm median (also the lower median of 10 after a warm-up),
# alternating ROUNDS times; medians. Ratios are luneo / sharp (0.5 or
# below meets the issue's goal).
#
# Usage: bench/compose.sh [ROUNDS]      (default 7)
# Needs: go, node with ../shared/anchors/node_modules (npm ci there), python3.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-7}
anchors=${ANCHORS:-../shared/anchors}
[[ -d "$anchors/node_modules/sharp" ]] || { echo "run npm ci in $anchors first" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/luneo" ./cmd/luneo
# Without system libraries (no libdeflate, libwebp in WebAssembly): the
# configuration of a machine that lacks them.
go build -tags nodynamic -o "$tmp/luneo-pure" ./cmd/luneo
node "$anchors/gen-inputs.mjs" "$tmp" >/dev/null
cat >"$tmp/scene.json" <<'EOF'
{"width": 2048, "height": 2048, "dpi": 300, "layers": [
  {"type": "image", "src": "base-2048.png", "x": 0, "y": 0},
  {"type": "image", "src": "overlay-1024.png", "x": 256, "y": 256},
  {"type": "text", "text": "Luneo 2048 -> 1024", "font": "DejaVuSans.ttf", "size": 96,
   "color": "#ffffff", "stroke": "#000000", "stroke_width": 3, "x": 64, "y": 1900}]}
EOF

python3 - "$rounds" "$tmp" "$anchors" <<'PY'
import os, statistics, subprocess, sys, time
rounds, tmp, anchors = int(sys.argv[1]), sys.argv[2], sys.argv[3]
cmds = {
    "luneo m2": [f"{tmp}/luneo", "compose", "--size", "1024", "--quality", "90", f"{tmp}/scene.json", f"{tmp}/luneo2.webp"],
    "luneo m4": [f"{tmp}/luneo", "compose", "--size", "1024", "--quality", "90", "--method", "4", f"{tmp}/scene.json", f"{tmp}/luneo4.webp"],
    "luneo m2 pure-Go/wasm": [f"{tmp}/luneo-pure", "compose", "--size", "1024", "--quality", "90", f"{tmp}/scene.json", f"{tmp}/luneo-pure.webp"],
    "sharp": ["node", f"{anchors}/sharp-composite.mjs", f"{tmp}/base-2048.png", f"{tmp}/overlay-1024.png", f"{tmp}/sharp.webp"],
}
res = {k: {"wall": [], "cpu": [], "rss": 0} for k in cmds}
for _ in range(rounds):
    for name, cmd in cmds.items():
        t0 = time.monotonic_ns()
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, ru = os.wait4(p.pid, 0)
        wall = (time.monotonic_ns() - t0) / 1e6
        if status != 0:
            sys.exit(f"{name} failed: {p.stderr.read().decode()}")
        r = res[name]
        r["wall"].append(wall); r["cpu"].append((ru.ru_utime + ru.ru_stime) * 1000); r["rss"] = max(r["rss"], ru.ru_maxrss / 1024)
print(f"whole process, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}, median of {rounds} alternating rounds")
print("| tool | wall ms | CPU ms | peak RSS MB | output bytes | wall ratio to sharp |")
print("|---|---:|---:|---:|---:|---:|")
sw = statistics.median(res["sharp"]["wall"])
for name, r in res.items():
    out = cmds[name][-1] if name != "sharp" else f"{tmp}/sharp.webp"
    w = statistics.median(r["wall"])
    print(f"| {name} | {w:.0f} | {statistics.median(r['cpu']):.0f} | {r['rss']:.0f} | {os.path.getsize(out)} | {w/sw:.2f} |")
PY

# Same picture? Mean absolute difference per channel (0-255) to sharp's.
(cd "$anchors" && node -e '
const sharp = require("sharp");
(async () => {
  const [a, b] = await Promise.all(process.argv.slice(1).map((f) => sharp(f).removeAlpha().raw().toBuffer()));
  let s = 0; for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  console.log(`luneo m2 output vs sharp output: mean abs difference ${(s / a.length).toFixed(2)} / 255`);
})()' "$tmp/luneo2.webp" "$tmp/sharp.webp")

echo
echo "warm in process (load $(cut -d' ' -f1 /proc/loadavg)), $rounds alternating rounds:"
go test -c -o "$tmp/compose.test" ./compose/
go test -c -tags nodynamic -o "$tmp/compose-pure.test" ./compose/
python3 - "$rounds" "$tmp" "$anchors" <<'PY'
import json, os, re, statistics, subprocess, sys
rounds, tmp, anchors = int(sys.argv[1]), sys.argv[2], sys.argv[3]
env = dict(os.environ, LUNEO_COMPOSE_BENCH=tmp)
def gobench(binary, name):
    out = subprocess.run([binary, "-test.run", "^$", "-test.bench", f"^{name}$", "-test.benchtime", "10x"],
                         env=env, capture_output=True, text=True, check=True).stdout
    # The benchmark's median-ms (lower median of its 10 timed runs), like
    # sharp's warm_median_ms; ns/op is a mean that one GC pause drags up.
    return float(re.search(r"\s([\d.]+) median-ms", out).group(1))
res = {"sharp (--repeat 11, warm median)": [], "luneo m2": [], "luneo m4": [], "luneo m2 pure-Go/wasm": []}
for _ in range(rounds):
    out = subprocess.run(["node", f"{anchors}/sharp-composite.mjs", f"{tmp}/base-2048.png", f"{tmp}/overlay-1024.png",
                          f"{tmp}/sharp.webp", "--repeat", "11"], capture_output=True, text=True, check=True).stdout
    res["sharp (--repeat 11, warm median)"].append(json.loads(out)["warm_median_ms"])
    res["luneo m2"].append(gobench(f"{tmp}/compose.test", "BenchmarkSharpComposite"))
    res["luneo m4"].append(gobench(f"{tmp}/compose.test", "BenchmarkSharpCompositeMethod4"))
    res["luneo m2 pure-Go/wasm"].append(gobench(f"{tmp}/compose-pure.test", "BenchmarkSharpComposite"))
s = statistics.median(res["sharp (--repeat 11, warm median)"])
print("| tool | warm median ms | ratio to sharp |")
print("|---|---:|---:|")
for label, v in res.items():
    ms = statistics.median(v)
    print(f"| {label} | {ms:.0f} | {ms/s:.2f} |")
PY

echo
echo "backends: $(LUNEO_COMPOSE_BENCH=$tmp go test ./compose/ -run TestBackends -v -count 1 | grep -o 'inflate=.*' || echo unknown)"
