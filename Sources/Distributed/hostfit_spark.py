"""Hostfit on Apache Spark: Spark distributes, Hostfit computes.

`hostfit profile --spark MASTER ...` writes a job file and runs this driver (with pyspark's
Python, or SPARK_HOME's spark-submit). Every task runs the same `hostfit` binary on its
share, so the numbers are Hostfit's own:

- files cut by entity (each holds whole entities): the files are spread over tasks, each
  runs `hostfit profile --partial` on its share, and the driver joins the parts with
  `hostfit profile --merge`, which judges gaps over the whole study window;
- files cut by time (Azure's vm_cpu_readings, every VM in every file): each task turns its
  file into samples (`hostfit profile --samples-out`, native long layout), Spark regroups
  the samples by entity (a shuffle), and each task profiles its entities from them, with
  the files that hold no samples (vmtable: sizes) beside; then the same join.

A task that dies is retried by Spark (local[N] runs as local[N,4], which allows retries);
each task writes only its own files, so a retry gives the same output. Bad input (hostfit
exit 2) is not retried: the job stops with hostfit's `file:line` message and exit 2.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import warnings

BAD_INPUT = 2
# Copies of the cluster's files -> their own names, for messages.
ORIGINALS = {}


def named(text):
    """hostfit's messages with each fetched copy called by its own name."""
    for local, original in ORIGINALS.items():
        text = text.replace(local, original)
    return text


class BadInput(Exception):
    """Hostfit refused its input: retrying cannot help."""


def run_hostfit(hostfit, arguments):
    done = subprocess.run([hostfit] + arguments, capture_output=True, text=True)
    return done.returncode, done.stdout, done.stderr


def fail_first_attempt(task):
    """For the test of retries: with HOSTFIT_SPARK_FAIL_ONCE=FILE, the first attempt of task 0
    of each stage writes FILE and dies, as a lost executor would."""
    marker = os.environ.get("HOSTFIT_SPARK_FAIL_ONCE")
    if not marker or task != 0:
        return
    from pyspark import TaskContext
    context = TaskContext.get()
    if context is not None and context.attemptNumber() == 0:
        with open(marker, "a") as f:
            f.write(f"stage {context.stageId()} task {task} attempt 0 died\n")
        os._exit(3)


def profile_share(hostfit, work, arguments, k, files, extra=()):
    """One task: `hostfit profile --partial` on its files; (k, partial CSV, notes) or a bad input."""
    fail_first_attempt(k)
    out = os.path.join(work, f"part-{k:05d}.csv")
    traces = [a for f in list(files) + list(extra) for a in ("--traces", f)]
    code, _, err = run_hostfit(hostfit, ["profile"] + traces + arguments + ["--partial", "--out", out])
    if code == BAD_INPUT or (code == 1 and "no profiles" in err):
        return (k, None, err)
    if code != 0:
        raise RuntimeError(f"hostfit profile exited {code} on task {k}: {err.strip()[-2000:]}")
    with open(out) as f:
        text = f.read()
    os.remove(out)
    return (k, text, err)


def samples_of(hostfit, work, arguments, k, path):
    """Map side of a time cut: one file's samples into a native long file of the work folder;
    (k, path, that file or None where it holds no samples (a side file such as vmtable),
    hostfit's notes, or None for a bad input with its message)."""
    fail_first_attempt(k)
    out = os.path.join(work, "samples", f"samples-{k:05d}.csv")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    code, _, err = run_hostfit(hostfit, ["profile", "--traces", path] + arguments + ["--samples-out", out])
    if code == BAD_INPUT:
        return (k, path, None, err, False)
    if code != 0:
        raise RuntimeError(f"hostfit profile --samples-out exited {code} on {path}: {err.strip()[-2000:]}")
    with open(out) as f:
        f.readline()
        empty = not f.readline()
    if empty:
        os.remove(out)
    return (k, path, None if empty else out, err, True)


# What the JVM and Spark say on every start, which tells a user nothing.
NOISE = (b"WARNING: Using incubator modules", b"Setting default log level to", b"To adjust logging level use",
         b"Using Spark's default log4j profile")


def quiet_stderr():
    """Sends what the JVM writes to stderr through a filter that drops its start-up noise;
    this script's own messages go straight out. Returns what `main` calls at the end."""
    real = os.dup(2)
    read_end, write_end = os.pipe()
    os.dup2(write_end, 2)
    os.close(write_end)
    sys.stderr = os.fdopen(os.dup(real), "w", buffering=1)

    def pump():
        with os.fdopen(read_end, "rb") as pipe:
            for line in pipe:
                if not line.startswith(NOISE):
                    os.write(real, line)

    thread = threading.Thread(target=pump, daemon=True)
    thread.start()

    def drain():
        os.close(2)
        thread.join(timeout=5)
    return drain


def show_progress(sc, stop):
    """On a terminal, the tasks done of the running stages on one line of stderr, as hostfit
    shows its own progress; nothing when stderr is a file or a pipe."""
    if not sys.stderr.isatty():
        return
    tracker = sc.statusTracker()
    while not stop.wait(0.5):
        stages = [tracker.getStageInfo(k) for k in tracker.getActiveStageIds()]
        done = sum(s.numCompletedTasks for s in stages if s)
        total = sum(s.numTasks for s in stages if s)
        if total:
            sys.stderr.write(f"\r\x1b[Kspark: {done}/{total} tasks ({time.monotonic() - STARTED:.0f} s)")
    sys.stderr.write("\r\x1b[K")


def main():
    global STARTED
    STARTED = time.monotonic()
    job = json.load(open(sys.argv[1]))
    drain = quiet_stderr()
    warnings.filterwarnings("ignore", category=FutureWarning)
    master = job["master"]
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    # Spark's own log at errors only, by the file hostfit wrote (the JVM starts before any
    # setting here could say so; spark-submit has been told of it already).
    quiet = os.path.join(os.environ.get("HOSTFIT_SPARK_WORK", tempfile.gettempdir()), "log4j2.properties")
    if os.path.exists(quiet):
        os.environ.setdefault("PYSPARK_SUBMIT_ARGS", f"--driver-java-options -Dlog4j2.configurationFile=file:{quiet} pyspark-shell")
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        sys.stderr.write(f"hostfit: --spark: pyspark is not installed for {sys.executable}: install it there "
                         "(pip install pyspark), name another Python with HOSTFIT_PYTHON, or set SPARK_HOME\n")
        drain()
        sys.exit(BAD_INPUT)

    if master.startswith("local[") and "," not in master:
        master = master[:-1] + ",4]"  # local mode retries a task only when told how often
    try:
        spark = (SparkSession.builder.master(master).appName("hostfit " + job["command"])
                 .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
                 .config("spark.task.maxFailures", "4").getOrCreate())
    except Exception as error:
        sys.stderr.write(f"hostfit: --spark {job['master']}: Spark did not start ({str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__}); "
                         "it needs Java 17 or later (java on PATH or JAVA_HOME) and a master it can reach\n")
        drain()
        sys.exit(BAD_INPUT)
    stop = threading.Event()
    progress = threading.Thread(target=show_progress, args=(spark.sparkContext, stop), daemon=True)
    progress.start()
    try:
        code = (plan if job["command"] == "plan" else profile)(spark.sparkContext, job)
    except BadInput as error:
        sys.stderr.write(f"hostfit: {error}\n")
        code = BAD_INPUT
    finally:
        stop.set()
        progress.join(timeout=2)
        spark.stop()
        drain()
    sys.exit(code)


def fetch(sc, work, remote, slots):
    """Trace files on the cluster's file system (hdfs://, s3a://, file://; folders too),
    copied into the work folder by Spark's own readers, so that hostfit reads them there;
    [(copy, original)]. Names starting with '.' or '_' (Spark's markers) are left."""
    folder = os.path.join(work, "fetched")

    def save(k, items):
        os.makedirs(folder, exist_ok=True)
        saved = []
        for i, (path, data) in enumerate(items):
            name = path.rstrip("/").rsplit("/", 1)[-1]
            if name.startswith((".", "_")):
                continue
            # A folder of its own keeps the file's name, which some formats name entities by.
            os.makedirs(os.path.join(folder, f"{k:04d}-{i:05d}"), exist_ok=True)
            local = os.path.join(folder, f"{k:04d}-{i:05d}", name)
            with open(local + ".tmp", "wb") as f:
                f.write(data)
            os.replace(local + ".tmp", local)
            saved.append((local, path))
        return saved
    return sorted(sc.binaryFiles(",".join(remote), minPartitions=max(1, slots)).mapPartitionsWithIndex(save).collect())


def profile(sc, job):
    hostfit, files, arguments = job["hostfit"], list(job["files"]), job["task_arguments"]
    work = tempfile.mkdtemp(prefix="hostfit-spark-", dir=os.environ.get("HOSTFIT_SPARK_WORK"))
    slots = sc.defaultParallelism
    if job.get("remote"):
        fetched = fetch(sc, work, job["remote"], slots)
        if not fetched:
            raise BadInput(f"{', '.join(job['remote'])}: holds no file")
        files += [local for local, _ in fetched]
        ORIGINALS.update(fetched)
    if job["cut"] == "entity":
        # Shares of about equal size: the largest file first into the smallest share.
        shares = [[] for _ in range(max(1, min(len(files), slots * 4)))]
        sizes = [0] * len(shares)
        for path in sorted(files, key=lambda p: (-os.path.getsize(p), p)):
            k = sizes.index(min(sizes))
            shares[k].append(path)
            sizes[k] += os.path.getsize(path)
        shares = [sorted(s) for s in shares if s]
        results = (sc.parallelize(list(enumerate(shares)), len(shares))
                   .map(lambda ks: profile_share(hostfit, work, arguments, ks[0], ks[1])).collect())
    else:
        # Map: each file into samples (hostfit); shuffle by entity and sort (Spark, in the
        # JVM); reduce: each share of entities profiled by hostfit. Period filters apply on
        # the map side; the reduce side profiles what came through.
        from pyspark.sql import SparkSession
        session = SparkSession.builder.getOrCreate()
        read_options = arguments_with_values(arguments, {"--from", "--until", "--label"})
        mapped = (sc.parallelize(list(enumerate(files)), max(1, len(files)))
                  .map(lambda kf: samples_of(hostfit, work, read_options, kf[0], kf[1])).collect())
        bad = [err for _, _, _, err, ok in mapped if not ok]
        if bad:
            sys.stderr.write(named(bad[0]))
            return BAD_INPUT
        side = sorted(path for _, path, out, _, _ in mapped if out is None)
        read_notes = [(-1, None, err) for _, _, _, err, _ in mapped if err]
        schema = "timestamp long, entity string, metric string, value string"
        frames = []
        outs = [out for _, _, out, _, _ in sorted(mapped) if out]
        if outs:
            frames.append(session.read.csv(outs, header=True, schema=schema))
        if job.get("parquet"):
            frames.append(parquet_frame(session, job["parquet"]))
        if not frames:
            sys.stderr.write("error: no profiles: the traces hold no samples; nothing written\n")
            return 1
        samples = frames[0] if len(frames) == 1 else frames[0].unionByName(frames[1])
        # Each entity's samples in one share, in time order (then metric and value: a fixed
        # order whatever the shuffle brought), written as a native long file per share.
        regrouped = os.path.join(work, "regrouped")
        (samples.repartition(max(1, slots * 4), "entity").sortWithinPartitions("entity", "timestamp", "metric", "value")
         .write.mode("overwrite").option("header", True).csv(regrouped))
        shares = sorted(os.path.join(regrouped, f) for f in os.listdir(regrouped) if f.startswith("part-") and os.path.getsize(os.path.join(regrouped, f)) > 0)
        shares = [p for p in shares if has_rows(p)]
        results = (sc.parallelize(list(enumerate(shares)), max(1, len(shares)))
                   .map(lambda kp: profile_share(hostfit, work, arguments, kp[0], [kp[1]], side)).collect())
        results += read_notes
    failed = [err for k, text, err in results if k >= 0 and text is None and "no profiles" not in err]
    if failed:
        sys.stderr.write(named(failed[0]))
        return BAD_INPUT
    parts = []
    for k, text, err in sorted(results, key=lambda r: r[0]):
        if text is None or k < 0:
            continue
        path = os.path.join(work, f"joined-{k:05d}.csv")
        with open(path, "w") as f:
            f.write(text)
        parts.append(path)
    # The tasks' notes as one run would give them: rows skipped summed by why, the rest once.
    skipped, notes = {}, set()
    for _, _, err in results:
        for line in err.splitlines():
            counted = re.match(r"note: skipped (\d+) (.*)$", line)
            if counted:
                skipped[counted.group(2)] = skipped.get(counted.group(2), 0) + int(counted.group(1))
            elif line.startswith("note:") and "gaps:" not in line:
                notes.add(line)
    for line in [f"note: skipped {n} {why}" for why, n in sorted(skipped.items())] + sorted(notes):
        sys.stderr.write(named(line) + "\n")
    if not parts:
        sys.stderr.write("error: no profiles: the traces hold no CPU, memory, disk or network samples; nothing written\n")
        return 1
    merge = [a for p in parts for a in ("--merge", p)]
    done = subprocess.run([hostfit, "profile"] + merge + ["--out", job["out"]], capture_output=True, text=True)
    sys.stderr.write(done.stderr)
    if done.returncode == 0:
        joined = re.search(r"(\d+) entities \((\d+) resource profiles\)", done.stdout)
        print(f"Profiled {joined.group(1)} entities ({joined.group(2)} resource profiles) on Spark {job['master']}, "
              f"{len(parts)} tasks{' after a shuffle by entity' if job['cut'] == 'time' else ''}, in {time.monotonic() - STARTED:.1f} s; wrote {job.get('out_shown', job['out'])}")
    return done.returncode


STATUS_ORDER = ["optimal", "feasible", "heuristic"]


def plan_cluster(hostfit, arguments, work, k, cluster):
    """One task: `hostfit plan` on one cluster's hosts and VMs, into a folder of its own."""
    fail_first_attempt(k)
    out = os.path.join(work, f"plan-{k:04d}")
    code, stdout, err = run_hostfit(hostfit, ["plan", "--hosts", cluster["hosts"], "--vms", cluster["vms"]] + arguments + ["--out", out])
    if code == BAD_INPUT:
        return (k, None, err)
    if code not in (0, 1):  # 1: planned, but some VMs fit nowhere (said in unplaced.csv)
        raise RuntimeError(f"hostfit plan exited {code} on cluster {cluster['name']}: {err.strip()[-2000:]}")
    return (k, out, err)


def plan(sc, job):
    """Each cluster planned by a task of its own; the plans joined and checked whole."""
    import shutil
    hostfit, arguments, out = job["hostfit"], job["task_arguments"], job["out"]
    work = tempfile.mkdtemp(prefix="hostfit-spark-plan-", dir=os.environ.get("HOSTFIT_SPARK_WORK"))
    clusters = [c for c in job["clusters"] if c["vm_count"] > 0]
    idle = [c["name"] for c in job["clusters"] if c["vm_count"] == 0]
    # The largest clusters first, so that the last task to start is a small one.
    tasks = sorted(enumerate(clusters), key=lambda kc: (-kc[1]["vm_count"], kc[0]))
    results = (sc.parallelize(tasks, max(1, len(tasks)))
               .map(lambda kc: plan_cluster(hostfit, arguments, work, kc[0], kc[1])).collect())
    bad = [err for _, folder, err in results if folder is None]
    if bad:
        sys.stderr.write(bad[0])
        return BAD_INPUT
    folders = {k: folder for k, folder, _ in results}
    notes = sorted({line for _, _, err in results for line in err.splitlines() if line.startswith("note:")})
    os.makedirs(out, exist_ok=True)
    joined = {"placements.csv": [], "hosts.csv": [], "unplaced.csv": []}
    headers = {}
    per_cluster = []
    for k, cluster in enumerate(clusters):
        folder = folders[k]
        for name in joined:
            with open(os.path.join(folder, name)) as f:
                lines = f.read().splitlines()
            headers.setdefault(name, lines[0] if lines else "")
            joined[name] += lines[1:]
        with open(os.path.join(folder, "summary.json")) as f:
            summary = json.load(f)
        summary["cluster"] = cluster["name"]
        per_cluster.append(summary)
        # Each cluster's whole plan (report.html, sizing, chargeback) beside the joined files.
        kept = os.path.join(out, "clusters", cluster["name"])
        shutil.rmtree(kept, ignore_errors=True)
        shutil.copytree(folder, kept)
    for name, lines in joined.items():
        with open(os.path.join(out, name + ".tmp"), "w") as f:
            f.write("\n".join([headers[name]] + lines) + "\n")
        os.replace(os.path.join(out, name + ".tmp"), os.path.join(out, name))

    def total(key):
        return sum(s.get(key) or 0 for s in per_cluster)
    status = max((s["status"] for s in per_cluster), key=lambda st: STATUS_ORDER.index(st) if st in STATUS_ORDER else len(STATUS_ORDER))
    merged = {
        "spark": {"master": job["master"], "tasks": len(clusters), "seconds": round(time.monotonic() - STARTED, 1)},
        "status": status,
        "clusters": [{key: s.get(key) for key in ("cluster", "status", "solver", "objective", "hosts_available", "hosts_used", "lower_bound",
                                                   "lower_bound_method", "gap", "cost", "power_w", "vms", "vms_placed", "vms_unplaced",
                                                   "migrations", "stopped_by_time_limit")} for s in per_cluster],
    }
    for key in ("hosts_available", "hosts_used", "cost", "power_w", "vms", "vms_placed", "vms_unplaced", "migrations"):
        merged[key] = total(key)
    if all(s.get("objective") == "hosts" for s in per_cluster):
        # Clusters are planned apart: their bounds add up to a bound of the whole.
        merged["lower_bound"] = total("lower_bound")
        merged["gap"] = round((merged["hosts_used"] - merged["lower_bound"]) / merged["hosts_used"], 4) if merged["hosts_used"] else 0
    with open(os.path.join(out, "summary.json.tmp"), "w") as f:
        json.dump(merged, f, indent=2, sort_keys=True)
        f.write("\n")
    os.replace(os.path.join(out, "summary.json.tmp"), os.path.join(out, "summary.json"))
    for line in notes:
        sys.stderr.write(line + "\n")
    if idle:
        sys.stderr.write(f"note: no VMs to plan in cluster{'s' if len(idle) > 1 else ''} {', '.join(idle)}: {'their' if len(idle) > 1 else 'its'} hosts are left out of the joined files\n")
    # The one validator judges the joined plan on the whole inventory.
    check = subprocess.run([hostfit, "check"] + job["check_arguments"] + ["--plan", os.path.join(out, "placements.csv")],
                           capture_output=True, text=True)
    if check.returncode != 0:
        sys.stderr.write(check.stdout + check.stderr)
        sys.stderr.write(f"error: the joined plan failed hostfit check (exit {check.returncode}); {out}/placements.csv is what was checked\n")
        return check.returncode if check.returncode == BAD_INPUT else 3
    print(f"Planned {len(clusters)} cluster{'' if len(clusters) == 1 else 's'} on Spark {job['master']} in {time.monotonic() - STARTED:.1f} s: "
          f"{merged['hosts_used']} hosts for {merged['vms_placed']} of {merged['vms']} VMs, status {status}"
          + (f", gap {merged['gap'] * 100:.1f}%" if "gap" in merged else "") + "; hostfit check: valid")
    print(f"Wrote placements.csv, hosts.csv, unplaced.csv, summary.json, and each cluster's plan in clusters/ to {job.get('out_shown', out)}")
    return 1 if merged["vms_unplaced"] else 0


def parquet_frame(session, paths):
    """The native long layout as Parquet (timestamp, entity, metric, value) in the columns the
    map side writes: timestamps as epoch seconds (integers, or Spark timestamps), values as
    text that keeps every bit."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import NumericType, TimestampType, TimestampNTZType
    frame = session.read.parquet(*paths)
    columns = {c.lower(): c for c in frame.columns}
    missing = [c for c in ("timestamp", "entity", "metric", "value") if c not in columns]
    if missing:
        raise BadInput(f"{paths[0]}: a Parquet trace needs the columns timestamp, entity, metric, value; missing {', '.join(missing)}")
    kind = frame.schema[columns["timestamp"]].dataType
    if isinstance(kind, (TimestampType, TimestampNTZType)):
        seconds = F.unix_timestamp(F.col(columns["timestamp"]))
    elif isinstance(kind, NumericType):
        seconds = F.col(columns["timestamp"]).cast("long")
    else:
        raise BadInput(f"{paths[0]}: timestamp is {kind.simpleString()}; give epoch seconds or a timestamp")
    return frame.select(seconds.alias("timestamp"), F.col(columns["entity"]).cast("string").alias("entity"),
                        F.col(columns["metric"]).cast("string").alias("metric"), F.col(columns["value"]).cast("double").cast("string").alias("value"))


def has_rows(path):
    with open(path) as f:
        f.readline()
        return bool(f.readline())


def arguments_with_values(arguments, names):
    """The options among `arguments` named in `names`, each with its value."""
    kept, k = [], 0
    while k < len(arguments):
        name = arguments[k].split("=", 1)[0]
        if name in names:
            if "=" in arguments[k]:
                kept.append(arguments[k])
                k += 1
            else:
                kept += arguments[k:k + 2]
                k += 2
        else:
            k += 1
    return kept


if __name__ == "__main__":
    main()
