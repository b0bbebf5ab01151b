#!/usr/bin/env python3
"""Hostfit against OR-Tools CP-SAT on the assignment model, same instances, same limit,
same machine (issue 5): BPPLIB one-dimensional and vector instances of 100-500 items.

CP-SAT gets x[i,b] (item i in bin b), y[b] (bin b used), with one bin per item, capacity
per dimension, y[b] >= y[b+1], and at most as many bins as first-fit decreasing needs,
whose plan it also gets as a hint: the same start Hostfit has. The two run side by side,
one core each (CP-SAT with one worker; Hostfit is single-threaded), so the comparison
takes one time limit per instance. Run by Benchmarks/run from the .venv, which it fills
with ortools when missing.
"""
import argparse, os, subprocess, sys, time

from ortools.sat.python import cp_model


def read(path):
    numbers = open(path).read().split()
    if path.endswith(".vbp"):
        d = int(numbers[0])
        capacity = [int(float(x)) for x in numbers[1:1 + d]]
        n = int(numbers[1 + d])
        items, k = [], 2 + d
        for _ in range(n):
            size = [int(float(x)) for x in numbers[k:k + d]]
            items += [size] * int(numbers[k + d])
            k += d + 1
        return capacity, items
    n = int(numbers[0])
    return [int(float(numbers[1]))], [[int(float(w))] for w in numbers[2:2 + n]]


def first_fit_decreasing(capacity, items):
    order = sorted(range(len(items)), key=lambda i: -sum(s / c for s, c in zip(items[i], capacity)))
    loads, where = [], [0] * len(items)
    for i in order:
        for b, load in enumerate(loads):
            if all(l + s <= c for l, s, c in zip(load, items[i], capacity)):
                loads[b] = [l + s for l, s in zip(load, items[i])]
                where[i] = b
                break
        else:
            loads.append(list(items[i]))
            where[i] = len(loads) - 1
    return len(loads), where


def cpsat(capacity, items, limit, deterministic=None):
    """Bins used, whether proven, seconds. `deterministic`: a work budget in CP-SAT's
    deterministic seconds instead (the limit then only caps it)."""
    bins, hint = first_fit_decreasing(capacity, items)
    m = cp_model.CpModel()
    n, D = len(items), len(capacity)
    x = [[m.NewBoolVar("") for _ in range(bins)] for _ in range(n)]
    y = [m.NewBoolVar("") for _ in range(bins)]
    for i in range(n):
        m.AddExactlyOne(x[i])
    for b in range(bins):
        for d in range(D):
            m.Add(sum(items[i][d] * x[i][b] for i in range(n)) <= capacity[d] * y[b])
        if b + 1 < bins:
            m.Add(y[b] >= y[b + 1])
    for i in range(n):
        for b in range(bins):
            m.AddHint(x[i][b], 1 if hint[i] == b else 0)
    for b in range(bins):
        m.AddHint(y[b], 1)
    m.Minimize(sum(y))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = limit
    if deterministic is not None:
        solver.parameters.max_deterministic_time = deterministic
    solver.parameters.num_workers = 1
    start = time.monotonic()
    status = solver.Solve(m)
    seconds = time.monotonic() - start
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return int(round(solver.ObjectiveValue())), status == cp_model.OPTIMAL, seconds
    return bins, False, seconds


def candidates(roots, low, high):
    found = []
    for root in roots:
        for dirpath, _, files in os.walk(root):
            for f in files:
                if f.endswith(".vbp") or (f.endswith(".txt") and "_" in f and f[0].isupper()):
                    path = os.path.join(dirpath, f)
                    try:
                        n = len(read(path)[1])
                    except (ValueError, IndexError):
                        continue
                    if low <= n <= high:
                        found.append(path)
    return sorted(found)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hostfit-bench", required=True)
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--time-limit", type=float, default=10)
    ap.add_argument("roots", nargs="+")
    args = ap.parse_args()
    pool = candidates(args.roots, 100, 500)
    step = max(1, len(pool) // args.count)
    chosen = pool[::step][:args.count]
    print(f"Hostfit against CP-SAT: {len(chosen)} instances of 100-500 items (every {step}th of {len(pool)}), "
          f"{args.time_limit:g} s each")
    hostfit_run = subprocess.Popen([args.hostfit_bench, "binpacking-shard", str(args.time_limit)] + chosen,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    results = []
    for path in chosen:
        capacity, items = read(path)
        results.append((path, len(items)) + cpsat(capacity, items, args.time_limit))
    out, err = hostfit_run.communicate()
    if hostfit_run.returncode != 0:
        sys.exit(f"bench: hostfit-bench failed: {err[-2000:]}")
    hostfit = {}
    for line in out.splitlines():
        f = line.split("\t")
        hostfit[f[0]] = (int(f[3]), f[5] == "optimal", float(f[6]))
    fewer = same = more = 0
    h_time = c_time = 0.0
    print(f"{'instance':<28} {'n':>4} {'hostfit':>7} {'CP-SAT':>6}")
    for path, n, bins, proven, cs in results:
        name = os.path.basename(path).rsplit(".", 1)[0]
        hosts, _, hs = hostfit[name]
        h_time += hs
        c_time += cs
        if hosts < bins: fewer += 1
        elif hosts == bins: same += 1
        else: more += 1
        mark = "" if hosts <= bins else "  <- CP-SAT better"
        print(f"{name:<28} {n:>4} {hosts:>7} {bins:>6}{' (opt)' if proven else ''}{mark}", flush=True)
    total = len(chosen)
    print(f"Hostfit uses fewer hosts on {fewer}, as many on {same}, more on {more} of {total}: "
          f"no more than CP-SAT on {100 * (fewer + same) / total:.1f}% (target 90%); "
          f"mean seconds: Hostfit {h_time / total:.2f}, CP-SAT {c_time / total:.2f}")


if __name__ == "__main__":
    main()
