"""One step of bench/memory.sh against a running `luneo dev`: log in as the
demo user, send one hostile or heavy input, wait for its conversion, and
print a markdown row with the answer and the process's peak RSS (VmHWM)."""
import json
import sys
import time
import urllib.error
import urllib.request

version, step, port, pid, tmp = sys.argv[1:6]
base = f"http://127.0.0.1:{port}"


def peak_mib():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM"):
            return int(line.split()[1]) // 1024


def call(method, path, body=None, ctype="application/json", token=None):
    req = urllib.request.Request(base + path, data=body, method=method)
    req.add_header("Content-Type", ctype)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=900) as r:
            return r.status, json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


email, password = open(f"{tmp}/data/demo-login.txt").read().split()
_, out = call("POST", "/api/auth/login", json.dumps({"email": email, "password": password}).encode())
token = out["access_token"]


def product():
    _, p = call("POST", "/api/products", json.dumps({"name": step, "price": 100, "currency": "eur"}).encode(), token=token)
    return p["product"]["id"]


def upload(path, ctype):
    pid_ = product()
    st, out = call("POST", f"/api/products/{pid_}/model", open(path, "rb").read(), ctype, token)
    return pid_, f"{st} {(out.get('detail') or '')[:110]}".strip(), st


def conversion(pid_):
    start = time.monotonic()
    while time.monotonic() - start < 900:
        st, out = call("GET", f"/api/products/{pid_}/ar", token=token)
        if st != 202:
            return f"; conversion: {st} {out.get('status', '')} {(out.get('error') or '')[:80]}".rstrip()
        time.sleep(0.2)
    return "; conversion: timeout"


answer = ""
if step in ("bomb", "worst4", "worst1", "worst1max", "densemax", "dense", "dense100"):
    p, answer, st = upload(f"{tmp}/{step}.glb", "model/gltf-binary")
    if step.startswith("dense"):
        answer += f" (peak {peak_mib()} MiB when it answered)"
    if st < 300:
        answer += conversion(p)
elif step == "par4":
    # Four uploads of worst1max at once; their conversions run beside the
    # uploads still being read.
    import threading
    results = [None] * 4
    start = time.monotonic()

    def one(i):
        results[i] = upload(f"{tmp}/worst1max.glb", "model/gltf-binary")
    threads = [threading.Thread(target=one, args=(i,)) for i in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    uploaded = time.monotonic() - start
    answer = ", ".join(r[1].split(" ")[0] for r in results) + f" in {uploaded:.0f} s"
    convs = [conversion(r[0]) for r in results if r[2] < 300]
    answer += "; conversions: " + ", ".join(c.split(": ")[1].split(" ")[0] for c in convs) + f" after {time.monotonic() - start:.0f} s"
elif step == "zip":
    _, answer, _ = upload(f"{tmp}/zipbomb.zip", "application/zip")
elif step == "mask":
    p, answer, st = upload(f"{tmp}/tiny.glb", "model/gltf-binary")
    conversion(p)
    _, z = call("POST", f"/api/products/{p}/zones", json.dumps({"name": "Side", "material": "M0", "type": "print",
                                                                 "width_mm": 100, "height_mm": 50, "dpi": 300}).encode(), token=token)
    st, out = call("POST", f"/api/products/{p}/zones/{z['zone']['id']}/mask", open(f"{tmp}/mask.png", "rb").read(), "image/png", token)
    answer = f"{st} {(out.get('detail') or '')[:110]}".strip()
print(f"| {version} | {step} | {answer} | {peak_mib()} |")
