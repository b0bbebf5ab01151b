#!/usr/bin/env python3
"""make bench: the anytime curve (issue 29). Mean gap to the known optimum of the anytime
sample, 12 Panigrahy 3-D instances (classes 2, 3, 6, 7, 8 and 9; 250 and 500 items;
instance 7 of each), at time limits of 1, 3, 10 and 30 s, and on work budgets of 1, 3 and
10 reference seconds (Hostfit's --effort; CP-SAT's max_deterministic_time), side by side
with OR-Tools CP-SAT (one worker, the same first-fit hint; see cpsat.py). Hostfit and
CP-SAT run at the same time, one core each. Also: how many Hostfit plans ended on a greedy
plan that no later phase improved (and on first fit, which none should), and how many its
time limit cut short.

Run by Benchmarks/run from the .venv, which has ortools.
"""
import argparse, os, subprocess, sys, time

sys.path.insert(0, os.path.dirname(__file__))
from cpsat import read, cpsat  # noqa: E402

SAMPLE = [f"class{c}/class{c}_{n}_3_7" for c in (2, 3, 6, 7, 8, 9) for n in (250, 500)]


def optimum_table(root):
    table = {}
    for dirpath, _, files in os.walk(root):
        if "Panigrahy_summary_known.csv" in files:
            for line in open(os.path.join(dirpath, "Panigrahy_summary_known.csv")):
                f = line.split()
                if len(f) >= 3 and f[2].lstrip("-").isdigit() and int(f[2]) > 0:
                    table[f[0]] = int(f[2])
    return table


def row(label, files, optimum, bench, limit, effort=None):
    env = dict(os.environ)
    if effort is not None:
        env["HOSTFIT_BENCH_EFFORT"] = str(effort)
    env["HOSTFIT_BENCH_VERBOSE"] = "1"
    start = time.monotonic()
    run = subprocess.Popen([bench, "binpacking-shard", str(limit)] + files, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, env=env)
    theirs = {}
    for path in files:
        capacity, items = read(path)
        name = os.path.basename(path)[:-4]
        theirs[name] = cpsat(capacity, items, limit, deterministic=effort)[0]
    out, err = run.communicate()
    if run.returncode != 0:
        sys.exit(f"bench: hostfit-bench failed: {err[-2000:]}")
    ours, seconds = {}, 0.0
    for line in out.splitlines():
        f = line.split("\t")
        ours[f[0]] = int(f[3])
        seconds += float(f[6])
    # The verbose log names how each plan was made: "ffd-sum" alone is an unimproved first fit,
    # "bc-dot" alone an unimproved bin-centric plan (or either one already at the bound),
    # "(clock)" a plan its time limit cut short.
    unimproved = firstfit = clock = 0
    for line in err.splitlines():
        if ": " in line and " hosts, bound " in line:
            name, rest = line.split(": ", 1)
            hosts, bound = int(rest.split()[0]), int(rest.split("bound ")[1].split()[0])
            made = rest.split("), ", 1)[1].split(";")[0]
            if "+" not in made and hosts > bound and name in optimum and hosts > optimum[name]:
                unimproved += 1
                firstfit += made.startswith("ffd")
            if line.rstrip().endswith("(clock)"):
                clock += 1
    gap = lambda table: 100 * sum((table[k] - optimum[k]) / optimum[k] for k in optimum) / len(optimum)
    at = lambda table: sum(1 for k in optimum if table[k] == optimum[k])
    print(f"{label:<26} {gap(ours):>8.2f}% {gap(theirs):>8.2f}% {at(ours):>6}/{len(optimum)} {at(theirs):>6}/{len(optimum)}"
          f" {seconds / len(files):>7.2f} {unimproved:>7} {firstfit:>6} {clock:>6}", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hostfit-bench", required=True)
    ap.add_argument("--limits", default="1,3,10,30")
    ap.add_argument("--efforts", default="1,3,10")
    ap.add_argument("root", help="the vector instances folder (holds Panigrahy_instances_multidim)")
    args = ap.parse_args()
    folder = os.path.join(args.root, "Panigrahy_instances_multidim")
    files = [os.path.join(folder, f + ".vbp") for f in SAMPLE]
    # The known optima sit beside the instances (results/ next to instances/).
    known = {**optimum_table(os.path.dirname(os.path.abspath(args.root))), **optimum_table(args.root)}
    optimum = {os.path.basename(f)[:-4]: known[os.path.basename(f)[:-4]] for f in files}
    print(f"The anytime sample: {len(files)} Panigrahy 3-D instances of 250 and 500 items with a known optimum; "
          "mean gap to it, instances at it, Hostfit's mean seconds, plans left at the greedy plan (of them, at first fit), plans the clock cut short")
    print(f"{'limit':<26} {'Hostfit':>9} {'CP-SAT':>9} {'=opt':>7} {'=opt':>7} {'sec':>7} {'greedy':>7} {'ffd':>6} {'clock':>6}")
    for limit in [float(x) for x in args.limits.split(",") if x]:
        row(f"time limit {limit:g} s", files, optimum, args.hostfit_bench, limit)
    for effort in [float(x) for x in args.efforts.split(",") if x]:
        row(f"work {effort:g} ref s", files, optimum, args.hostfit_bench, 4 * effort, effort=effort)


if __name__ == "__main__":
    main()
