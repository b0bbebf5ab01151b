#!/usr/bin/env python3
"""make bench: hostfit replay against DuckDB on the same plan and month (issue 17).

1. Plan on July 1-14 of a Bitbrains folder, with the time-aware default and with each VM's
   peak (sum of peaks), then replay both on July 15-31: the held-out risk side by side.
2. Replay a plan of every VM on the whole month (about 4 M rows), timed with peak memory,
   against DuckDB computing the same sum: per VM the largest CPU and memory in each 300 s
   interval, an empty interval holding the previous value and the first value before the
   first, summed per host. Both count the host-intervals over headroom, host by host.

3. Seeds (issue 29): the default plan of July 1-14 with several seeds, each run twice (the
   second with both cores kept busy by another process), replayed on July 15-31: hosts and
   held-out overload per seed, and whether the two runs wrote the same placements.

  replay.py bench --hostfit .build/release/hostfit --traces DIR [--runs 3]
  replay.py seeds --hostfit .build/release/hostfit --traces DIR [--seeds 1,2,3]
  replay.py duckdb DIR PLACEMENTS.csv HOSTS.csv OUT.csv   (the peer, used by bench)
"""
import argparse, csv, json, os, subprocess, sys, tempfile

HOSTS = 40


def run_duckdb(folder, placements, hosts, out):
    import duckdb
    con = duckdb.connect()
    pattern = os.path.join(folder, "*.csv.gz")
    con.execute(f"""
        COPY (
          WITH raw AS (
            SELECT regexp_extract(filename, '([^/]+)\\.csv\\.gz$', 1) AS vm, ts // 300 AS slot,
                   cpu_mhz AS cpu, mem_kb / 1024 AS memory
            FROM read_csv('{pattern}', delim=';\t', header=true, filename=true,
                          columns={{'ts': 'BIGINT', 'cores': 'DOUBLE', 'capacity': 'DOUBLE', 'cpu_mhz': 'DOUBLE', 'cpu_pct': 'DOUBLE',
                                   'mem_capacity_kb': 'DOUBLE', 'mem_kb': 'DOUBLE', 'disk_read': 'DOUBLE', 'disk_write': 'DOUBLE',
                                   'net_in': 'DOUBLE', 'net_out': 'DOUBLE'}})
            WHERE capacity > 0
          ), plan AS (SELECT * FROM read_csv('{placements}', header=true, all_varchar=true)),
          per_slot AS (
            SELECT vm, slot, max(cpu) AS cpu, max(memory) AS memory FROM raw WHERE vm IN (SELECT vm FROM plan) GROUP BY ALL
          ), bounds AS (SELECT min(slot) AS lo, max(slot) AS hi FROM per_slot),
          grid AS (
            SELECT v.vm, s.slot FROM (SELECT DISTINCT vm FROM per_slot) v, bounds, range(bounds.lo, bounds.hi + 1) s(slot)
          ), filled AS (
            SELECT g.vm, g.slot,
                   coalesce(last_value(p.cpu IGNORE NULLS) OVER w, first_value(p.cpu IGNORE NULLS) OVER a) AS cpu,
                   coalesce(last_value(p.memory IGNORE NULLS) OVER w, first_value(p.memory IGNORE NULLS) OVER a) AS memory
            FROM grid g LEFT JOIN per_slot p USING (vm, slot)
            WINDOW w AS (PARTITION BY g.vm ORDER BY g.slot ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
                   a AS (PARTITION BY g.vm ORDER BY g.slot ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
          ), loads AS (
            SELECT plan.host, slot, sum(cpu) AS cpu, sum(memory) AS memory FROM filled JOIN plan USING (vm) GROUP BY ALL
          ), caps AS (SELECT * FROM read_csv('{hosts}', header=true))
          SELECT host, max(cpu) AS cpu_peak, max(memory) AS memory_peak,
                 count(*) FILTER (WHERE cpu > cpu_cores * cpu_mhz * 0.8 * (1 + 1e-9)) AS cpu_over_headroom,
                 count(*) FILTER (WHERE memory > memory_mb * 0.9 * (1 + 1e-9)) AS memory_over_headroom
          FROM loads JOIN caps USING (host) GROUP BY ALL ORDER BY ALL
        ) TO '{out}' (HEADER, DELIMITER ',')
    """)


def timed(command):
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        result = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", t.name] + command, capture_output=True, text=True)
        if result.returncode not in (0, 1):
            sys.exit(f"bench: {' '.join(command)} failed:\n{result.stderr[-2000:]}")
        seconds, kb = open(t.name).read().split()[-2:]
        return float(seconds), int(kb) / 1024, result


def bench(args):
    folder = args.traces
    with tempfile.TemporaryDirectory(prefix="hostfit-replay-") as tmp:
        hosts = f"{tmp}/hosts.csv"
        with open(hosts, "w") as f:
            f.write("host,cpu_cores,cpu_mhz,memory_mb\n")
            for k in range(1, HOSTS + 1):
                f.write(f"host{k:03d},32,2600,262144\n")
        print("Plan on 2013-07-01 to 07-15, replay on 07-15 to 07-31; hosts of 32 cores x 2.6 GHz, 256 GB; headroom cpu=80 memory=90")
        print(f"{'sizing':<22} {'hosts':>6} {'over capacity':>14} {'over headroom':>14} {'worst % of capacity':>20}")
        for sizing in ["history", "peak"]:
            plan = f"{tmp}/plan-{sizing}"
            subprocess.run([args.hostfit, "plan", "--hosts", hosts, "--traces", folder, "--until", "2013-07-15", "--sizing", sizing,
                            "--out", plan], check=True, capture_output=True)
            summary = json.load(open(f"{plan}/summary.json"))
            subprocess.run([args.hostfit, "replay", "--plan", f"{plan}/placements.csv", "--traces", folder, "--out", f"{tmp}/replay-{sizing}"],
                           check=True, capture_output=True)
            r = json.load(open(f"{tmp}/replay-{sizing}/summary.json"))
            worst = f'{r["worst_overload"]["pct_of_capacity"]:.1f}' if r.get("worst_overload") else "none over headroom"
            name = "time-aware (default)" if sizing == "history" else "sum of peaks"
            print(f"{name:<22} {summary['hosts_used']:>6} {r['over_capacity_pct']:>13.3f}% {r['over_headroom_pct']:>13.3f}% {worst:>20}")

        month = f"{tmp}/plan-month"
        subprocess.run([args.hostfit, "plan", "--hosts", hosts, "--traces", folder, "--solver", "heuristic", "--out", month],
                       check=True, capture_output=True)
        placements = f"{month}/placements.csv"
        vms = sum(1 for _ in open(placements)) - 1
        ours_cmd = [args.hostfit, "replay", "--plan", placements, "--traces", folder, "--out", f"{tmp}/replay-month"]
        theirs_cmd = [sys.executable, __file__, "duckdb", folder, placements, hosts, f"{tmp}/duckdb.csv"]
        ours = [timed(ours_cmd) for _ in range(args.runs)]
        theirs = [timed(theirs_cmd) for _ in range(args.runs)]
        r = json.load(open(f"{tmp}/replay-month/summary.json"))
        print(f"\nReplay of {vms} VMs on their month: {r['rows'] / 1e6:.2f} M rows, {r['intervals']} intervals, best of {args.runs} runs")
        o, t = min(x[0] for x in ours), min(x[0] for x in theirs)
        om, tm = max(x[1] for x in ours), max(x[1] for x in theirs)
        print(f"{'tool':<8} {'seconds':>8} {'peak MB':>8} {'time / hostfit':>15}")
        print(f"{'hostfit':<8} {o:>8.2f} {om:>8.0f} {1:>15.2f}")
        print(f"{'duckdb':<8} {t:>8.2f} {tm:>8.0f} {t / o:>15.2f}")
        mine = {}
        with open(f"{tmp}/replay-month/hosts.csv") as f:
            for row in csv.DictReader(f):
                mine[(row["host"], row["resource"])] = (float(row["peak"]), int(row["intervals_over_headroom"]))
        agree = total = 0
        with open(f"{tmp}/duckdb.csv") as f:
            for row in csv.DictReader(f):
                for res, peak, over in [("cpu", "cpu_peak", "cpu_over_headroom"), ("memory", "memory_peak", "memory_over_headroom")]:
                    total += 1
                    m = mine.get((row["host"], res))
                    if m and abs(m[0] - float(row[peak])) <= 0.01 + 1e-9 * float(row[peak]) and m[1] == int(row[over]):
                        agree += 1
        print(f"hostfit vs duckdb: {agree} of {total} host peaks and over-headroom counts agree")
        met = o < 3 and agree == total and total > 0
        print(f"target (a month of 500 VMs under 3 s, agreeing with DuckDB): {'met' if met else 'NOT met'}")


def write_hosts(path):
    with open(path, "w") as f:
        f.write("host,cpu_cores,cpu_mhz,memory_mb\n")
        for k in range(1, HOSTS + 1):
            f.write(f"host{k:03d},32,2600,262144\n")


def seeds(args):
    folder = args.traces
    with tempfile.TemporaryDirectory(prefix="hostfit-seeds-") as tmp:
        hosts = f"{tmp}/hosts.csv"
        write_hosts(hosts)
        print("The default plan of July 1-14 by seed, replayed on July 15-31 (headroom cpu=80 memory=90); "
              "each seed planned twice, the second time with both cores busy with another process")
        print(f"{'seed':>4} {'hosts':>6} {'over capacity':>14} {'over headroom':>14} {'work s':>7} {'seconds':>8} {'busy s':>7} {'same plan':>10}")
        for seed in [int(x) for x in args.seeds.split(",")]:
            runs = []
            for busy in (False, True):
                burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)] if busy else []
                try:
                    out = f"{tmp}/plan-{seed}-{int(busy)}"
                    subprocess.run([args.hostfit, "plan", "--hosts", hosts, "--traces", folder, "--until", "2013-07-15",
                                    "--headroom", "cpu=80,memory=90", "--seed", str(seed), "--out", out], check=True, capture_output=True)
                finally:
                    for b in burners:
                        b.kill()
                runs.append((out, json.load(open(f"{out}/summary.json"))))
            (first, summary), (second, busy_summary) = runs
            subprocess.run([args.hostfit, "replay", "--plan", f"{first}/placements.csv", "--traces", folder, "--from", "2013-07-15",
                            "--headroom", "cpu=80,memory=90", "--out", f"{tmp}/replay-{seed}"], check=True, capture_output=True)
            r = json.load(open(f"{tmp}/replay-{seed}/summary.json"))
            same = open(f"{first}/placements.csv").read() == open(f"{second}/placements.csv").read()
            print(f"{seed:>4} {summary['hosts_used']:>6} {r['over_capacity_pct']:>13.3f}% {r['over_headroom_pct']:>13.3f}% "
                  f"{summary.get('work_s', 0):>7.2f} {summary['run_time_s']:>8.2f} {busy_summary['run_time_s']:>7.2f} "
                  f"{'yes' if same else 'NO'}{' (time limit)' if summary.get('stopped_by_time_limit') else ''}", flush=True)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "duckdb":
        run_duckdb(*sys.argv[2:6])
        return
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["bench", "seeds"])
    ap.add_argument("--hostfit", required=True)
    ap.add_argument("--traces", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seeds", default="1,2,3")
    args = ap.parse_args()
    (seeds if args.mode == "seeds" else bench)(args)


if __name__ == "__main__":
    main()
