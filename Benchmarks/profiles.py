#!/usr/bin/env python3
"""make bench: Hostfit's trace profiling against pandas and DuckDB on the same data.

All three compute, for every VM of a Bitbrains folder, the hour-of-week p95 (linear
interpolation: pandas' default, DuckDB's quantile_cont) of CPU MHz, memory MB, disk MB/s
and network Mbps, with the same rules: rows with no CPU provisioned (VM not running) are
skipped, a repeated timestamp counts once. Each runs as its own process under
/usr/bin/time for wall time and peak memory; then the results are compared bucket by
bucket.

  profiles.py bench --hostfit .build/release/hostfit --traces DIR [--runs 3]
  profiles.py pandas DIR OUT.csv     (one implementation, used by bench)
  profiles.py duckdb DIR OUT.csv
"""
import argparse, csv, glob, gzip, os, subprocess, sys, tempfile

METRICS = ["cpu", "memory", "disk_mbps", "net"]


def run_pandas(folder, out):
    import pandas as pd
    frames = []
    for path in sorted(glob.glob(os.path.join(folder, "*.csv.gz"))):
        df = pd.read_csv(path, sep=";", skipinitialspace=True)
        df.columns = [c.strip() for c in df.columns]
        df["entity"] = os.path.basename(path).split(".")[0]
        frames.append(df)
    df = pd.concat(frames, ignore_index=True)
    df = df[df["CPU capacity provisioned [MHZ]"] > 0]
    df = df.drop_duplicates(subset=["entity", "Timestamp [ms]"], keep="first")
    ts = df["Timestamp [ms]"].astype("int64")
    out_df = pd.DataFrame({
        "entity": df["entity"],
        "bucket": ((ts // 3600) + 72) % 168,
        "cpu": df["CPU usage [MHZ]"],
        "memory": df["Memory usage [KB]"] / 1024,
        "disk_mbps": (df["Disk read throughput [KB/s]"] + df["Disk write throughput [KB/s]"]) / 1024,
        "net": (df["Network received throughput [KB/s]"] + df["Network transmitted throughput [KB/s]"]) * 8 * 1024 / 1e6,
    })
    q = out_df.groupby(["entity", "bucket"])[METRICS].quantile(0.95).reset_index()
    q.to_csv(out, index=False)


def run_duckdb(folder, out):
    import duckdb
    con = duckdb.connect()
    pattern = os.path.join(folder, "*.csv.gz")
    con.execute(f"""
        COPY (
          WITH raw AS (
            SELECT regexp_extract(filename, '([^/]+)\\.csv\\.gz$', 1) AS entity, *
            FROM read_csv('{pattern}', delim=';\t', header=true, filename=true,
                          columns={{'ts': 'BIGINT', 'cores': 'DOUBLE', 'capacity': 'DOUBLE', 'cpu_mhz': 'DOUBLE', 'cpu_pct': 'DOUBLE',
                                   'mem_capacity_kb': 'DOUBLE', 'mem_kb': 'DOUBLE', 'disk_read': 'DOUBLE', 'disk_write': 'DOUBLE',
                                   'net_in': 'DOUBLE', 'net_out': 'DOUBLE'}})
          ), running AS (
            SELECT * FROM raw WHERE capacity > 0
            QUALIFY row_number() OVER (PARTITION BY entity, ts) = 1
          )
          SELECT entity, ((ts // 3600) + 72) % 168 AS bucket,
                 quantile_cont(cpu_mhz, 0.95) AS cpu,
                 quantile_cont(mem_kb / 1024, 0.95) AS memory,
                 quantile_cont((disk_read + disk_write) / 1024, 0.95) AS disk_mbps,
                 quantile_cont((net_in + net_out) * 8 * 1024 / 1e6, 0.95) AS net
          FROM running GROUP BY ALL ORDER BY ALL
        ) TO '{out}' (HEADER, DELIMITER ',')
    """)


def timed(command):
    """Runs a command under /usr/bin/time; returns (seconds, peak MB)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        result = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", t.name] + command, capture_output=True, text=True)
        if result.returncode != 0:
            sys.exit(f"bench: {' '.join(command)} failed:\n{result.stderr[-2000:]}")
        seconds, kb = open(t.name).read().split()[-2:]
        return float(seconds), int(kb) / 1024


def load_long(path):
    values = {}
    with open(path) as f:
        for row in csv.DictReader(f):
            for m in METRICS:
                values[(row["entity"], int(row["bucket"]), m)] = float(row[m])
    return values


def load_hostfit(path):
    values = {}
    with open(path) as f:
        reader = csv.reader(f)
        header = next(reader)
        first = header.index("mon00")
        for row in reader:
            for k, cell in enumerate(row[first:first + 168]):
                if cell != "":
                    values[(row[0], k, row[1])] = float(cell)
    return values


def agree(ours, theirs):
    """Buckets present in both that match to the 3 decimals profiles.csv keeps."""
    keys = set(ours) | set(theirs)
    bad = [k for k in keys if k not in ours or k not in theirs or abs(ours[k] - theirs[k]) > 0.0005 + 1e-9 * abs(theirs[k])]
    return len(keys), bad


def bench(args):
    folder = args.traces
    files = sorted(glob.glob(os.path.join(folder, "*.csv.gz")))
    size = sum(os.path.getsize(f) for f in files) / 1e6
    rows = 0
    for f in files:
        with gzip.open(f, "rb") as g:
            rows += sum(1 for _ in g) - 1
    print(f"Profiles of {folder}: {len(files)} VMs, {rows / 1e6:.2f} M rows, {size:.0f} MB gzip;")
    print("hour-of-week p95 of cpu, memory, disk and network per VM, best of", args.runs, "runs")
    with tempfile.TemporaryDirectory(prefix="hostfit-bench-") as tmp:
        outs = {"hostfit": f"{tmp}/hostfit.csv", "duckdb": f"{tmp}/duckdb.csv", "pandas": f"{tmp}/pandas.csv"}
        commands = {
            "hostfit": [args.hostfit, "profile", "--traces", folder, "--buckets", "hour-of-week", "--percentile", "95", "--out", outs["hostfit"]],
            "duckdb": [sys.executable, __file__, "duckdb", folder, outs["duckdb"]],
            "pandas": [sys.executable, __file__, "pandas", folder, outs["pandas"]],
        }
        results = {}
        for tool in ["hostfit", "duckdb", "pandas"]:
            runs = [timed(commands[tool]) for _ in range(args.runs)]
            results[tool] = (min(r[0] for r in runs), max(r[1] for r in runs))
        base = results["hostfit"][0]
        print(f"{'tool':<8} {'seconds':>8} {'peak MB':>8} {'time / hostfit':>15}")
        for tool, (seconds, mb) in results.items():
            print(f"{tool:<8} {seconds:>8.2f} {mb:>8.0f} {seconds / base:>15.2f}")
        ours = load_hostfit(outs["hostfit"])
        for tool in ["duckdb", "pandas"]:
            total, bad = agree(ours, load_long(outs[tool]))
            print(f"hostfit vs {tool}: {total - len(bad)} of {total} bucket values agree" + (f"; first differences: {sorted(bad)[:3]}" if bad else ""))
        ok = all(not agree(ours, load_long(outs[t]))[1] for t in ["duckdb", "pandas"])
        target = results["hostfit"][0] < results["duckdb"][0] and results["pandas"][0] >= 3 * results["hostfit"][0] and results["hostfit"][1] < 1024
        print(f"target (faster than DuckDB, 3x faster than pandas, under 1 GB, all agree): {'met' if target and ok else 'NOT met'}")


def main():
    if len(sys.argv) > 1 and sys.argv[1] in ("pandas", "duckdb"):
        (run_pandas if sys.argv[1] == "pandas" else run_duckdb)(sys.argv[2], sys.argv[3])
        return
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["bench"])
    ap.add_argument("--hostfit", required=True)
    ap.add_argument("--traces", required=True)
    ap.add_argument("--runs", type=int, default=3)
    bench(ap.parse_args())


if __name__ == "__main__":
    main()
