#!/usr/bin/env python3
"""BPPLIB one-dimensional instances through `hostfit plan`, side by side with first-fit
decreasing alone and the proven optimum of Bounds.txt.

Each instance becomes hosts.csv (one host per item, memory = the bin capacity) and vms.csv
(memory = the item weight, no CPU demand); headroom memory=100. BPPLIB is CC BY-NC-ND:
the converted files live in a temporary folder and are never kept.
"""
import argparse, json, os, subprocess, sys, tempfile, time

def find(root, name):
    for dirpath, _, files in os.walk(root):
        if name + ".txt" in files:
            return os.path.join(dirpath, name + ".txt")
    sys.exit(f"bench: instance {name} not found under {root}")

def bounds(root):
    table = {}
    with open(os.path.join(root, "Bounds.txt")) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3:
                table[parts[0]] = (int(parts[1]), int(parts[2]))
    return table

def convert(path, folder):
    numbers = open(path).read().split()
    n, capacity, weights = int(numbers[0]), numbers[1], numbers[2:2 + int(numbers[0])]
    with open(os.path.join(folder, "hosts.csv"), "w") as f:
        f.write("host,cpu_cores,cpu_mhz,memory_mb\n")
        f.writelines(f"b{i + 1},1,1,{capacity}\n" for i in range(n))
    with open(os.path.join(folder, "vms.csv"), "w") as f:
        f.write("vm,vcpus,memory_mb,cpu_mhz\n")
        f.writelines(f"i{i + 1},1,{w},0\n" for i, w in enumerate(weights))

def plan(hostfit, folder, solver, limit):
    out = os.path.join(folder, solver)
    start = time.monotonic()
    run = subprocess.run([hostfit, "plan", "--hosts", f"{folder}/hosts.csv", "--vms", f"{folder}/vms.csv",
                          "--headroom", "memory=100", "--solver", solver, "--time-limit", str(limit), "--out", out],
                         capture_output=True, text=True)
    seconds = time.monotonic() - start
    if run.returncode not in (0, 1):
        sys.exit(f"bench: hostfit failed on {folder}: {run.stderr}")
    check = subprocess.run([hostfit, "check", "--hosts", f"{folder}/hosts.csv", "--vms", f"{folder}/vms.csv",
                            "--headroom", "memory=100", "--plan", f"{out}/placements.csv"], capture_output=True, text=True)
    summary = json.load(open(f"{out}/summary.json"))
    return summary, seconds, check.returncode == 0

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hostfit", required=True)
    ap.add_argument("--bpplib", required=True)
    ap.add_argument("--instances", nargs="+", required=True)
    ap.add_argument("--time-limit", type=float, default=60)
    args = ap.parse_args()
    known = bounds(args.bpplib)
    print(f"BPPLIB, {len(args.instances)} instances, time limit {args.time_limit:g} s each")
    print(f"{'instance':<12} {'optimum':>7} {'FFD':>5} {'hostfit':>7} {'bound':>5} {'status':<9} {'method':<24} {'seconds':>7} {'valid':>5}")
    hits = proven = 0
    with tempfile.TemporaryDirectory(prefix="hostfit-bench-") as tmp:
        for name in args.instances:
            folder = os.path.join(tmp, name)
            os.makedirs(folder)
            convert(find(args.bpplib, name), folder)
            ffd, _, ffd_valid = plan(args.hostfit, folder, "heuristic", args.time_limit)
            best, seconds, valid = plan(args.hostfit, folder, "auto", args.time_limit)
            lb, ub = known.get(name, (None, None))
            optimum = ub if lb == ub else None
            hits += best["hosts_used"] == optimum
            proven += best["status"] == "optimal"
            print(f"{name:<12} {optimum or '?':>7} {ffd['hosts_used']:>5} {best['hosts_used']:>7} {best['lower_bound']:>5} "
                  f"{best['status']:<9} {best['lower_bound_method']:<24} {seconds:>7.2f} {'yes' if valid and ffd_valid else 'NO':>5}")
    print(f"optimum reached on {hits}/{len(args.instances)}, proven optimal on {proven}/{len(args.instances)}")

if __name__ == "__main__":
    main()
