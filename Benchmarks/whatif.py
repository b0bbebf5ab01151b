#!/usr/bin/env python3
"""make bench: hostfit whatif, 10 scenarios over the 500 VMs of a Bitbrains month (issue 17).

Writes an inventory for the month (each VM's cores and memory from its trace), 40 owned
hosts, a two-model catalog and ten scenarios (today, two P2V refreshes, N+1, two failures,
growth, added VMs, right-sizing, a tighter headroom), runs them in one `hostfit whatif` and
checks every scenario's plan with `hostfit check`. Target: under 30 s for the ten.

  whatif.py --hostfit .build/release/hostfit --traces DIR
"""
import argparse, csv, glob, gzip, os, subprocess, sys, tempfile, time

SCENARIOS = """
base:
  hosts: hosts.csv
  vms: vms.csv
  models: models.csv
  traces: {traces}
  headroom: cpu=80,memory=90
  sizing: profile
scenarios:
  - name: today
  - name: refresh-dense
    drain_hosts: [{all_hosts}]
    buy: [dense-2x32c-512g]
  - name: refresh-mid
    drain_hosts: [{all_hosts}]
    buy: [mid-2x16c-256g]
  - name: n+1
    from: today
    reserve: 1
  - name: host001-fails
    from: today
    fail_hosts: [host001]
  - name: two-fail
    from: host001-fails
    fail_hosts: [host002]
  - name: growth-30pct
    from: today
    growth: {{percent_per_year: 30, months: 12}}
  - name: fifty-more
    from: today
    add_vms: {{like: "1", count: 50, prefix: new}}
  - name: right-sized
    from: today
    right_size: true
  - name: headroom-70
    from: today
    headroom: cpu=70
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hostfit", required=True)
    ap.add_argument("--traces", required=True)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="hostfit-whatif-") as tmp:
        hosts = [f"host{k:03d}" for k in range(1, 41)]
        with open(f"{tmp}/hosts.csv", "w") as f:
            f.write("host,model,cpu_cores,cpu_mhz,memory_mb,cost,power_idle_w,power_max_w\n")
            for h in hosts:
                f.write(f"{h},r650,32,2600,262144,14000,110,390\n")
        with open(f"{tmp}/models.csv", "w") as f:
            f.write("model,cpu_cores,cpu_mhz,memory_mb,cost,power_idle_w,power_max_w\n")
            f.write("dense-2x32c-512g,64,2400,524288,26000,150,520\nmid-2x16c-256g,32,2800,262144,13000,105,360\n")
        vms = 0
        with open(f"{tmp}/vms.csv", "w") as f:
            f.write("vm,vcpus,memory_mb\n")
            for path in sorted(glob.glob(os.path.join(args.traces, "*.csv.gz"))):
                with gzip.open(path, "rt") as g:
                    next(g)
                    for line in g:
                        c = [x.strip() for x in line.split(";")]
                        if len(c) >= 6 and float(c[2]) > 0:
                            f.write(f"{os.path.basename(path).split('.')[0]},{max(1, int(float(c[1])))},{max(1, round(float(c[5]) / 1024))}\n")
                            vms += 1
                            break
        with open(f"{tmp}/scenarios.yaml", "w") as f:
            f.write(SCENARIOS.format(traces=os.path.abspath(args.traces), all_hosts=", ".join(hosts)))
        start = time.time()
        run = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", f"{tmp}/time", args.hostfit, "whatif", "--scenarios",
                              f"{tmp}/scenarios.yaml", "--time-limit", "2", "--out", f"{tmp}/out"], capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"bench: whatif failed:\n{run.stderr[-2000:]}")
        seconds, kb = open(f"{tmp}/time").read().split()[-2:]
        print(f"whatif: 10 scenarios over {vms} VMs (hour-of-week p95 profiles, 2 s per plan): {float(seconds):.1f} s, {int(kb) / 1024:.0f} MB peak")
        print(run.stdout.strip())
        rows = list(csv.DictReader(open(f"{tmp}/out/whatif.csv")))
        checked = 0
        for row in rows:
            check = subprocess.run([args.hostfit, "check", "--plan", f"{tmp}/out/{row['folder']}/placements.csv"], capture_output=True, text=True)
            checked += check.returncode == 0
        print(f"hostfit check accepts {checked} of {len(rows)} scenario plans")
        met = float(seconds) < 30 and checked == len(rows) == 10
        print(f"target (10 scenarios over 500 VMs under 30 s, every plan checked): {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
