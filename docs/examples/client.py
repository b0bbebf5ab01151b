"""The calls of HostfitClient's test, from Python with requests: load hosts, rate, place
with an Idempotency-Key (twice: placed once), release, plan.

  python3 client.py PORT TOKEN
"""
import sys, time
import requests

port, token = sys.argv[1], sys.argv[2]
api = requests.Session()
api.headers["Authorization"] = f"Bearer {token}"
base = f"http://127.0.0.1:{port}"

hosts = [{"id": f"h{k}", "cpu_cores": 16, "cpu_mhz": 2000, "memory_mb": 65536} for k in range(1, 5)]
print("loaded:", api.put(f"{base}/hosts", json=hosts).json())

web = {"id": "web-1", "vcpus": 4, "memory_mb": 16384, "cpu_mhz": 4000}
rated = api.post(f"{base}/ratings", params={"top": 2}, json=web).json()
print("best:", [(r["host"], r["stars"]) for r in rated["ratings"]], "fitting:", rated["fitting"])

for attempt in (1, 2):  # a retry with the same key places nothing more
    reply = api.post(f"{base}/placements", json={"vms": [web]}, headers={"Idempotency-Key": "deploy-1"})
    print(f"place, attempt {attempt}:", reply.status_code, reply.json()["placements"][0]["host"])

refused = api.post(f"{base}/placements", json={"vms": [{"id": "huge", "vcpus": 1, "memory_mb": 1000000}]})
print("refused:", refused.status_code, refused.json()["rule"])
print("released:", api.delete(f"{base}/placements/web-1").json())

job = api.post(f"{base}/plans", json={"time_limit_s": 5}).json()
while job["state"] == "running":
    time.sleep(0.2)
    job = api.get(f"{base}/plans/{job['id']}").json()
print("plan:", job["state"], job["result"]["hosts_used"], "host(s) for", len(job["result"]["placements"]), "VM(s)")
