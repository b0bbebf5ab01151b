#!/usr/bin/env python3
"""make bench (issue 31, started): the estate as it runs, on Bitbrains July. The estate is the
time-aware plan of July 1-14 placed as is; the advice is computed on July 15-21; every row
is replayed on July 22-31 (host-intervals over headroom and over capacity). This file holds
the rows that need no rebalancer: do nothing, and a full re-plan on July 15-21 from the
estate (its migrations). Hostfit's `rebalance` and a DRS-style baseline join them.

  rebalance.py --hostfit .build/release/hostfit --traces DIR
"""
import argparse, csv, json, subprocess, tempfile

HOSTS = 40
HEADROOM = "cpu=80,memory=90"


def run(command):
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)}: exit {done.returncode}\n{done.stderr[-2000:]}")


def replay(hostfit, traces, placements, out):
    run([hostfit, "replay", "--plan", placements, "--traces", traces, "--from", "2013-07-22", "--headroom", HEADROOM, "--out", out])
    return json.load(open(f"{out}/summary.json"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hostfit", required=True)
    ap.add_argument("--traces", required=True)
    ap.add_argument("--estate-headroom", default=HEADROOM, help="the headroom the estate was planned at (a tighter one leaves more to fix)")
    ap.add_argument("--estate-sizing", default=None, help="the sizing the estate was planned on (default: the time-aware one)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="hostfit-rebalance-") as tmp:
        hosts = f"{tmp}/hosts.csv"
        with open(hosts, "w") as f:
            f.write("host,cpu_cores,cpu_mhz,memory_mb\n")
            for k in range(1, HOSTS + 1):
                f.write(f"host{k:03d},32,2600,262144\n")
        estate = f"{tmp}/estate"
        run([args.hostfit, "plan", "--hosts", hosts, "--traces", args.traces, "--until", "2013-07-15", "--headroom", args.estate_headroom,
             "--seed", "1", "--out", estate] + (["--sizing", args.estate_sizing] if args.estate_sizing else []))
        # The estate as an inventory: each VM's allocation (sizing.csv) on the host the plan gave it.
        where = {row["vm"]: row["host"] for row in csv.DictReader(open(f"{estate}/placements.csv"))}
        vms = f"{tmp}/vms.csv"
        with open(vms, "w", newline="") as f:
            out = csv.writer(f)
            out.writerow(["vm", "vcpus", "memory_mb", "host"])
            for row in csv.DictReader(open(f"{estate}/sizing.csv")):
                out.writerow([row["vm"], row["vcpus"], row["memory_mb"], where.get(row["vm"], "")])
        print(f"Bitbrains July: the plan of July 1-14 as the estate (headroom {args.estate_headroom}, sizing {args.estate_sizing or 'time-aware'});"
              f" advice from July 15-21; replayed on July 22-31 ({HOSTS} hosts of 32 cores x 2.6 GHz, 256 GB; headroom {HEADROOM})")
        print(f"  {'':<34} {'moves':>6} {'hosts on':>9} {'over headroom':>14} {'over capacity':>14} {'overload removed':>17}")
        nothing = replay(args.hostfit, args.traces, f"{estate}/placements.csv", f"{tmp}/replay-nothing")
        on = len(set(where.values()))
        base = nothing["over_headroom_pct"]
        print(f"  {'do nothing':<34} {0:>6} {on:>9} {base:>13.3f}% {nothing['over_capacity_pct']:>13.3f}% {'-':>17}")
        replan = f"{tmp}/replan"
        run([args.hostfit, "plan", "--hosts", hosts, "--vms", vms, "--traces", args.traces, "--from", "2013-07-15", "--until", "2013-07-22",
             "--headroom", HEADROOM, "--seed", "1", "--out", replan])
        summary = json.load(open(f"{replan}/summary.json"))
        again = replay(args.hostfit, args.traces, f"{replan}/placements.csv", f"{tmp}/replay-replan")
        removed = (1 - again["over_headroom_pct"] / base) * 100 if base > 0 else 0
        print(f"  {'full re-plan on July 15-21':<34} {summary['migrations']:>6} {summary['hosts_used']:>9} {again['over_headroom_pct']:>13.3f}%"
              f" {again['over_capacity_pct']:>13.3f}% {removed:>16.1f}%")
        print("  targets (hostfit rebalance, to come): at least 90% of the do-nothing overload gone with at most 10% of the re-plan's moves")


if __name__ == "__main__":
    main()
