"""Issue 34: Hostfit on Spark local[2] against one hostfit process, on synthetic fleets.

- profiles: 20,000 VMs for a week at five minutes (40.3 million rows of cpu_mhz and
  memory_mb, 200 files of 100 whole VMs each), profiled by one process and by
  `--spark local[2]`; rows per second side by side, and the two profiles.csv compared.
- files cut by time (Azure's layout): 2,000 VMs for a week in seven files of a day each,
  through the shuffle by entity; rows per second and the samples the map side hands to it.
- plans: 100 clusters of 1,000 VMs (40 hosts each), one process planning the whole
  inventory (clusters as rules) against one Spark task per cluster.

The fleets are made once into .build-bench/ (about 1.5 GB) by this script.
"""
import argparse, filecmp, os, subprocess, sys, time

import numpy as np

WEEK = 7 * 86400
STEP = 300
START = 1_700_006_400  # a Wednesday, 00:00 UTC


def make_fleet(folder, vms, files, start=START):
    """`vms` VMs for a week, cut into `files` files of whole VMs (native wide layout)."""
    marker = os.path.join(folder, ".complete")
    if os.path.exists(marker):
        return
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(34)
    times = np.arange(start, start + WEEK, STEP, dtype=np.int64)
    per_file = vms // files
    hours = ((times - start) // 3600) % 24
    for f in range(files):
        first = f * per_file
        base = rng.uniform(200, 4000, per_file)
        daily = rng.uniform(0.1, 0.8, per_file)
        memory = rng.choice([2048, 4096, 8192, 16384], per_file)
        # Each VM's CPU: its base, a daily swing and noise; memory its size less a little noise.
        swing = np.sin((hours[None, :] - 6) / 24 * 2 * np.pi)
        cpu = base[:, None] * (1 + daily[:, None] * swing) * rng.uniform(0.8, 1.2, (per_file, times.size))
        used = memory[:, None] * rng.uniform(0.4, 0.9, (per_file, times.size))
        with open(os.path.join(folder, f"fleet-{f:04d}.csv"), "w") as out:
            out.write("timestamp,entity,cpu_mhz,memory_mb\n")
            for t in range(times.size):
                rows = [f"{times[t]},vm-{first + v:06d},{cpu[v, t]:.1f},{used[v, t]:.0f}" for v in range(per_file)]
                out.write("\n".join(rows) + "\n")
    open(marker, "w").close()


def make_azure(folder, vms):
    """`vms` VMs for a week in Azure's vm_cpu_readings layout, a file a day, every VM in each."""
    marker = os.path.join(folder, ".complete")
    if os.path.exists(marker):
        return
    os.makedirs(folder, exist_ok=True)
    import base64, hashlib
    rng = np.random.default_rng(35)
    ids = [base64.b64encode(hashlib.sha256(str(k).encode()).digest()).decode() for k in range(vms)]
    for day in range(7):
        times = np.arange(day * 86400, (day + 1) * 86400, STEP)
        avg = rng.uniform(1, 95, (times.size, vms))
        with open(os.path.join(folder, f"vm_cpu_readings-file-{day + 1}-of-7.csv"), "w") as out:
            for t in range(times.size):
                out.write("\n".join(f"{times[t]},{ids[v]},{avg[t, v] / 2:.4f},{min(100, avg[t, v] * 1.4):.4f},{avg[t, v]:.4f}"
                                    for v in range(vms)) + "\n")
    with open(os.path.join(folder, "vmtable.csv"), "w") as out:
        for k, vm in enumerate(ids):
            out.write(f"{vm},{ids[(k + 1) % vms]},{ids[(k + 2) % vms]},0,{WEEK},99,10,50,Interactive,{[1, 2, 4, 8][k % 4]},{[1.75, 3.5, 7, 14][k % 4]}\n")
    open(marker, "w").close()


def make_clusters(folder, clusters, vms_each, hosts_each):
    marker = os.path.join(folder, ".complete")
    if os.path.exists(marker):
        return
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(36)
    with open(os.path.join(folder, "hosts.csv"), "w") as h, open(os.path.join(folder, "vms.csv"), "w") as v:
        h.write("host,cluster,cpu_cores,cpu_mhz,memory_mb,cost\n")
        v.write("vm,vcpus,memory_mb,cluster,cpu_mhz,memory_used_mb\n")
        for c in range(clusters):
            name = f"c{c:03d}"
            for k in range(hosts_each):
                h.write(f"{name}-h{k:02d},{name},48,2600,524288,12000\n")
            vcpus = rng.choice([1, 2, 4, 8], vms_each, p=[0.2, 0.4, 0.3, 0.1])
            for k in range(vms_each):
                n = int(vcpus[k])
                v.write(f"{name}-vm{k:04d},{n},{n * 4096},{name},{n * rng.integers(200, 1500)},{n * rng.integers(1000, 3500)}\n")
    open(marker, "w").close()


def timed(arguments):
    started = time.perf_counter()
    done = subprocess.run(arguments, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(arguments[:3])}... exited {done.returncode}: {done.stderr[-2000:]}")
    return seconds, done


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hostfit", required=True)
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--vms", type=int, default=20_000)
    ap.add_argument("--azure-vms", type=int, default=2_000, help="VMs of the fleet in Azure's layout")
    ap.add_argument("--only", choices=["profiles", "azure", "plans"])
    args = ap.parse_args()
    cache = ".build-bench"
    work = os.path.join(cache, "spark-out")
    os.makedirs(work, exist_ok=True)
    hostfit = os.path.abspath(args.hostfit)

    if args.only in (None, "profiles"):
        fleet = os.path.join(cache, f"fleet-{args.vms}")
        started = time.perf_counter()
        make_fleet(fleet, args.vms, max(1, args.vms // 100))
        rows = args.vms * (WEEK // STEP)
        size = sum(os.path.getsize(os.path.join(fleet, f)) for f in os.listdir(fleet) if f.endswith(".csv"))
        print(f"profiles: {args.vms:,} VMs for a week at 5 minutes, {rows:,} rows ({size / 1e9:.2f} GB, {args.vms // 100} files of whole VMs)"
              f"{'' if time.perf_counter() - started < 1 else f', made in {time.perf_counter() - started:.0f} s'}")
        one_s, _ = timed([hostfit, "profile", "--traces", fleet, "--out", f"{work}/one.csv"])
        spark_s, _ = timed([hostfit, "profile", "--spark", args.master, "--traces", fleet, "--out", f"{work}/spark.csv"])
        same = filecmp.cmp(f"{work}/one.csv", f"{work}/spark.csv", shallow=False)
        print(f"  {'profiled by':<34} {'seconds':>8} {'rows per second':>16}")
        print(f"  {'one hostfit process':<34} {one_s:>8.1f} {rows / one_s:>16,.0f}")
        print(f"  {'Spark ' + args.master:<34} {spark_s:>8.1f} {rows / spark_s:>16,.0f}")
        print(f"  Spark over one process: {one_s / spark_s:.2f}x the rows per second; profiles.csv {'identical' if same else 'DIFFERENT'}")

    if args.only in (None, "azure"):
        vms = args.azure_vms
        azure = os.path.join(cache, f"azure-{vms}")
        make_azure(azure, vms)
        rows = vms * (WEEK // STEP)
        options = ["--core-mhz", "2400"]
        one_s, _ = timed([hostfit, "profile", "--traces", azure] + options + ["--out", f"{work}/azure-one.csv"])
        spark_s, _ = timed([hostfit, "profile", "--spark", args.master, "--traces", azure] + options + ["--out", f"{work}/azure-spark.csv"])
        samples = f"{work}/azure-samples.csv"
        timed([hostfit, "profile", "--traces", azure, "--samples-out", samples])
        shuffle = os.path.getsize(samples)
        os.remove(samples)
        same = filecmp.cmp(f"{work}/azure-one.csv", f"{work}/azure-spark.csv", shallow=False)
        print(f"files cut by time (Azure's layout): {vms:,} VMs for a week, {rows:,} rows in 7 files of a day")
        print(f"  {'profiled by':<34} {'seconds':>8} {'rows per second':>16}")
        print(f"  {'one hostfit process':<34} {one_s:>8.1f} {rows / one_s:>16,.0f}")
        print(f"  {'Spark ' + args.master + ', shuffle by entity':<34} {spark_s:>8.1f} {rows / spark_s:>16,.0f}")
        print(f"  shuffled: {shuffle / 1e6:.0f} MB of samples ({shuffle / rows:.0f} bytes a row); profiles.csv {'identical' if same else 'DIFFERENT'}")

    if args.only in (None, "plans"):
        inventory = os.path.join(cache, "clusters-100x1000")
        make_clusters(inventory, 100, 1000, 40)
        given = ["--hosts", f"{inventory}/hosts.csv", "--vms", f"{inventory}/vms.csv", "--seed", "1"]
        one_s, one = timed([hostfit, "plan"] + given + ["--out", f"{work}/plan-one"])
        spark_s, spark = timed([hostfit, "plan", "--spark", args.master] + given + ["--out", f"{work}/plan-spark"])
        import json
        a = json.load(open(f"{work}/plan-one/summary.json"))
        b = json.load(open(f"{work}/plan-spark/summary.json"))
        print("plans: 100 clusters of 1,000 VMs and 40 hosts each")
        print(f"  {'planned by':<34} {'seconds':>8} {'hosts':>7} {'status':>10}")
        print(f"  {'one hostfit process (whole)':<34} {one_s:>8.1f} {a['hosts_used']:>7} {a['status']:>10}")
        print(f"  {'Spark ' + args.master + ', a task a cluster':<34} {spark_s:>8.1f} {b['hosts_used']:>7} {b['status']:>10}")
        print(f"  Spark over one process: {one_s / spark_s:.2f}x the speed; bound {b.get('lower_bound')} hosts, "
              f"{'checked valid' if 'hostfit check: valid' in spark.stdout else 'NOT CHECKED'}")


if __name__ == "__main__":
    main()
