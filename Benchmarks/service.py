#!/usr/bin/env python3
"""make bench: hostfit serve on loopback (issue 19). 1,000 hosts; single-VM placements from
4 keep-alive clients (placements per second, p50 and p99 latency; target 1,000/s and p99
under 20 ms), then 1,000 VMs in one request (target under 1 s). Measured twice: on static
demand, and with every host already running a VM traced by the hour (started with
--traces: each placement must fit in all 168 hours of the week).

Then placements as tenants' operators beside the admin token (issue 32), and reads beside writes (issue 30): POST /ratings?top=10 for a new VM each time, from wrk
with 8 connections, while one client places VMs one by one; target at least 1,000 ratings
per second with p99 under 20 ms, placements as fast as before. With --before PROGRAM (an
older hostfit-serve), the same run on it, side by side.

  service.py --hostfit .build/release/hostfit [--count 4000] [--before /tmp/hostfit-serve-old]
"""
import argparse, http.client, json, os, random, re, shutil, subprocess, tempfile, threading, time

HOSTS = 1000


def serve(hostfit, tmp, name, extra):
    program = [hostfit] if os.path.basename(hostfit).startswith("hostfit-serve") else [hostfit, "serve"]
    server = subprocess.Popen(program + ["--db", f"{tmp}/{name}.sqlite", "--port", "0", "--token-file", f"{tmp}/token",
                               "--headroom", "cpu=100,memory=100"] + extra, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = server.stdout.readline()
    match = re.search(r"127\.0\.0\.1:(\d+)", line)
    if not match:
        server.kill()
        raise SystemExit(f"hostfit serve did not start: {line!r}")
    return server, int(match.group(1))


def call(conn, method, path, body, token="bench"):
    start = time.perf_counter()
    conn.request(method, path, json.dumps(body), {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    reply = conn.getresponse()
    data = reply.read()
    return reply.status, data, time.perf_counter() - start


def measure(label, port, count, clients, tokens=None, batch=True):
    """`tokens`: one per client (a tenant's); the estate's admin token otherwise."""
    latencies, failures, lock = [], [], threading.Lock()

    def client(c):
        mine = http.client.HTTPConnection("127.0.0.1", port)
        token = tokens[c] if tokens else "bench"
        for n in range(c, count, clients):
            status, data, seconds = call(mine, "POST", "/placements", {"vms": [{"id": f"one-{n}", "vcpus": 2, "memory_mb": 4096}]}, token)
            with lock:
                latencies.append(seconds)
                if status != 201: failures.append(data[:200])

    start = time.perf_counter()
    threads = [threading.Thread(target=client, args=(c,)) for c in range(clients)]
    for t in threads: t.start()
    for t in threads: t.join()
    elapsed = time.perf_counter() - start
    latencies.sort()
    rate = count / elapsed
    p50, p99 = latencies[len(latencies) // 2] * 1000, latencies[int(len(latencies) * 0.99)] * 1000
    print(f"{label}: single-VM placements onto 1,000 hosts, {clients} clients: {rate:.0f} per second, p50 {p50:.1f} ms, p99 {p99:.1f} ms"
          f" ({len(failures)} refused){' ' + str(failures[0]) if failures else ''}")
    print(f"  target (1,000 per second, p99 under 20 ms): {'met' if rate >= 1000 and p99 < 20 else 'NOT met'}")
    if not batch:
        return rate, p50, p99
    batch = [{"id": f"batch-{n}", "vcpus": 2, "memory_mb": 4096} for n in range(1000)]
    status, data, seconds = call(http.client.HTTPConnection("127.0.0.1", port), "POST", "/placements", {"vms": batch})
    assert status == 201, data[:300]
    print(f"{label}: 1,000 VMs in one request (after {count} placed): {seconds:.2f} s; target (under 1 s): {'met' if seconds < 1 else 'NOT met'}")
    return rate, p50, p99


def tenants_bench(args, hosts):
    """Issue 32: the same single-VM placements, each client a tenant's operator (its token
    hashed and looked up, its quota checked, its VM owned, an audit row in the commit),
    beside the estate's admin token on this build and, with --before, on the build before
    tenants (no audit)."""
    runs = [("admin token", args.hostfit, False), ("4 tenants' operators", args.hostfit, True),
            ("4 tenants' operators, quotas per cluster", args.hostfit, "clusters")]
    if args.before: runs.append(("admin token, build before (" + os.path.basename(args.before) + ")", args.before, False))
    figures = []
    with tempfile.TemporaryDirectory(prefix="hostfit-tenants-") as tmp:
        open(f"{tmp}/token", "w").write("bench\n")
        for label, program, tenants in runs:
            server, port = serve(program, tmp, re.sub(r"[^A-Za-z0-9]+", "-", label), [])
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port)
                # Per-cluster quotas: the hosts in 4 clusters, each tenant limited in every one.
                placed_on = [dict(h, cluster=f"c{k % 4}") for k, h in enumerate(hosts)] if tenants == "clusters" else hosts
                status, data, _ = call(conn, "PUT", "/hosts", placed_on)
                assert status == 200, data
                tokens = None
                if tenants:
                    tokens = []
                    for c in range(args.clients):
                        quota = {"vms": 100000, "vcpus": 1000000}
                        if tenants == "clusters": quota["clusters"] = {f"c{k}": {"vms": 50000, "vcpus": 500000} for k in range(4)}
                        status, data, _ = call(conn, "PUT", f"/tenants/t{c}", {"quota": quota})
                        assert status == 200, data
                        status, data, _ = call(conn, "POST", f"/tenants/t{c}/tokens", {"role": "operator"})
                        tokens.append(json.loads(data)["token"])
                figures.append((label,) + measure(label, port, args.count, args.clients, tokens, batch=False))
            finally:
                server.terminate()
                server.wait()
    print(f"  {'placements as':<50} {'per second':>11} {'p50 ms':>8} {'p99 ms':>8}")
    for label, rate, p50, p99 in figures:
        print(f"  {label:<50} {rate:>11.0f} {p50:>8.1f} {p99:>8.1f}")
    print(f"  tenants' operators over the admin token, same build: {figures[1][1] / figures[0][1]:.2f}x the placements per second")
    print(f"  with quotas per cluster over the admin token, same build: {figures[2][1] / figures[0][1]:.2f}x the placements per second")


WRK_SCRIPT = """
counter = 0
request = function()
  counter = counter + 1
  local body = '{"id":"probe-' .. counter .. '","vcpus":2,"memory_mb":4096}'
  return wrk.format("POST", "/ratings?top=10", {["Content-Type"] = "application/json", ["Authorization"] = "Bearer bench"}, body)
end
"""


def reads_beside_writes(label, program, tmp, hosts, extra, seconds=10, placed_first=2000):
    """wrk rates new VMs against 1,000 hosts while one client places; returns the figures.
    `extra`: server arguments that load the hosts at start (else they are PUT)."""
    server, port = serve(program, tmp, re.sub(r"[^A-Za-z0-9]+", "-", label), extra)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port)
        if not extra:
            status, data, _ = call(conn, "PUT", "/hosts", hosts)
            assert status == 200, data
        status, data, _ = call(conn, "POST", "/placements", {"vms": [{"id": f"warm-{n}", "vcpus": 2, "memory_mb": 4096} for n in range(placed_first)]})
        assert status == 201, data[:300]
        with open(f"{tmp}/ratings.lua", "w") as f: f.write(WRK_SCRIPT)
        stop, latencies, refused = threading.Event(), [], []

        def placer():
            mine = http.client.HTTPConnection("127.0.0.1", port)
            n = 0
            while not stop.is_set():
                status, data, secs = call(mine, "POST", "/placements", {"vms": [{"id": f"live-{n}", "vcpus": 2, "memory_mb": 4096}]})
                latencies.append(secs)
                if status != 201: refused.append(data[:200])
                n += 1

        thread = threading.Thread(target=placer)
        started = time.perf_counter()
        thread.start()
        out = subprocess.run(["wrk", "-t2", "-c8", f"-d{seconds}s", "--latency", "-s", f"{tmp}/ratings.lua", f"http://127.0.0.1:{port}"],
                             capture_output=True, text=True).stdout
        stop.set()
        thread.join()
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait()
    def millis(text):
        value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = millis(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = millis(re.search(r"\s99%\s+(\S+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    latencies.sort()
    placements = len(latencies) / elapsed
    place_p99 = latencies[int(len(latencies) * 0.99)] * 1000 if latencies else float("nan")
    return rate, p50, p99, int(errors.group(1)) if errors else 0, placements, place_p99, len(refused)


def traced_estate(tmp, hosts):
    """Writes hosts.csv, vms.csv and a week of hourly samples, one traced VM running on each host,
    busy in its own hours; returns the server arguments that load them."""
    with open(f"{tmp}/hosts.csv", "w") as f:
        f.write("host,cpu_cores,cpu_mhz,memory_mb\n")
        for h in hosts: f.write(f"{h['id']},64,2600,524288\n")
    with open(f"{tmp}/vms.csv", "w") as f:
        f.write("vm,vcpus,memory_mb,host\n")
        for k in range(HOSTS): f.write(f"traced-{k},8,32768,h{k:04d}\n")
    rng = random.Random(7)
    monday = 1_700_438_400  # 2023-11-20 00:00 UTC, a Monday
    with open(f"{tmp}/trace.csv", "w") as f:
        f.write("timestamp,entity,cpu_mhz,memory_mb\n")
        for k in range(HOSTS):
            busy = rng.randrange(168)
            for hour in range(168):
                cpu = 16000 if abs(hour - busy) < 4 else 2000 + rng.random() * 1000
                f.write(f"{monday + hour * 3600},traced-{k},{cpu:.0f},{20000 + rng.random() * 4000:.0f}\n")
    return ["--hosts", f"{tmp}/hosts.csv", "--vms", f"{tmp}/vms.csv", "--traces", f"{tmp}/trace.csv"]


def ratings_bench(args, hosts):
    if not shutil.which("wrk"):
        print("ratings beside placements: wrk is not installed (apt-get install wrk); skipped")
        return
    runs = [("hostfit serve", args.hostfit, False)] + ([("before (" + os.path.basename(args.before) + ")", args.before, False)] if args.before else []) \
        + [("hostfit serve, hourly profiles", args.hostfit, True)]
    print("reads beside writes: POST /ratings?top=10 for a new VM each time, wrk 8 connections 10 s, against 1,000 hosts"
          " (2,000 VMs placed first), while one client places VMs one by one; hourly profiles: each host runs a VM traced"
          " by the hour, every rating and placement is judged in all 168 hours")
    print(f"  {'server':<40} {'ratings/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'placements/s':>13} {'place p99 ms':>13}")
    figures = {}
    with tempfile.TemporaryDirectory(prefix="hostfit-ratings-") as tmp:
        open(f"{tmp}/token", "w").write("bench\n")
        profiled = traced_estate(tmp, hosts)
        for label, program, traced in runs:
            rate, p50, p99, errors, placements, place_p99, refused = reads_beside_writes(label, program, tmp, hosts, profiled if traced else [])
            figures[label] = rate
            print(f"  {label:<40} {rate:>10.0f} {p50:>8.1f} {p99:>8.1f} {errors:>8} {placements:>13.0f} {place_p99:>13.1f}")
    verdict(figures, runs[1][0] if args.before else None, "at least 1,000 ratings per second, p99 under 20 ms", 1000, "ratings per second")


def verdict(figures, before, target, least, what):
    """The target met or not by this build, and its ratio to the build before (the run named `before`) where one ran."""
    first = figures["hostfit serve"]
    print(f"  target ({target}): {'met' if first >= least else 'NOT met'}")
    if before:
        print(f"  {what}, this build over the one before: {first / max(1e-9, figures[before]):.1f}x")


def ingest_run(program, tmp, hosts, name, as_json):
    """Samples per second of POST /samples on one server: 2,000 placed VMs, five batches of
    an hour of 5-minute CPU and memory samples for all of them (48,000 samples each)."""
    server, port = serve(program, tmp, name, [])
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port)
        status, data, _ = call(conn, "PUT", "/hosts", hosts)
        assert status == 200, data
        vms = [f"vm{k:05d}" for k in range(2000)]
        for k in range(0, len(vms), 200):
            batch = [{"id": v, "vcpus": 2, "memory_mb": 8192, "cpu_mhz": 500} for v in vms[k:k + 200]]
            status, data, _ = call(conn, "POST", "/placements", {"vms": batch})
            assert status == 201, data
        rng = random.Random(3)
        start = 1_764_547_200  # Monday 2025-12-01 00:00 UTC
        total, seconds = 0, 0.0
        for hour in range(5):
            rows = []
            for step in range(12):
                t = start + hour * 3600 + step * 300
                for v in vms:
                    rows.append((t, v, "cpu_mhz", round(rng.uniform(100, 3000), 1)))
                    rows.append((t, v, "memory_mb", round(rng.uniform(1000, 8000))))
            if as_json:
                body = json.dumps({"samples": [{"timestamp": t, "entity": v, "metric": m, "value": x} for t, v, m, x in rows]})
            else:
                body = "timestamp,entity,metric,value\n" + "".join(f"{t},{v},{m},{x}\n" for t, v, m, x in rows)
            began = time.perf_counter()
            conn.request("POST", "/samples", body, {"Authorization": "Bearer bench", "Content-Type": "application/json" if as_json else "text/csv"})
            reply = conn.getresponse()
            answer = reply.read()
            seconds += time.perf_counter() - began
            assert reply.status == 200, answer
            total += len(rows)
        return total / seconds
    finally:
        server.terminate()
        server.wait()


def ingest_bench(args, hosts):
    """POST /samples as the native long CSV and as JSON, with --before on the older build too."""
    runs = [("hostfit serve", args.hostfit)] + ([("the build before (one run, side by side)", args.before)] if args.before else [])
    print("live samples (POST /samples): 2,000 placed VMs, 5 batches of 48,000 samples (an hour of 5-minute CPU and memory), one commit each")
    print(f"  {'server':<40} {'CSV samples/s':>14} {'JSON samples/s':>15}")
    figures = {}
    with tempfile.TemporaryDirectory(prefix="hostfit-serve-") as tmp:
        open(f"{tmp}/token", "w").write("bench\n")
        for n, (label, program) in enumerate(runs):
            csv = ingest_run(program, tmp, hosts, f"live{n}c", False)
            js = ingest_run(program, tmp, hosts, f"live{n}j", True)
            figures[label] = csv
            print(f"  {label:<40} {csv:>14,.0f} {js:>15,.0f}")
    verdict(figures, runs[1][0] if args.before else None, "50,000 samples/s", 50000, "CSV samples per second")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hostfit", required=True)
    ap.add_argument("--count", type=int, default=4000)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--before", help="an older hostfit-serve to measure reads beside writes on, side by side")
    ap.add_argument("--only", choices=["placements", "ratings", "ingest", "tenants"], help="one part only")
    args = ap.parse_args()
    hosts = [{"id": f"h{k:04d}", "cpu_cores": 64, "cpu_mhz": 2600, "memory_mb": 524288} for k in range(HOSTS)]
    if args.only in (None, "ingest"):
        ingest_bench(args, hosts)
    if args.only in (None, "tenants"):
        tenants_bench(args, hosts)
    if args.only in ("ingest", "tenants"):
        return
    if args.only != "placements":
        ratings_bench(args, hosts)
    if args.only == "ratings":
        return
    with tempfile.TemporaryDirectory(prefix="hostfit-serve-") as tmp:
        open(f"{tmp}/token", "w").write("bench\n")
        server, port = serve(args.hostfit, tmp, "static", [])
        try:
            status, data, _ = call(http.client.HTTPConnection("127.0.0.1", port), "PUT", "/hosts", hosts)
            assert status == 200, data
            measure("static demand", port, args.count, args.clients)
        finally:
            server.terminate()
            server.wait()

        extra = traced_estate(tmp, hosts)
        started = time.perf_counter()
        server, port = serve(args.hostfit, tmp, "profiled", extra)
        print(f"hourly profiles: started with 1,000 traced VMs (168,000 samples) in {time.perf_counter() - started:.1f} s")
        try:
            health = json.loads(call(http.client.HTTPConnection("127.0.0.1", port), "GET", "/healthz", None)[1])
            assert health["profiled"] == HOSTS and health["buckets"] == 168, health
            measure("hourly profiles", port, args.count, args.clients)
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
