#!/usr/bin/env python3
"""make test: schemathesis against the service's own /openapi.json, on a real server on
loopback with SampleData loaded; fails on any 5xx (or a crash). Fixed seed, so a failure
can be replayed.

  run_schemathesis.py --hostfit .build/debug/hostfit [--examples 30]
"""
import argparse, os, pathlib, re, subprocess, sys, tempfile

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
            run = subprocess.run([str(pathlib.Path(sys.executable).parent / "schemathesis"), "run", f"http://127.0.0.1:{port}/openapi.json",
                                  "-H", "Authorization: Bearer schemathesis", "--checks", "not_a_server_error",
                                  "--max-examples", str(args.examples), "--seed", "20261203", "--no-color"], capture_output=True, text=True)
            summary = [l for l in run.stdout.splitlines() if "generated" in l or "passed" in l or "failed" in l]
            alive = server.poll() is None
            print("schemathesis against /openapi.json:", "; ".join(s.strip() for s in summary[-2:]) or run.stdout[-500:])
            if run.returncode != 0 or not alive:
                print(run.stdout[-4000:])
                if not alive: print("the server died:\n" + open(f"{tmp}/server.log").read()[-3000:])
                sys.exit("run_schemathesis: the service answered 5xx or died")
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
