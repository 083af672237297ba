#!/usr/bin/env bash
# Measures the memory limits of Luneo issue 8: peak RSS of `luneo usdz` on
# the worst models the default texture budget (256 MiB decoded) accepts and
# on the texture bomb, then peak RSS of a `luneo dev` server (VmHWM) sent
# the texture bomb, a zip bomb and a mask bomb, and converting the worst
# accepted model. With BASE=<git revision> the same runs are made with the
# binary of that revision first ("before"), e.g. BASE=main.
#
# Usage: [BASE=rev] bench/memory.sh        Needs: go, curl, python3.
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
for k in bomb worst4 worst1 mask; do "$tmp/memmodel" -kind "$k" "$tmp/$k.$([[ $k == mask ]] && echo png || echo glb)"; done
python3 - "$tmp/zipbomb.zip" <<'PY'
import sys, zipfile
# 1 GiB of zeros in one entry: about 1 MB of zip.
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    with z.open("bomb.glb", "w", force_zip64=True) as f:
        chunk = bytes(1 << 20)
        for _ in range(1024):
            f.write(chunk)
PY
for f in bomb.glb worst4.glb worst1.glb mask.png zipbomb.zip; do echo "input $f: $(stat -c %s "$tmp/$f") bytes"; done

echo
echo "## luneo usdz (peak RSS from /usr/bin/time)"
echo
echo "| binary | model | result | wall s | peak RSS MiB |"
echo "|---|---|---|---:|---:|"
for v in "${versions[@]}"; do
	for m in worst4 worst1 bomb; do
		if /usr/bin/time -f "%e %M" -o "$tmp/time" "$tmp/luneo-$v" usdz "$tmp/$m.glb" "$tmp/$m.$v.usdz" >/dev/null 2>"$tmp/err"; then
			res="ok, $(stat -c %s "$tmp/$m.$v.usdz") bytes"
		else
			res="refused: $(grep -v warning "$tmp/err" | head -1 | cut -c1-90)"
		fi
		read -r wall kb < <(tail -1 "$tmp/time")
		echo "| $v | $m | $res | $wall | $((kb / 1024)) |"
	done
done

echo
echo "## luneo dev server (peak RSS = VmHWM of the process after each step)"
echo
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
for v in "${versions[@]}"; do
	rm -rf "$tmp/data"
	LUNEO_DATA="$tmp/data" LUNEO_ADDR="127.0.0.1:$port" LUNEO_LOG_LEVEL=warn "$tmp/luneo-$v" dev >"$tmp/dev.log" 2>&1 &
	pid=$!
	until curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do sleep 0.05; done
	until [[ -s $tmp/data/demo-login.txt ]]; do sleep 0.05; done
	python3 - "$v" "$port" "$pid" "$tmp" <<'PY'
import json, sys, time, urllib.request, urllib.error
v, port, pid, tmp = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
base = f"http://127.0.0.1:{port}"
def hwm():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM"):
            return int(line.split()[1]) // 1024
def call(method, path, body=None, ctype="application/json", token=None):
    req = urllib.request.Request(base + path, data=body, method=method)
    req.add_header("Content-Type", ctype)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=600) as r:
            return r.status, json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")
email, password = open(f"{tmp}/data/demo-login.txt").read().split()
_, tok = call("POST", "/api/auth/login", json.dumps({"email": email, "password": password}).encode())
tok = tok["access_token"]
def product(name):
    _, p = call("POST", "/api/products", json.dumps({"name": name, "price": 100, "currency": "eur"}).encode(), token=tok)
    return p["product"]["id"]
def upload(name, path, ctype):
    pid_ = product(name)
    t0 = time.monotonic()
    st, out = call("POST", f"/api/products/{pid_}/model", open(path, "rb").read(), ctype, tok)
    msg = out.get("detail") or out.get("title") or ""
    return pid_, st, msg, time.monotonic() - t0
def wait_ar(pid_):
    t0 = time.monotonic()
    while time.monotonic() - t0 < 900:
        st, out = call("GET", f"/api/products/{pid_}/ar", token=tok)
        if st != 202:
            return f"{st} {out.get('status', '')} {out.get('error', '')}".strip()
        time.sleep(0.5)
    return "timeout"
rows = [("idle", "", 0, hwm())]
pb, st, msg, dt = upload("bomb", f"{tmp}/bomb.glb", "model/gltf-binary")
rows.append(("texture bomb upload", f"{st} {msg[:100]}", dt, hwm()))
if st < 300:
    rows.append(("texture bomb conversion", wait_ar(pb), 0, hwm()))
_, st, msg, dt = upload("zip", f"{tmp}/zipbomb.zip", "application/zip")
rows.append(("zip bomb upload", f"{st} {msg[:100]}", dt, hwm()))
pw, st, msg, dt = upload("worst", f"{tmp}/worst4.glb", "model/gltf-binary")
rows.append(("worst4 upload", f"{st} {msg[:60]}", dt, hwm()))
rows.append(("worst4 conversion", wait_ar(pw), 0, hwm()))
_, z = call("POST", f"/api/products/{pw}/zones", json.dumps({"name": "Side", "material": "M0", "type": "print", "width_mm": 100, "height_mm": 50, "dpi": 300}).encode(), token=tok)
t0 = time.monotonic()
st, out = call("POST", f"/api/products/{pw}/zones/{z['zone']['id']}/mask", open(f"{tmp}/mask.png", "rb").read(), "image/png", tok)
rows.append(("mask bomb upload", f"{st} {(out.get('detail') or '')[:100]}", time.monotonic() - t0, hwm()))
for step, res, dt, mb in rows:
    print(f"| {v} | {step} | {res} | {dt:.1f} | {mb} |")
PY
	kill -TERM "$pid"
	wait "$pid" || true
	pid=
done | { echo "| binary | step | answer | s | peak RSS MiB so far |"; echo "|---|---|---|---:|---:|"; cat; }
