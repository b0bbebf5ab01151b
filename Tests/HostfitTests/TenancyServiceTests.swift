import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import Hostfit

/// Tenants on the real server: quotas under concurrent clients, no token in the store,
/// the audit after a SIGKILL, and live right-sizing against `hostfit plan`'s sizing.csv.
@Suite("hostfit serve: tenants", .serialized)
struct TenancyServiceTests {
    typealias Server = ServiceTests.Server

    /// A tenant with `quota`, and a new token of `role` for it.
    static func tenant(_ server: Server, _ id: String, quota: [String: Any] = [:], role: String = "operator") async throws -> (id: String, token: String) {
        #expect(try await server.call("PUT", "/tenants/\(id)", ["quota": quota]).status == 200)
        let made = try await server.call("POST", "/tenants/\(id)/tokens", ["role": role])
        let json = try #require(made.json as? [String: Any], "\(made.text)")
        return (try #require(json["id"] as? String), try #require(json["token"] as? String))
    }

    static func hosts(_ count: Int) -> [[String: Any]] {
        (1...count).map { ["id": String(format: "h%03d", $0), "cpu_cores": 32, "cpu_mhz": 2000, "memory_mb": 131072] }
    }

    @Test func sixteenClientsOfFourTenantsEndAtTheirQuotaExactly() async throws {
        let server = try Server(db: Support.temporaryDirectory() + "/store.sqlite", arguments: ["--headroom", "cpu=100,memory=100"])
        defer { server.stop() }
        #expect(try await server.call("PUT", "/hosts", Self.hosts(40)).status == 200)
        let quota = 30
        var tokens: [String: String] = [:]
        for t in ["t1", "t2", "t3", "t4"] { tokens[t] = try await Self.tenant(server, t, quota: ["vms": quota, "vcpus": 1000]).token }
        let tokenOf = tokens
        // Four clients per tenant, 20 VMs each: 80 asked against room for 30.
        /// What a placement answered, as the test checks it.
        struct Answer: Sendable {
            var tenant: String, status: Int, rule: String?, quota: String?, named: String?, limit: Double?, used: Double?, asked: Double?
            init(_ tenant: String, _ reply: Server.Reply) {
                let json = reply.json as? [String: Any] ?? [:]
                (self.tenant, status, rule, quota, named) = (tenant, reply.status, json["rule"] as? String, json["quota"] as? String, json["tenant"] as? String)
                (limit, used, asked) = (json["limit"] as? Double, json["used"] as? Double, json["asked"] as? Double)
            }
        }
        let replies = try await withThrowingTaskGroup(of: [Answer].self) { group in
            for client in 0..<16 {
                group.addTask {
                    let tenant = "t\(client % 4 + 1)"
                    var replies: [Answer] = []
                    for n in 0..<20 {
                        let vm: [String: Any] = ["id": "\(tenant)-c\(client)-\(n)", "vcpus": 2, "memory_mb": 1024, "cpu_mhz": 50]
                        let reply = try await server.call("POST", "/placements", ["vms": [vm]], token: tokenOf[tenant]!)
                        replies.append(Answer(tenant, reply))
                    }
                    return replies
                }
            }
            var all: [Answer] = []
            for try await part in group { all += part }
            return all
        }
        for (tenant, token) in tokens {
            #expect(replies.count { $0.tenant == tenant && $0.status == 201 } == quota, "\(tenant)")
            let placed = try #require(try await server.call("GET", "/placements", token: token).json as? [String: String])
            #expect(placed.count == quota && placed.keys.allSatisfy { $0.hasPrefix(tenant + "-") }, "\(tenant): \(placed.count)")
        }
        let refusals = replies.filter { $0.status != 201 }
        #expect(refusals.count == 4 * (80 - quota))
        #expect(refusals.allSatisfy { r in
            r.status == 403 && r.rule == "quota" && r.quota == "vms" && r.named == r.tenant && r.limit == Double(quota) && r.used == Double(quota) && r.asked == 1
        }, "\(refusals.first.map { "\($0)" } ?? "")")
        let usage = try #require((try await server.call("GET", "/usage").json as? [String: Any])?["tenants"] as? [[String: Any]])
        #expect(usage.filter { ($0["tenant"] as? String)?.hasPrefix("t") == true }.allSatisfy { ($0["headroom"] as? [String: Any])?["vms"] as? Double == 0 })
    }

    @Test func concurrentClientsNeverPassAQuotaPerCluster() async throws {
        let server = try Server(db: Support.temporaryDirectory() + "/store.sqlite", arguments: ["--headroom", "cpu=100,memory=100"])
        defer { server.stop() }
        // Hosts h001-h020 in cluster "a", h021-h040 in "b"; each tenant 20 VMs, 8 of them in "a".
        let hosts = Self.hosts(40).enumerated().map { k, h in h.merging(["cluster": k < 20 ? "a" : "b"]) { $1 } }
        #expect(try await server.call("PUT", "/hosts", hosts).status == 200)
        var tokens: [String: String] = [:]
        for t in ["t1", "t2", "t3", "t4"] { tokens[t] = try await Self.tenant(server, t, quota: ["vms": 20, "clusters": ["a": ["vms": 8]]]).token }
        let tokenOf = tokens
        let statuses = try await withThrowingTaskGroup(of: [(String, Int, String?)].self) { group in
            for client in 0..<16 {
                group.addTask {
                    let tenant = "t\(client % 4 + 1)"
                    var replies: [(String, Int, String?)] = []
                    for n in 0..<10 {
                        let vm: [String: Any] = ["id": "\(tenant)-c\(client)-\(n)", "vcpus": 2, "memory_mb": 1024, "cpu_mhz": 50]
                        let reply = try await server.call("POST", "/placements", ["vms": [vm]], token: tokenOf[tenant]!)
                        replies.append((tenant, reply.status, (reply.json as? [String: Any])?["quota"] as? String))
                    }
                    return replies
                }
            }
            var all: [(String, Int, String?)] = []
            for try await part in group { all += part }
            return all
        }
        for (tenant, token) in tokens {
            let placed = try #require(try await server.call("GET", "/placements", token: token).json as? [String: String])
            let inA = placed.values.count { Int($0.dropFirst())! <= 20 }
            #expect(placed.count == 20 && inA <= 8, "\(tenant): \(placed.count) placed, \(inA) in a")
            #expect(statuses.count { $0.0 == tenant && $0.1 == 201 } == 20)
        }
        // Each refusal is the tenant's quota of 20 VMs: a VM kept out of "a" goes to "b".
        #expect(statuses.filter { $0.1 != 201 }.allSatisfy { $0.1 == 403 && $0.2 == "vms" })
    }

    @Test func theStoreKeepsNoTokenInClearAndARevokedOneIsRefusedAtOnce() async throws {
        let dir = Support.temporaryDirectory()
        var server = try Server(db: dir + "/store.sqlite")
        #expect(try await server.call("PUT", "/hosts", Self.hosts(2)).status == 200)
        let op = try await Self.tenant(server, "ops")
        let reader = try await Self.tenant(server, "ops", role: "reader")
        let admin = try await Self.tenant(server, "ops", role: "admin")
        #expect(try await server.call("POST", "/placements", ["vms": [["id": "v1", "vcpus": 1, "memory_mb": 512]]], token: op.token).status == 201)
        #expect(try await server.call("GET", "/vms/v1", token: reader.token).status == 200)
        #expect(try await server.call("DELETE", "/tenants/ops/tokens/\(reader.id)", token: admin.token).status == 200)
        #expect(try await server.call("GET", "/vms/v1", token: reader.token).status == 401)
        server.kill()  // the write-ahead log as a crash leaves it
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix("store.sqlite") }
        #expect(files.contains("store.sqlite-wal"))
        for file in files {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/\(file)"))
            for secret in [op.token, reader.token, admin.token, server.token] {
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(file) holds a token in clear")
            }
        }
        // After a restart, the tokens still work (their hashes were kept), the revoked one still does not.
        server = try Server(db: dir + "/store.sqlite")
        defer { server.stop() }
        #expect(try await server.call("GET", "/vms/v1", token: op.token).status == 200)
        #expect(try await server.call("GET", "/vms/v1", token: reader.token).status == 401)
        #expect(try await server.call("GET", "/tenants", token: admin.token).status == 200)
    }

    @Test func auditRowsAreTheAcknowledgedWritesAfterAKill() async throws {
        let db = Support.temporaryDirectory() + "/store.sqlite"
        var server = try Server(db: db, arguments: ["--headroom", "cpu=100,memory=100"])
        #expect(try await server.call("PUT", "/hosts", Self.hosts(40)).status == 200)
        let tenants = [try await Self.tenant(server, "a").token, try await Self.tenant(server, "b").token]
        let running = server
        // Eight clients place and release, each request with its own id, until the kill.
        let load = Task {
            try await withThrowingTaskGroup(of: [String].self) { group in
                for client in 0..<8 {
                    group.addTask {
                        var acknowledged: [String] = []
                        for n in 0..<5000 {
                            let id = "c\(client)-\(n)", token = tenants[client % 2]
                            let reply: Server.Reply
                            do {
                                reply = n % 3 == 2
                                    ? try await running.call("DELETE", "/placements/c\(client)-\(n - 1)", token: token, headers: ["X-Request-Id": "r-" + id])
                                    : try await running.call("POST", "/placements", ["vms": [["id": id, "vcpus": 1, "memory_mb": 256, "cpu_mhz": 10]]],
                                                             token: token, headers: ["X-Request-Id": "r-" + id])
                            } catch { break }
                            if reply.status == 200 || reply.status == 201 { acknowledged.append("r-" + id) }
                        }
                        return acknowledged
                    }
                }
                var all: [String] = []
                for try await part in group { all += part }
                return all
            }
        }
        try await Task.sleep(for: .milliseconds(1500))
        server.kill()
        let acknowledged = Set(try await load.value)
        server = try Server(db: db, arguments: ["--headroom", "cpu=100,memory=100"])
        defer { server.stop() }
        var rows: [[String: Any]] = [], after = 0
        while true {
            let page = try #require((try await server.call("GET", "/audit?after=\(after)&limit=5000").json as? [String: Any])?["entries"] as? [[String: Any]])
            rows += page
            guard let last = page.last?["seq"] as? Int else { break }
            after = last
        }
        let written = rows.filter { ($0["request"] as? String)?.hasPrefix("r-") == true && [200, 201].contains($0["status"] as? Int) }
        let writtenIDs = Set(written.map { $0["request"] as! String })
        #expect(acknowledged.count > 100, "\(acknowledged.count)")
        #expect(acknowledged.isSubset(of: writtenIDs), "\(acknowledged.subtracting(writtenIDs).prefix(3)) acknowledged without an audit row")
        // Rows beyond the acknowledged are the requests in flight at the kill: committed, unanswered.
        #expect(writtenIDs.subtracting(acknowledged).count <= 8)
        // And each row's change is in the store: a placement's VM runs, a release's does not.
        let placements = try #require(try await server.call("GET", "/placements").json as? [String: String])
        for row in written {
            let vms = row["vms"] as? [String] ?? []
            #expect(vms.count == 1)
            if row["method"] as? String == "POST" {
                // Placed, unless the next request of its client released it.
                let parts = vms[0].split(separator: "-")
                let next = Int(parts[1])! + 1
                let released = "r-\(parts[0])-\(next)"
                #expect(placements[vms[0]] != nil || writtenIDs.contains(released), "\(vms[0]) placed per the audit, not in the store")
            } else {
                #expect(placements[vms[0]] == nil, "\(vms[0]) released per the audit, still placed")
            }
        }
    }

    @Test func liveSizingAgreesWithThePlansSizingCSV() async throws {
        let out = Support.temporaryDirectory() + "/plan"
        let sample = Support.sampleData
        let run = try CLITests().hostfit("plan", "--hosts", sample + "/hosts.csv", "--vms", sample + "/vms.csv", "--traces", sample + "/traces", "--out", out)
        #expect(run.code == 0, "\(run.stderr)")
        let server = try Server(db: Support.temporaryDirectory() + "/store.sqlite",
                                arguments: ["--hosts", sample + "/hosts.csv", "--vms", sample + "/vms.csv", "--traces", sample + "/traces"])
        defer { server.stop() }
        let csv = try await server.call("GET", "/sizing", headers: ["Accept": "text/csv"]).text
        let live = try CSVTable(data: Data(csv.utf8), file: "GET /sizing"), plan = try CSVTable(contentsOf: "\(out)/sizing.csv")
        #expect(Array(live.header.prefix(plan.header.count)) == plan.header && live.header.last == "tenant")
        #expect(live.records.count == plan.records.count && plan.records.count == 50)
        for (a, b) in zip(live.records, plan.records) { #expect(Array(a.fields.prefix(b.fields.count)) == b.fields, "\(b.fields.first ?? "")") }
        let json = try #require(try await server.call("GET", "/sizing").json as? [String: Any])
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/summary.json"))) as? [String: Any])
        let rightSizing = try #require(summary["right_sizing"] as? [String: Any])
        let tenants = try #require(json["tenants"] as? [[String: Any]])
        #expect(tenants.reduce(0) { $0 + ($1["reclaimable_vcpus"] as! Int) } == rightSizing["reclaimable_vcpus"] as? Int)
        #expect(tenants.reduce(0) { $0 + ($1["idle"] as! Int) } == rightSizing["idle"] as? Int)
    }
}
