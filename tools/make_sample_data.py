#!/usr/bin/env python3
"""Derives SampleData/vms.csv from Bitbrains GWA-T-12 Rnd traces (stdlib only).

Usage: python3 tools/make_sample_data.py ../shared/data/traces/bitbrains-rnd/2013-7 SampleData 50

For the first N VMs (by file number) it writes one vms.csv row:
  vcpus          = the largest "CPU cores"
  memory_mb      = the largest "Memory capacity provisioned [KB]" / 1024
  cpu_mhz        = 95th percentile (nearest rank) of "CPU usage [MHZ]" over the month
  memory_used_mb = 95th percentile of "Memory usage [KB]" / 1024
  net_mbps       = 95th percentile of received + transmitted "[KB/s]" x 8 x 1024 / 10^6
It also copies each VM's trace for July 1-14 (UTC) into SAMPLE/traces/rnd-N.csv.gz, in the
original Bitbrains format (header, ';' plus tab, gzip), so that `hostfit plan --traces`
has a real trace to read and the bundle stays small.

Bitbrains quirks: ';' plus a tab between fields, and the column headed "Timestamp [ms]"
holds Unix seconds (unused here), and some files repeat the month with rows of 0 cores and
0 MHz provisioned (the VM not reporting): those rows are skipped, not counted as idle.
"""
import gzip, math, os, sys

TRACE_END = 1373846400  # 2013-07-15 00:00 UTC

def p95(values):
    s = sorted(values)
    return s[max(0, math.ceil(0.95 * len(s)) - 1)]

def main(src, out, count):
    files = sorted((f for f in os.listdir(src) if f.endswith(".csv.gz")), key=lambda f: int(f.split(".")[0]))[:count]
    rows = []
    os.makedirs(os.path.join(out, "traces"), exist_ok=True)
    for name in files:
        with gzip.open(os.path.join(src, name), "rt") as f:
            lines = f.readlines()
        kept = [lines[0]] + [l for l in lines[1:] if int(l.split(";")[0]) < TRACE_END]
        target = os.path.join(out, "traces", "rnd-" + name)
        with open(target, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as g:
            g.write("".join(kept).encode())
        cores = mem_kb = 0
        cpu, mem, net = [], [], []
        with gzip.open(os.path.join(src, name), "rt") as f:
            next(f)
            for line in f:
                c = [x.strip() for x in line.split(";")]
                if len(c) < 11:
                    continue
                if float(c[2]) <= 0:
                    continue
                cores, mem_kb = max(cores, int(float(c[1]))), max(mem_kb, float(c[5]))
                cpu.append(float(c[3])); mem.append(float(c[6])); net.append(float(c[9]) + float(c[10]))
        vm = "rnd-" + name.split(".")[0]
        rows.append((vm, cores, round(mem_kb / 1024), round(p95(cpu), 1), round(p95(mem) / 1024), round(p95(net) * 8 * 1024 / 1e6, 3)))
    with open(os.path.join(out, "vms.csv"), "w") as f:
        # Cost centres for the chargeback example: made up, three teams in turn.
        centres = ["finance", "web", "research"]
        f.write("vm,vcpus,memory_mb,cpu_mhz,memory_used_mb,net_mbps,cost_center\n")
        for k, r in enumerate(rows):
            f.write(",".join(str(x) for x in r) + "," + centres[k % 3] + "\n")
    print(f"wrote {len(rows)} VMs to {out}/vms.csv")

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 50)
