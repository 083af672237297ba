#!/usr/bin/env bash
# Measures the memory limits of Luneo issue 8: peak RSS of `luneo usdz` on
# the worst models the default texture budget (256 MiB decoded) accepts and
# on the texture bomb, then peak RSS of a `luneo dev` server (VmHWM) sent
# the texture bomb, a zip bomb and a mask bomb, and converting the worst
# accepted model. With BASE=<git revision> the same runs are made with the
# binary of that revision first ("before"), e.g. BASE=main.
#
# "par4" uploads worst1max four times at once (their conversions following);
# "dense" and "dense100" upload and convert a 27 MiB and a 100 MiB mesh of
# distinct vertices (their answer also gives the peak once the upload answered).
# STEPS="par4 idle" runs only those server steps (and no `luneo usdz` runs).
#
# Usage: [BASE=rev] [STEPS=…] bench/memory.sh        Needs: go, curl, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
pid=
trap 'if [[ -n $pid ]]; then kill "$pid" 2>/dev/null || true; fi; rm -rf "$tmp"' EXIT

go build -o "$tmp/luneo-after" ./cmd/luneo
go build -o "$tmp/memmodel" ./bench/memmodel
versions=(after)
if [[ -n ${BASE:-} ]]; then
	mkdir "$tmp/base"
	git archive "$BASE" | tar -x -C "$tmp/base"
	(cd "$tmp/base" && go build -o "$tmp/luneo-before" ./cmd/luneo)
	versions=(before after)
fi

echo "machine: $(nproc) CPU(s), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GB RAM, load $(cut -d' ' -f1-3 /proc/loadavg)"
for k in bomb worst4 worst1 tiny mask; do "$tmp/memmodel" -kind "$k" "$tmp/$k.$([[ $k == mask ]] && echo png || echo glb)"; done
# worst1max: worst1 brought to just under the 100 MiB upload limit with data no accessor uses.
"$tmp/memmodel" -kind worst1 -pad $((104857600 - $(stat -c %s "$tmp/worst1.glb") - 4096)) "$tmp/worst1max.glb"
python3 - "$tmp/zipbomb.zip" <<'PY'
import sys, zipfile
# 1 GiB of zeros in one entry: about 1 MB of zip.
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    with z.open("bomb.glb", "w", force_zip64=True) as f:
        chunk = bytes(1 << 20)
        for _ in range(1024):
            f.write(chunk)
PY
for spec in densemax:1999998 dense:2400000 dense100:8700000; do python3 - "$tmp/${spec%%:*}.glb" "${spec#*:}" <<'PY'
import array, json, random, struct, sys
# dense: 2.4 million distinct vertices (27 MiB GLB), the worst case for the
# optimizer (nothing welds) and for USD, which writes geometry as text;
# dense100: 8.7 million, just under the 100 MiB upload limit; densemax:
# 1,999,998, just under the vertex limit of a USDZ package (2 million), so
# the largest geometry a conversion accepts.
n = int(sys.argv[2])
random.seed(1)
a = array.array("f", (random.random() for _ in range(n * 3)))
b = a.tobytes()
j = {"asset": {"version": "2.0"}, "scene": 0, "scenes": [{"nodes": [0]}], "nodes": [{"mesh": 0, "name": "n"}],
     "meshes": [{"name": "m", "primitives": [{"attributes": {"POSITION": 0}, "material": 0}]}], "materials": [{"name": "M0"}],
     "buffers": [{"byteLength": len(b)}], "bufferViews": [{"buffer": 0, "byteLength": len(b), "target": 34962}],
     "accessors": [{"bufferView": 0, "componentType": 5126, "count": n, "type": "VEC3",
                    "min": [min(a[i::3]) for i in range(3)], "max": [max(a[i::3]) for i in range(3)]}]}
js = json.dumps(j).encode()
js += b" " * (-len(js) % 4)
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<III", 0x46546C67, 2, 12 + 8 + len(js) + 8 + len(b)))
    f.write(struct.pack("<I", len(js)) + b"JSON" + js + struct.pack("<I", len(b)) + b"BIN\0" + b)
PY
done
for f in densemax.glb dense.glb dense100.glb bomb.glb worst4.glb worst1.glb worst1max.glb mask.png zipbomb.zip; do echo "input $f: $(stat -c %s "$tmp/$f") bytes"; done

if [[ -z ${STEPS:-} ]]; then
echo
echo "## luneo usdz (peak RSS from /usr/bin/time)"
echo
echo "| binary | model | result | wall s | peak RSS MiB |"
echo "|---|---|---|---:|---:|"
for v in "${versions[@]}"; do
	for m in worst4 worst1 worst1max bomb densemax dense100; do
		if /usr/bin/time -f "%e %M" -o "$tmp/time" "$tmp/luneo-$v" usdz "$tmp/$m.glb" "$tmp/$m.$v.usdz" >/dev/null 2>"$tmp/err"; then
			res="ok, $(stat -c %s "$tmp/$m.$v.usdz") bytes"
		else
			res="refused: $(grep -v warning "$tmp/err" | head -1 | cut -c1-90)"
		fi
		read -r wall kb < <(tail -1 "$tmp/time")
		echo "| $v | $m | $res | $wall | $((kb / 1024)) |"
	done
done
fi

echo
echo "## luneo dev server (peak RSS = VmHWM of a fresh dev process per step)"
echo
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# step VERSION STEP: runs one step against a fresh `luneo dev` and prints its row.
step() {
	rm -rf "$tmp/data"
	LUNEO_DATA="$tmp/data" LUNEO_ADDR="127.0.0.1:$port" LUNEO_LOG_LEVEL=warn "$tmp/luneo-$1" dev >"$tmp/dev.log" 2>&1 &
	pid=$!
	until curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do sleep 0.05; done
	until [[ -s $tmp/data/demo-login.txt ]]; do sleep 0.05; done
	python3 bench/memory_step.py "$1" "$2" "$port" "$pid" "$tmp"
	kill -TERM "$pid"
	wait "$pid" || true
	pid=
}
echo "| binary | step | answer | peak RSS MiB |"
echo "|---|---|---|---:|"
for v in "${versions[@]}"; do
	for s in ${STEPS:-idle bomb zip worst4 worst1 worst1max mask par4 densemax dense dense100}; do step "$v" "$s"; done
done
