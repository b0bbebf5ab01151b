#!/usr/bin/env python3
"""make test: schemathesis against the service's own /openapi.json, on a real server on
loopback with SampleData loaded, once with a token of each role (a tenant's reader and
operator, then the estate's admin); fails on any 5xx (or a crash), and on any answer whose
status, content type or body the document does not describe. Fixed seed, so a failure
can be replayed.

  run_schemathesis.py --hostfit .build/debug/hostfit [--examples 30]
"""
import argparse, json, os, pathlib, re, subprocess, sys, tempfile, urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hostfit", required=True)
    ap.add_argument("--examples", type=int, default=30)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="hostfit-schemathesis-") as tmp:
        open(f"{tmp}/token", "w").write("schemathesis\n")
        server = subprocess.Popen([args.hostfit, "serve", "--db", f"{tmp}/store.sqlite", "--port", "0", "--token-file", f"{tmp}/token",
                                   "--hosts", str(ROOT / "SampleData/hosts.csv"), "--vms", str(ROOT / "SampleData/estate-vms.csv")],
                                  stdout=subprocess.PIPE, stderr=open(f"{tmp}/server.log", "w"), text=True)
        try:
            port = int(re.search(r"127\.0\.0\.1:(\d+)", server.stdout.readline()).group(1))
            base = f"http://127.0.0.1:{port}"

            def admin(method, path, body):
                request = urllib.request.Request(base + path, data=json.dumps(body).encode(), method=method,
                                                 headers={"Authorization": "Bearer schemathesis", "Content-Type": "application/json"})
                return json.load(urllib.request.urlopen(request))

            admin("PUT", "/tenants/qa", {"quota": {"vms": 20, "vcpus": 64}})
            tokens = [(role, admin("POST", "/tenants/qa/tokens", {"role": role})["token"]) for role in ("reader", "operator")]
            for role, token in tokens + [("admin", "schemathesis")]:
                run = subprocess.run([str(pathlib.Path(sys.executable).parent / "schemathesis"), "run", f"{base}/openapi.json",
                                      "-H", f"Authorization: Bearer {token}", "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
                                      "--max-examples", str(args.examples if role == "admin" else max(5, args.examples // 3)),
                                      "--seed", "20261203", "--no-color"], capture_output=True, text=True)
                summary = [l for l in run.stdout.splitlines() if "generated" in l or "passed" in l or "failed" in l]
                alive = server.poll() is None
                print(f"schemathesis against /openapi.json as {role}:", "; ".join(s.strip() for s in summary[-2:]) or run.stdout[-500:])
                if run.returncode != 0 or not alive:
                    print(run.stdout[-4000:])
                    if not alive: print("the server died:\n" + open(f"{tmp}/server.log").read()[-3000:])
                    sys.exit(f"run_schemathesis: the service answered 5xx or died (as {role})")
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
