import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import Hostfit

/// `hostfit serve` as operators run it: the real server on loopback, real HTTP, a real
/// SQLite file; concurrency, refusals, idempotency and a SIGKILL in the middle of a load.
@Suite("hostfit serve", .serialized)
struct ServiceTests {
    /// A server process on a free port of 127.0.0.1.
    final class Server: @unchecked Sendable {
        let process = Process()
        let port: Int
        let token = "s3cret-token"

        init(db: String, arguments: [String] = []) throws {
            let tokenFile = Support.file("token", token + "\n")
            process.executableURL = URL(fileURLWithPath: CLITests.binary)
            process.arguments = ["serve", "--db", db, "--port", "0", "--token-file", tokenFile] + arguments
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            // The first line says where it listens.
            var line = Data()
            let deadline = Date().addingTimeInterval(30)
            while !line.contains(UInt8(ascii: "\n")) && Date() < deadline {
                let chunk = out.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                line += chunk
            }
            let text = String(decoding: line, as: UTF8.self)
            guard let range = text.range(of: #"127\.0\.0\.1:(\d+)"#, options: .regularExpression),
                  let port = Int(text[range].split(separator: ":").last ?? "") else {
                process.terminate()
                throw ServerDidNotStart(output: text)
            }
            self.port = port
        }

        struct ServerDidNotStart: Error { var output: String }

        func stop() { if process.isRunning { process.terminate(); process.waitUntilExit() } }
        func kill() { Foundation.kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }

        struct Reply {
            var status: Int
            var json: Any?
            var text: String
        }

        func call(_ method: String, _ path: String, _ body: Any? = nil, token: String?? = .none, key: String? = nil,
                  contentType: String = "application/json", headers: [String: String] = [:]) async throws -> Reply {
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
            request.httpMethod = method
            if let body {
                if let data = body as? Data { request.httpBody = data } else { request.httpBody = try JSONSerialization.data(withJSONObject: body) }
                request.setValue(contentType, forHTTPHeaderField: "Content-Type")
            }
            if let given = token ?? self.token { request.setValue("Bearer \(given)", forHTTPHeaderField: "Authorization") }
            if let key { request.setValue(key, forHTTPHeaderField: "Idempotency-Key") }
            for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
            let (data, response) = try await URLSession.shared.data(for: request)
            return Reply(status: (response as! HTTPURLResponse).statusCode, json: try? JSONSerialization.jsonObject(with: data),
                         text: String(decoding: data, as: UTF8.self))
        }
    }

    /// 100 hosts with memory for exactly ten 1 GB VMs each (headroom 100%): room for 1,000.
    static func hostsWithRoomForAThousand() -> [[String: Any]] {
        (1...100).map { ["id": String(format: "h%03d", $0), "cpu_cores": 16, "cpu_mhz": 2000, "memory_mb": 10240] }
    }

    @Test func sixteenClientsPlaceExactlyWhatFits() async throws {
        let server = try Server(db: Support.temporaryDirectory() + "/store.sqlite", arguments: ["--headroom", "cpu=100,memory=100"])
        defer { server.stop() }
        #expect(try await server.call("PUT", "/hosts", Self.hostsWithRoomForAThousand()).status == 200)
        let results = try await withThrowingTaskGroup(of: [(Int, String)].self) { group in
            for client in 0..<16 {
                group.addTask {
                    var replies: [(Int, String)] = []
                    for n in stride(from: client, to: 2000, by: 16) {
                        let vm: [String: Any] = ["id": "vm\(n)", "vcpus": 1, "memory_mb": 1024]
                        let reply = try await server.call("POST", "/placements", ["vms": [vm]])
                        replies.append((reply.status, reply.text))
                    }
                    return replies
                }
            }
            var all: [(Int, String)] = []
            for try await part in group { all += part }
            return all
        }
        #expect(results.count == 2000)
        #expect(results.count { $0.0 == 201 } == 1000)
        let refusals = results.filter { $0.0 != 201 }
        #expect(refusals.allSatisfy { $0.0 == 409 && $0.1.contains(#""rule":"capacity""#) }, "\(refusals.prefix(3))")
        // No host over capacity: at most ten VMs each, by the server's own account.
        let placements = try #require(try await server.call("GET", "/placements").json as? [String: String])
        #expect(placements.count == 1000)
        let perHost = Dictionary(grouping: placements.values, by: { $0 }).mapValues(\.count)
        #expect(perHost.values.allSatisfy { $0 <= 10 } && perHost.count == 100)
    }

    @Test func refusalsNameTheFieldAndWritesNeedTheToken() async throws {
        let server = try Server(db: Support.temporaryDirectory() + "/store.sqlite", arguments: ["--public-read"])
        defer { server.stop() }
        let noToken = try await server.call("PUT", "/hosts/h1", ["cpu_cores": 8, "cpu_mhz": 2000, "memory_mb": 65536], token: .some(nil))
        #expect(noToken.status == 401)
        #expect(try await server.call("GET", "/hosts", token: .some(nil)).status == 200)  // --public-read
        #expect(try await server.call("PUT", "/hosts/h1", ["cpu_cores": 8, "cpu_mhz": 2000, "memory_mb": 65536], token: "wrong").status == 401)
        #expect(try await server.call("PUT", "/hosts/h1", ["cpu_cores": 8, "cpu_mhz": 2000, "memory_mb": 65536]).status == 200)
        // Found by schemathesis: an absurd figure is a 400, not a trap in the formatting.
        let absurd = try await server.call("POST", "/placements", ["vms": [["id": "a", "vcpus": 1, "memory_mb": 1e300]]])
        #expect(absurd.status == 400 && absurd.text.contains("memory_mb"), "\(absurd.text)")
        #expect(Resource.number(1e300) == "1e+300" && Resource.number(.infinity) == "inf")
        let missing = try await server.call("PUT", "/hosts/h2", ["cpu_cores": 8, "memory_mb": 65536])
        #expect(missing.status == 400 && missing.text.contains("cpu_mhz"), "\(missing.text)")
        let wrongType = try await server.call("POST", "/placements", ["vms": [["id": "a", "vcpus": "two", "memory_mb": 1]]])
        #expect(wrongType.status == 400 && wrongType.text.contains("vms[0].vcpus"), "\(wrongType.text)")
        let notJSON = try await server.call("POST", "/placements", Data("{vms:".utf8))
        #expect(notJSON.status == 400, "\(notJSON.text)")
        let huge = try await server.call("POST", "/placements", Data(repeating: UInt8(ascii: " "), count: 9 * 1024 * 1024))
        #expect(huge.status == 413, "\(huge.status)")
        // Idempotency: the retry gets the first answer and places nothing more.
        let body: [String: Any] = ["vms": [["id": "web-1", "vcpus": 2, "memory_mb": 4096]]]
        let first = try await server.call("POST", "/placements", body, key: "retry-1")
        let again = try await server.call("POST", "/placements", body, key: "retry-1")
        #expect(first.status == 201 && again.status == 201 && first.text == again.text)
        #expect(try await server.call("POST", "/placements", ["vms": [["id": "web-2", "vcpus": 2, "memory_mb": 4096]]], key: "retry-1").status == 422)
        #expect(try await server.call("DELETE", "/hosts/h1").status == 409)  // it runs web-1
        #expect(try await server.call("DELETE", "/placements/web-1").status == 200)
        #expect(try await server.call("DELETE", "/hosts/h1").status == 200)
        let metrics = try await server.call("GET", "/metrics")
        let counters = metrics.text.split(separator: "\n").filter { $0.hasPrefix("hostfit_") && !$0.contains("seconds") }.joined(separator: "\n")
        #expect(metrics.status == 200 && metrics.text.contains("http_server_request_duration"))
        // One placed (the retry is a replay, counted apart), one refused for reusing the key.
        #expect(counters.contains("hostfit_vms_placed_total 1") && counters.contains("hostfit_idempotent_replays_total 1"), "\(counters)")
        #expect(counters.contains("hostfit_placements_refused_total{"), "\(counters)")
        let openapi = try await server.call("GET", "/openapi.json", token: .some(nil))
        #expect(openapi.status == 200 && (openapi.json as? [String: Any])?["openapi"] as? String == "3.0.3")
    }

    /// A consolidation plan runs in the background on a snapshot; reads and placements
    /// answer meanwhile.
    @Test func aPlanRunsInTheBackgroundAndReadsDoNotWait() async throws {
        let server = try Server(db: Support.temporaryDirectory() + "/store.sqlite", arguments: ["--headroom", "cpu=100,memory=100"])
        defer { server.stop() }
        // Odd sizes on many hosts: no bound is met at once, so the plan searches to its limit.
        let hosts = (1...60).map { ["id": "h\($0)", "cpu_cores": 32, "cpu_mhz": 2000, "memory_mb": 100_000] as [String: Any] }
        #expect(try await server.call("PUT", "/hosts", hosts).status == 200)
        var random = SeededGenerator(seed: 3)
        let vms = (1...300).map { n in
            ["id": "v\(n)", "vcpus": 1, "memory_mb": Double(Int.random(in: 1_000...30_000, using: &random))] as [String: Any]
        }
        #expect(try await server.call("POST", "/placements", ["vms": vms]).status == 201)
        let started = try await server.call("POST", "/plans", ["time_limit_s": 3])
        #expect(started.status == 202, "\(started.text)")
        let id = try #require((started.json as? [String: Any])?["id"] as? String)
        #expect(try await server.call("POST", "/plans", ["time_limit_s": 1]).status == 409)  // one at a time
        let clock = ContinuousClock()
        var job: [String: Any] = [:], slowest = Duration.zero, polls = 0, placedMeanwhile = 0
        for n in 0..<100 {
            let start = clock.now
            #expect(try await server.call("GET", "/healthz").status == 200)
            if try await server.call("POST", "/placements", ["vms": [["id": "during-\(n)", "vcpus": 1, "memory_mb": 100]]]).status == 201 { placedMeanwhile += 1 }
            slowest = max(slowest, clock.now - start)
            job = try #require(try await server.call("GET", "/plans/\(id)").json as? [String: Any])
            polls += 1
            if job["state"] as? String != "running" { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(job["state"] as? String == "done", "\(job)")
        #expect(polls > 5, "the plan ended after \(polls) polls: too quick to show that reads do not wait")
        #expect(placedMeanwhile == polls)
        #expect(slowest < .milliseconds(500), "a request waited \(slowest) on the plan")
        let result = try #require(job["result"] as? [String: Any])
        #expect((result["placements"] as? [String: String])?.count == 300)  // the snapshot's VMs
        #expect((result["hosts_used"] as? Int ?? 99) >= (result["lower_bound"] as? Int ?? 0))
        #expect(try await server.call("GET", "/plans/plan-99").status == 404)
    }

    /// Killed with SIGKILL mid-load and restarted: every acknowledged placement is there,
    /// and of each three-VM request either all three or none.
    @Test func aKilledServerKeepsEveryAcknowledgedPlacement() async throws {
        let db = Support.temporaryDirectory() + "/store.sqlite"
        var server = try Server(db: db, arguments: ["--headroom", "cpu=100,memory=100"])
        #expect(try await server.call("PUT", "/hosts", Self.hostsWithRoomForAThousand()).status == 200)
        let running = server
        let loader = Task {
            var acknowledged: [[String]] = []
            for n in 0..<300 {
                let ids = (0..<3).map { "r\(n)-\($0)" }
                guard let reply = try? await running.call("POST", "/placements", ["vms": ids.map { ["id": $0, "vcpus": 1, "memory_mb": 1024] }]) else { break }
                if reply.status == 201 { acknowledged.append(ids) }
            }
            return acknowledged
        }
        try await Task.sleep(for: .milliseconds(1500))
        server.kill()
        let acknowledged = await loader.value
        #expect(acknowledged.count > 0 && acknowledged.count < 300, "\(acknowledged.count) acknowledged before the kill")
        server = try Server(db: db, arguments: ["--headroom", "cpu=100,memory=100"])
        defer { server.stop() }
        let placements = try #require(try await server.call("GET", "/placements").json as? [String: String])
        for ids in acknowledged { #expect(ids.allSatisfy { placements[$0] != nil }, "\(ids) lost") }
        let requests = Dictionary(grouping: placements.keys, by: { $0.split(separator: "-").first! })
        #expect(requests.values.allSatisfy { $0.count == 3 }, "a partial request survived")
        #expect(placements.count >= 3 * acknowledged.count && placements.count <= 3 * (acknowledged.count + 1))
    }

    /// The estate with its traces at start: VMs are placed on their hourly profiles, which
    /// the store keeps, so a restart without --traces places on them still.
    @Test func tracesAtStartBecomeProfilesTheStoreKeeps() async throws {
        let db = Support.temporaryDirectory() + "/store.sqlite"
        let sample = Support.sampleData
        var server = try Server(db: db, arguments: ["--hosts", "\(sample)/hosts.csv", "--vms", "\(sample)/estate-vms.csv",
                                                    "--traces", "\(sample)/traces", "--buckets", "hour-of-day"])
        let health = try #require(try await server.call("GET", "/healthz").json as? [String: Any])
        #expect(health["buckets"] as? Int == 24)
        #expect(health["profiled"] as? Int == 48, "48 of the 50 VMs have a trace")
        #expect(health["placed"] as? Int == 50)
        let vm: [String: Any] = ["id": "new-1", "vcpus": 2, "memory_mb": 4096, "cpu_mhz": 1200]
        let rated = try #require(try await server.call("POST", "/ratings", vm).json as? [String: Any])
        let first = try #require((rated["ratings"] as? [[String: Any]])?.first)
        server.stop()
        server = try Server(db: db)
        defer { server.stop() }
        let after = try #require(try await server.call("GET", "/healthz").json as? [String: Any])
        #expect(after["profiled"] as? Int == 48)
        let again = try #require(try await server.call("POST", "/ratings", vm).json as? [String: Any])
        #expect((again["ratings"] as? [[String: Any]])?.first?["host"] as? String == first["host"] as? String)
        #expect((again["ratings"] as? [[String: Any]])?.first?["score"] as? Double == first["score"] as? Double)
    }

    /// An RVTools export states no CPU use: the service plans it on allocated vCPUs at the
    /// ratio the busiest host runs today, as the CLI would, instead of refusing it.
    @Test func anRVToolsEstateLoadsOnAllocations() async throws {
        let rvtools = Support.sharedData + "/formats/rvtools"
        guard FileManager.default.fileExists(atPath: rvtools) else {
            print("skipped: ../shared/data/formats/rvtools is not beside this clone")
            return
        }
        let server = try Server(db: Support.temporaryDirectory() + "/store.sqlite",
                                arguments: ["--hosts", rvtools + "/vHost.csv", "--vms", rvtools + "/vInfo.csv"])
        defer { server.stop() }
        let health = try #require(try await server.call("GET", "/healthz").json as? [String: Any])
        #expect(health["cpu"] as? String == "allocated")
        #expect(health["vcpu_ratio"] as? Double == 4.2)
        #expect(health["vms"] as? Int == 763 && health["placed"] as? Int == 50)
        let placed = try await server.call("POST", "/placements", ["vms": [["id": "flavor-4x8", "vcpus": 4, "memory_mb": 8192]]])
        #expect(placed.status == 201, "\(placed.text)")

        // Started with the hosts only, then sent the vInfo export: the first VMs settle it the same way, for good.
        let db = Support.temporaryDirectory() + "/later.sqlite"
        var later = try Server(db: db, arguments: ["--hosts", rvtools + "/vHost.csv"])
        #expect((try await later.call("GET", "/healthz").json as? [String: Any])?["cpu"] as? String == "undecided")
        let vInfo = try Data(contentsOf: URL(fileURLWithPath: rvtools + "/vInfo.csv"))
        let loaded = try await later.call("PUT", "/vms", vInfo, contentType: "text/csv")
        #expect(loaded.status == 200, "\(loaded.text)")
        #expect((try await later.call("GET", "/healthz").json as? [String: Any])?["vcpu_ratio"] as? Double == 4.2)
        later.stop()
        later = try Server(db: db)
        defer { later.stop() }
        let kept = try #require(try await later.call("GET", "/healthz").json as? [String: Any])
        #expect(kept["cpu"] as? String == "allocated" && kept["vcpu_ratio"] as? Double == 4.2 && kept["placed"] as? Int == 50)
    }

    /// Plan jobs are kept in the store: a finished plan is there after a restart, and one a
    /// SIGKILL cut short says so instead of running forever.
    @Test func planJobsSurviveARestart() async throws {
        let db = Support.temporaryDirectory() + "/store.sqlite"
        var server = try Server(db: db, arguments: ["--headroom", "cpu=100,memory=100"])
        let hosts = (1...40).map { ["id": "h\($0)", "cpu_cores": 32, "cpu_mhz": 2000, "memory_mb": 100_000] as [String: Any] }
        #expect(try await server.call("PUT", "/hosts", hosts).status == 200)
        var random = SeededGenerator(seed: 5)
        let vms = (1...120).map { ["id": "v\($0)", "vcpus": 1, "memory_mb": Double(Int.random(in: 1_000...30_000, using: &random))] as [String: Any] }
        #expect(try await server.call("POST", "/placements", ["vms": vms]).status == 201)
        #expect(try await server.call("POST", "/plans", ["time_limit_s": 30]).status == 202)
        server.kill()
        server = try Server(db: db, arguments: ["--headroom", "cpu=100,memory=100"])
        let cut = try #require(try await server.call("GET", "/plans/plan-1").json as? [String: Any])
        #expect(cut["state"] as? String == "failed")
        #expect((cut["error"] as? String ?? "").contains("stopped"), "\(cut)")
        let started = try await server.call("POST", "/plans", ["time_limit_s": 1])
        #expect((started.json as? [String: Any])?["id"] as? String == "plan-2", "\(started.text)")
        var job: [String: Any] = [:]
        for _ in 0..<100 {
            job = try #require(try await server.call("GET", "/plans/plan-2").json as? [String: Any])
            if job["state"] as? String != "running" { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(job["state"] as? String == "done", "\(job)")
        server.stop()
        server = try Server(db: db)
        defer { server.stop() }
        let kept = try #require(try await server.call("GET", "/plans/plan-2").json as? [String: Any])
        #expect(kept["state"] as? String == "done")
        let result = try #require(kept["result"] as? [String: Any])
        #expect((result["placements"] as? [String: String])?.count == 120)
        #expect(result["hosts_used"] as? Int == (job["result"] as? [String: Any])?["hosts_used"] as? Int)
    }

    /// Rebalancing advice applied while placements pour in, then SIGKILL: after the restart
    /// the advice's moves are all made and it says so, or none are and it does not; every
    /// acknowledged placement and an acknowledged apply are there. `--rebalance-every` makes
    /// advice of its own at start.
    @Test func aKillDuringApplyLosesNothingAcknowledged() async throws {
        let db = Support.temporaryDirectory() + "/store.sqlite"
        var server = try Server(db: db, arguments: ["--headroom", "cpu=100,memory=100"])
        let hosts = (1...20).map { ["id": String(format: "h%02d", $0), "cpu_cores": 16, "cpu_mhz": 2000, "memory_mb": 65536] as [String: Any] }
        #expect(try await server.call("PUT", "/hosts", hosts).status == 200)
        let vms = (1...100).map { ["id": "v\($0)", "vcpus": 2, "memory_mb": 4096, "cpu_mhz": 500] as [String: Any] }
        #expect(try await server.call("POST", "/placements", ["vms": vms]).status == 201)
        let before = try #require(try await server.call("GET", "/placements").json as? [String: String])
        let drained = ["h01", "h02", "h03", "h04", "h05"]
        let start = ReplayReport.iso((Int64(Date().timeIntervalSince1970) / 86_400 + 2) * 86_400)
        let asked = try await server.call("POST", "/rebalance", ["goal": "drain", "hosts_to_drain": drained, "window_start": start, "window_h": 4])
        let id = try #require((asked.json as? [String: Any])?["id"] as? String, "\(asked.text)")
        var advice: [String: Any] = [:]
        for _ in 0..<300 {
            advice = try #require(try await server.call("GET", "/rebalance/\(id)").json as? [String: Any])
            if advice["state"] as? String != "RUNNING" { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let moves = advice["moves"] as? [[String: Any]] ?? []
        let out = moves.filter { $0["kind"] as? String == "drain" }
        #expect(advice["state"] as? String == "RECOMMENDED" && out.count == before.values.count { drained.contains($0) }, "\(advice)")

        let running = server
        let loader = Task {
            var acknowledged: [String] = []
            for n in 0..<2000 {
                guard let reply = try? await running.call("POST", "/placements", ["vms": [["id": "new\(n)", "vcpus": 1, "memory_mb": 64, "cpu_mhz": 10]]]) else { break }
                if reply.status == 201 { acknowledged.append("new\(n)") }
            }
            return acknowledged
        }
        try await Task.sleep(for: .milliseconds(300))
        let path = "/rebalance/\(id)/apply", steps = out.count
        let applying = Task { (try? await running.call("POST", path, ["steps": steps]))?.status }
        try await Task.sleep(for: .milliseconds(Int.random(in: 0...40)))
        server.kill()
        let acknowledged = await loader.value
        let applied = await applying.value
        server = try Server(db: db, arguments: ["--headroom", "cpu=100,memory=100", "--rebalance-every", "1h"])
        defer { server.stop() }
        let after = try #require(try await server.call("GET", "/placements").json as? [String: String])
        #expect(acknowledged.count > 0 && acknowledged.allSatisfy { after[$0] != nil }, "\(acknowledged.count) acknowledged")
        let kept = try #require(try await server.call("GET", "/rebalance/\(id)").json as? [String: Any])
        let made = out.filter { after[$0["vm"] as! String] == $0["to"] as? String }.count
        let unmade = out.filter { after[$0["vm"] as! String] == $0["from"] as? String }.count
        if kept["applied_steps"] as? Int == out.count {
            #expect(made == out.count, "recorded as run, but \(out.count - made) moves are not in the store")
        } else {
            #expect(applied != 200, "the apply was acknowledged and lost")
            #expect(kept["applied_steps"] == nil && unmade == out.count, "\(made) of \(out.count) moves made without the advice recorded")
        }
        // Advice of its own at start; one at a time.
        var listed: [[String: Any]] = []
        for _ in 0..<300 {
            listed = try #require((try await server.call("GET", "/rebalance").json as? [String: Any])?["advice"] as? [[String: Any]])
            if listed.first?["state"] as? String != "RUNNING" { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(listed.first?["origin"] as? String == "schedule" && listed.first?["state"] as? String == "RECOMMENDED", "\(listed.first ?? [:])")
    }

    /// A start whose files the validator refuses, or whose traces cannot be read, exits 2
    /// naming the file and leaves the store as it was: no hosts without their VMs.
    @Test func aFailedStartLeavesTheStoreAsItWas() async throws {
        let dir = Support.temporaryDirectory(), db = dir + "/store.sqlite"
        let sample = Support.sampleData
        let crowded = dir + "/crowded.csv"
        try "vm,vcpus,memory_mb,cpu_mhz,host\nbig-1,8,200000,100,esx01\nbig-2,8,200000,100,esx01\n".write(toFile: crowded, atomically: true, encoding: .utf8)
        let refused = try CLITests().hostfit("serve", "--db", db, "--port", "0", "--hosts", "\(sample)/hosts.csv", "--vms", crowded)
        #expect(refused.code == 2)
        #expect(refused.stderr.contains(crowded) && refused.stderr.contains("esx01"), "\(refused.stderr)")
        let unread = try CLITests().hostfit("serve", "--db", db, "--port", "0", "--hosts", "\(sample)/hosts.csv", "--vms", "\(sample)/estate-vms.csv",
                                            "--traces", dir + "/missing")
        #expect(unread.code == 2, "\(unread.stderr)")
        let server = try Server(db: db)
        defer { server.stop() }
        let health = try #require(try await server.call("GET", "/healthz").json as? [String: Any])
        #expect(health["hosts"] as? Int == 0 && health["vms"] as? Int == 0, "\(health)")
    }
}
