#!/usr/bin/env python3
"""make bench: hostfit serve on loopback (issue 19). 1,000 hosts; single-VM placements from
4 keep-alive clients (placements per second, p50 and p99 latency; target 1,000/s and p99
under 20 ms), then 1,000 VMs in one request (target under 1 s). Measured twice: on static
demand, and with every host already running a VM traced by the hour (started with
--traces: each placement must fit in all 168 hours of the week).

  service.py --hostfit .build/release/hostfit [--count 4000]
"""
import argparse, http.client, json, random, re, subprocess, tempfile, threading, time

HOSTS = 1000


def serve(hostfit, tmp, name, extra):
    server = subprocess.Popen([hostfit, "serve", "--db", f"{tmp}/{name}.sqlite", "--port", "0", "--token-file", f"{tmp}/token",
                               "--headroom", "cpu=100,memory=100"] + extra, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = server.stdout.readline()
    match = re.search(r"127\.0\.0\.1:(\d+)", line)
    if not match:
        server.kill()
        raise SystemExit(f"hostfit serve did not start: {line!r}")
    return server, int(match.group(1))


def call(conn, method, path, body):
    start = time.perf_counter()
    conn.request(method, path, json.dumps(body), {"Authorization": "Bearer bench", "Content-Type": "application/json"})
    reply = conn.getresponse()
    data = reply.read()
    return reply.status, data, time.perf_counter() - start


def measure(label, port, count, clients):
    latencies, failures, lock = [], [], threading.Lock()

    def client(c):
        mine = http.client.HTTPConnection("127.0.0.1", port)
        for n in range(c, count, clients):
            status, data, seconds = call(mine, "POST", "/placements", {"vms": [{"id": f"one-{n}", "vcpus": 2, "memory_mb": 4096}]})
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
    batch = [{"id": f"batch-{n}", "vcpus": 2, "memory_mb": 4096} for n in range(1000)]
    status, data, seconds = call(http.client.HTTPConnection("127.0.0.1", port), "POST", "/placements", {"vms": batch})
    assert status == 201, data[:300]
    print(f"{label}: 1,000 VMs in one request (after {count} placed): {seconds:.2f} s; target (under 1 s): {'met' if seconds < 1 else 'NOT met'}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hostfit", required=True)
    ap.add_argument("--count", type=int, default=4000)
    ap.add_argument("--clients", type=int, default=4)
    args = ap.parse_args()
    hosts = [{"id": f"h{k:04d}", "cpu_cores": 64, "cpu_mhz": 2600, "memory_mb": 524288} for k in range(HOSTS)]
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

        # One traced VM running on each host, busy in its own hours: a week of hourly samples.
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
        started = time.perf_counter()
        server, port = serve(args.hostfit, tmp, "profiled", ["--hosts", f"{tmp}/hosts.csv", "--vms", f"{tmp}/vms.csv", "--traces", f"{tmp}/trace.csv"])
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
