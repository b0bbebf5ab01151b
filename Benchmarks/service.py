#!/usr/bin/env python3
"""make bench: hostfit serve on loopback (issue 19). 1,000 hosts; single-VM placements from
4 keep-alive clients (placements per second, p50 and p99 latency; target 1,000/s and p99
under 20 ms), then 1,000 VMs in one request (target under 1 s).

  service.py --hostfit .build/release/hostfit [--count 4000]
"""
import argparse, http.client, json, os, re, statistics, subprocess, sys, tempfile, threading, time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hostfit", required=True)
    ap.add_argument("--count", type=int, default=4000)
    ap.add_argument("--clients", type=int, default=4)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="hostfit-serve-") as tmp:
        open(f"{tmp}/token", "w").write("bench\n")
        server = subprocess.Popen([args.hostfit, "serve", "--db", f"{tmp}/store.sqlite", "--port", "0", "--token-file", f"{tmp}/token",
                                   "--headroom", "cpu=100,memory=100"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            port = int(re.search(r"127\.0\.0\.1:(\d+)", server.stdout.readline()).group(1))
            headers = {"Authorization": "Bearer bench", "Content-Type": "application/json"}

            def call(conn, method, path, body):
                start = time.perf_counter()
                conn.request(method, path, json.dumps(body), headers)
                reply = conn.getresponse()
                data = reply.read()
                return reply.status, data, time.perf_counter() - start

            conn = http.client.HTTPConnection("127.0.0.1", port)
            hosts = [{"id": f"h{k:04d}", "cpu_cores": 64, "cpu_mhz": 2600, "memory_mb": 524288} for k in range(1000)]
            status, data, _ = call(conn, "PUT", "/hosts", hosts)
            assert status == 200, data
            latencies, failures, lock = [], [], threading.Lock()

            def client(c):
                mine = http.client.HTTPConnection("127.0.0.1", port)
                for n in range(c, args.count, args.clients):
                    status, data, seconds = call(mine, "POST", "/placements", {"vms": [{"id": f"one-{n}", "vcpus": 2, "memory_mb": 4096}]})
                    with lock:
                        latencies.append(seconds)
                        if status != 201: failures.append(data[:200])

            start = time.perf_counter()
            threads = [threading.Thread(target=client, args=(c,)) for c in range(args.clients)]
            for t in threads: t.start()
            for t in threads: t.join()
            elapsed = time.perf_counter() - start
            latencies.sort()
            rate = args.count / elapsed
            p50, p99 = latencies[len(latencies) // 2] * 1000, latencies[int(len(latencies) * 0.99)] * 1000
            print(f"single-VM placements onto 1,000 hosts, {args.clients} clients: {rate:.0f} per second, p50 {p50:.1f} ms, p99 {p99:.1f} ms"
                  f" ({len(failures)} refused){' ' + str(failures[0]) if failures else ''}")
            print(f"  target (1,000 per second, p99 under 20 ms): {'met' if rate >= 1000 and p99 < 20 else 'NOT met'}")
            batch = [{"id": f"batch-{n}", "vcpus": 2, "memory_mb": 4096} for n in range(1000)]
            status, data, seconds = call(conn, "POST", "/placements", {"vms": batch})
            assert status == 201, data[:300]
            print(f"1,000 VMs in one request (after {args.count} placed): {seconds:.2f} s; target (under 1 s): {'met' if seconds < 1 else 'NOT met'}")
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
