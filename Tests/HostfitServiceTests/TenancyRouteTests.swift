import Foundation
import Hostfit
@testable import HostfitService
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Tenants in process: who sees and touches which VM, quotas and their refusals, tokens
/// made and revoked, the audit, and the live accounts. The real server's concurrency and
/// durability are HostfitTests' `TenancyServiceTests`.
@Suite("Service tenancy")
struct TenancyRouteTests {
    typealias Client = any TestClientProtocol

    static func headers(_ token: String?) -> HTTPFields {
        var fields: HTTPFields = [.contentType: "application/json"]
        if let token { fields[.authorization] = "Bearer \(token)" }
        return fields
    }

    @discardableResult
    static func call(_ client: Client, _ method: HTTPRequest.Method, _ uri: String, _ body: Any? = nil, as token: String? = RouteTests.token,
                     accept: String? = nil) async throws -> (status: HTTPResponse.Status, json: [String: Any], text: String) {
        var fields = headers(token)
        if let accept { fields[.accept] = accept }
        return try await client.execute(uri: uri, method: method, headers: fields, body: body.map(RouteTests.body)) { response in
            let text = String(buffer: response.body)
            return (response.status, RouteTests.json(response), text)
        }
    }

    /// A tenant with `quota`, and a token of `role` for it.
    static func tenant(_ client: Client, _ id: String, quota: [String: Any] = [:], role: String = "operator") async throws -> String {
        #expect(try await call(client, .put, "/tenants/\(id)", ["quota": quota]).status == .ok)
        let made = try await call(client, .post, "/tenants/\(id)/tokens", ["role": role])
        #expect(made.status == .created, "\(made.text)")
        return try #require(made.json["token"] as? String)
    }

    static func vm(_ id: String, vcpus: Int = 2) -> [String: Any] { ["id": id, "vcpus": vcpus, "memory_mb": 4096, "cpu_mhz": 100] }

    @Test func aTenantSeesAndTouchesOnlyItsOwnVMs() async throws {
        try await RouteTests.app(hosts: 4).test(.router) { client in
            let a = try await Self.tenant(client, "alpha"), b = try await Self.tenant(client, "beta")
            let readerA = try await Self.tenant(client, "alpha", role: "reader")
            #expect(try await Self.call(client, .post, "/placements", ["vms": [Self.vm("a1")]], as: a).status == .created)
            #expect(try await Self.call(client, .put, "/vms/a2", Self.vm("a2"), as: a).status == .ok)
            // Beta's operator: every way at alpha's VM is a 404, worded as for a VM that does not exist.
            for (method, uri, body) in [(HTTPRequest.Method.get, "/vms/a1", nil), (.delete, "/placements/a1", nil), (.delete, "/vms/a1", nil),
                                        (.put, "/vms/a1", Self.vm("a1", vcpus: 1) as Any?), (.post, "/ratings", Self.vm("a2")),
                                        (.post, "/placements", ["vms": [Self.vm("a2")]])] {
                let reply = try await Self.call(client, method, uri, body, as: b)
                #expect(reply.status == .notFound && reply.text.contains("no VM 'a"), "\(method) \(uri): \(reply.text)")
            }
            #expect(try await Self.call(client, .get, "/vms", as: b).text == "[]\n")
            #expect(try await Self.call(client, .get, "/placements", as: b).text == "{}\n")
            // Alpha's reader sees alpha's VMs and writes nothing.
            let listed = try await client.execute(uri: "/vms", method: .get, headers: Self.headers(readerA)) { String(buffer: $0.body) }
            #expect(listed.contains("\"a1\"") && listed.contains("\"a2\""))
            #expect(try await Self.call(client, .get, "/placements", as: readerA).json["a1"] != nil)
            #expect(try await Self.call(client, .delete, "/placements/a1", as: readerA).status == .forbidden)
            #expect(try await Self.call(client, .post, "/placements", ["vms": [Self.vm("a3")]], as: readerA).status == .forbidden)
            // The whole estate is an admin's: tenants, plans, rebalancing; another tenant is not there.
            #expect(try await Self.call(client, .get, "/tenants", as: a).status == .forbidden)
            #expect(try await Self.call(client, .get, "/tenants/alpha", as: readerA).status == .ok)
            #expect(try await Self.call(client, .get, "/tenants/beta", as: readerA).status == .notFound)
            #expect(try await Self.call(client, .post, "/plans", [:], as: a).status == .forbidden)
            #expect(try await Self.call(client, .get, "/rebalance", as: a).status == .forbidden)
            #expect(try await Self.call(client, .put, "/hosts/h9", ["cpu_cores": 8, "cpu_mhz": 2000, "memory_mb": 8192], as: a).status == .forbidden)
            // Each tenant's idempotency keys are its own.
            let keyed: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "k1"]
            for (token, id) in [(a, "a4"), (b, "b4")] {
                var fields = Self.headers(token)
                fields.append(contentsOf: keyed)
                let status = try await client.execute(uri: "/placements", method: .post, headers: fields, body: RouteTests.body(["vms": [Self.vm(id)]])) { $0.status }
                #expect(status == .created)
            }
            // The admin sees everything; a revoked token is refused at once.
            #expect(try await Self.call(client, .get, "/vms/a1").status == .ok)
            let tokens = try #require(try await Self.call(client, .get, "/tenants/alpha").json["tokens"] as? [[String: Any]])
            let opID = try #require(tokens.first { $0["role"] as? String == "operator" }?["id"] as? String)
            #expect(try await Self.call(client, .delete, "/tenants/alpha/tokens/\(opID)").json["revoked_at"] != nil)
            #expect(try await Self.call(client, .get, "/vms/a1", as: a).status == .unauthorized)
            #expect(try await Self.call(client, .get, "/vms/a1", as: readerA).status == .ok)
            #expect(try await Self.call(client, .delete, "/tenants/alpha").status == .conflict)
        }
    }

    @Test func quotasRefuseWithTheirNumbers() async throws {
        try await RouteTests.app(hosts: 4).test(.router) { client in
            let a = try await Self.tenant(client, "alpha", quota: ["vcpus": 6, "memory_mb": 1_000_000])
            #expect(try await Self.call(client, .post, "/placements", ["vms": [Self.vm("a1"), Self.vm("a2")]], as: a).status == .created)
            let refused = try await Self.call(client, .post, "/placements", ["vms": [Self.vm("a3"), Self.vm("a4")]], as: a)
            #expect(refused.status == .forbidden)
            #expect(refused.json["rule"] as? String == "quota" && refused.json["quota"] as? String == "vcpus", "\(refused.text)")
            #expect(refused.json["limit"] as? Double == 6 && refused.json["used"] as? Double == 4 && refused.json["asked"] as? Double == 4)
            #expect(try await Self.call(client, .get, "/vms/a3", as: a).status == .notFound, "all or none")
            // Growing a running VM counts; a VM that runs nowhere does not.
            #expect(try await Self.call(client, .put, "/vms/a1", Self.vm("a1", vcpus: 6), as: a).json["quota"] as? String == "vcpus")
            #expect(try await Self.call(client, .put, "/vms/idle", Self.vm("idle", vcpus: 64), as: a).status == .ok)
            // A quota lowered under what runs refuses growth, not a shrink, and takes nothing away.
            #expect(try await Self.call(client, .put, "/tenants/alpha", ["quota": ["vcpus": 2]]).status == .ok)
            #expect(try await Self.call(client, .put, "/vms/a1", Self.vm("a1", vcpus: 1), as: a).status == .ok)
            #expect(try await Self.call(client, .delete, "/placements/a2", as: a).status == .ok)
            let usage = try #require((try await Self.call(client, .get, "/usage", as: a).json["tenants"] as? [[String: Any]])?.first)
            #expect((usage["allocated"] as? [String: Any])?["vcpus"] as? Int == 1 && (usage["headroom"] as? [String: Any])?["vcpus"] as? Double == 1,
                    "\(usage)")
            #expect(try await Self.call(client, .put, "/tenants/alpha", ["quota": ["vms": -1]]).json["field"] as? String == "quota.vms")
        }
    }

    @Test func aQuotaPerClusterKeepsATenantsVMsOutOfAFullCluster() async throws {
        try await RouteTests.app().test(.router) { client in
            let hosts = (0..<4).map { ["id": "h\($0)", "cluster": $0 < 2 ? "prod" : "dev", "cpu_cores": 16, "cpu_mhz": 2000, "memory_mb": 65536] as [String: Any] }
            #expect(try await Self.call(client, .put, "/hosts", hosts).status == .ok)
            let a = try await Self.tenant(client, "alpha", quota: ["vcpus": 100, "clusters": ["prod": ["vcpus": 2], "dev": ["vcpus": 4]]])
            // Room for three VMs of 2 vCPUs: one in prod, two in dev, though the rater, left
            // alone, would put the second on h1 in prod, an empty host.
            let placed = try await Self.call(client, .post, "/placements", ["vms": [Self.vm("a1"), Self.vm("a2"), Self.vm("a3")]], as: a)
            #expect(placed.status == .created, "\(placed.text)")
            let hostOf = Dictionary(uniqueKeysWithValues: (placed.json["placements"] as? [[String: Any]] ?? []).map { ($0["vm"] as! String, $0["host"] as! String) })
            #expect(hostOf.values.count { $0 == "h0" || $0 == "h1" } == 1 && hostOf.values.count { $0 == "h2" || $0 == "h3" } == 2, "\(hostOf)")
            // A fourth fits on every host but passes a cluster's quota wherever it goes.
            let refused = try await Self.call(client, .post, "/placements", ["vms": [Self.vm("a4")]], as: a)
            #expect(refused.status == .forbidden && refused.json["rule"] as? String == "quota" && refused.json["quota"] as? String == "vcpus", "\(refused.text)")
            let cluster = try #require(refused.json["cluster"] as? String)
            #expect(refused.json["limit"] as? Double == (cluster == "prod" ? 2 : 4) && refused.json["used"] as? Double == refused.json["limit"] as? Double
                    && refused.json["asked"] as? Double == 2, "\(refused.text)")
            let rated = try await Self.call(client, .post, "/ratings", Self.vm("a4"), as: a).json
            #expect(rated["fitting"] as? Int == 0 && (rated["refused"] as? [String: Any])?["quota"] as? Int == 4, "\(rated)")
            // The admin's VMs are no tenant's: the quota does not bind them.
            #expect(try await Self.call(client, .post, "/ratings", Self.vm("x")).json["fitting"] as? Int == 4)
            // One released in dev: dev's hosts take the next, and only they.
            let inDev = try #require(hostOf.first { $0.value == "h2" || $0.value == "h3" }?.key)
            #expect(try await Self.call(client, .delete, "/placements/\(inDev)", as: a).status == .ok)
            let again = try await Self.call(client, .post, "/ratings", Self.vm("a4"), as: a).json
            #expect(again["fitting"] as? Int == 2 && (again["ratings"] as? [[String: Any]])?.allSatisfy { ["h2", "h3"].contains($0["host"] as? String) } == true,
                    "\(again)")
            // Growing a running VM counts against its cluster's quota too.
            let inProd = try #require(hostOf.first { $0.value == "h0" || $0.value == "h1" }?.key)
            let grown = try await Self.call(client, .put, "/vms/\(inProd)", Self.vm(inProd, vcpus: 3), as: a)
            #expect(grown.status == .forbidden && grown.json["cluster"] as? String == "prod" && grown.json["used"] as? Double == 2, "\(grown.text)")
            let usage = try #require((try await Self.call(client, .get, "/usage", as: a).json["tenants"] as? [[String: Any]])?.first)
            #expect(((usage["clusters"] as? [String: Any])?["prod"] as? [String: Any])?["vcpus"] as? Int == 2, "\(usage)")
            #expect(((usage["cluster_headroom"] as? [String: Any])?["dev"] as? [String: Any])?["vcpus"] as? Double == 2, "\(usage)")
            // A host that changes cluster takes its VMs' use along.
            let moved = hostOf[inProd]!
            #expect(try await Self.call(client, .put, "/hosts", [["id": moved, "cluster": "dev", "cpu_cores": 16, "cpu_mhz": 2000, "memory_mb": 65536]]).status == .ok)
            let after = try #require((try await Self.call(client, .get, "/usage", as: a).json["tenants"] as? [[String: Any]])?.first)
            #expect(((after["clusters"] as? [String: Any])?["prod"] as? [String: Any])?["vcpus"] as? Int == 0
                    && ((after["clusters"] as? [String: Any])?["dev"] as? [String: Any])?["vcpus"] as? Int == 4, "\(after)")
            // A cluster's quota is a quota without clusters of its own.
            let nested = try await Self.call(client, .put, "/tenants/alpha", ["quota": ["clusters": ["prod": ["clusters": ["x": ["vms": 1]]]]]])
            #expect(nested.status == .badRequest && nested.json["field"] as? String == "quota.clusters.prod.clusters", "\(nested.text)")
        }
    }

    @Test func aHostPoolKeepsATenantOnItsHosts() async throws {
        try await RouteTests.app().test(.router) { client in
            let hosts = (0..<4).map { ["id": "h\($0)", "cpu_cores": 16, "cpu_mhz": 2000, "memory_mb": 65536, "tags": $0 == 2 ? ["lab"] : []] as [String: Any] }
            #expect(try await Self.call(client, .put, "/hosts", hosts).status == .ok)
            #expect(try await Self.call(client, .put, "/tenants/lab", ["host_tags": ["lab"]]).status == .ok)
            let lab = try #require(try await Self.call(client, .post, "/tenants/lab/tokens", ["role": "operator"]).json["token"] as? String)
            let rated = try await Self.call(client, .post, "/ratings", Self.vm("l0"), as: lab).json
            #expect(rated["fitting"] as? Int == 1 && (rated["ratings"] as? [[String: Any]])?.first?["host"] as? String == "h2", "\(rated)")
            let placed = try await Self.call(client, .post, "/placements", ["vms": [Self.vm("l1"), Self.vm("l2")]], as: lab).json
            #expect((placed["placements"] as? [[String: Any]])?.allSatisfy { $0["host"] as? String == "h2" } == true, "\(placed)")
            // The admin places anywhere.
            #expect(try await Self.call(client, .post, "/ratings", Self.vm("x")).json["fitting"] as? Int == 4)
        }
    }

    @Test func theFirstTokenOfAnOpenServerIsAnAdmins() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("open-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let desk = try PlacementDesk(store: try ServiceStore(path: "\(dir)/open.sqlite"))
        let router = HostfitServer.router(desk: desk, configuration: ServiceConfiguration(), jobs: PlanJobs(),
                                          advice: try RebalanceJobs(desk: desk), document: try Contract.document())
        try await Application(router: router).test(.router) { client in
            #expect(try await Self.call(client, .put, "/tenants/ops", [:], as: nil).status == .ok)
            let refused = try await Self.call(client, .post, "/tenants/ops/tokens", ["role": "operator"], as: nil)
            #expect(refused.status == .conflict && refused.text.contains("admin token first"))
            let admin = try #require(try await Self.call(client, .post, "/tenants/ops/tokens", ["role": "admin"], as: nil).json["token"] as? String)
            #expect(try await Self.call(client, .get, "/hosts", as: nil).status == .unauthorized)
            #expect(try await Self.call(client, .get, "/hosts", as: admin).status == .ok)
        }
    }

    @Test func everyWriteIsAuditedWithWhoAndItsStatus() async throws {
        try await RouteTests.app(hosts: 2).test(.router) { client in
            let a = try await Self.tenant(client, "alpha", quota: ["vms": 1])
            let b = try await Self.tenant(client, "beta")
            let placed = try await client.execute(uri: "/placements", method: .post,
                                                  headers: Self.headers(a).appending(HTTPField(name: HTTPField.Name("X-Request-Id")!, value: "ticket-42")),
                                                  body: RouteTests.body(["vms": [Self.vm("a1")]])) { $0 }
            #expect(placed.headers[HTTPField.Name("X-Request-Id")!] == "ticket-42")
            _ = try await Self.call(client, .post, "/placements", ["vms": [Self.vm("a2")]], as: a)  // over quota
            _ = try await Self.call(client, .delete, "/placements/a1", as: b)  // not beta's
            _ = try await Self.call(client, .post, "/ratings", Self.vm("r"), as: a)  // a read
            let all = try #require(try await Self.call(client, .get, "/audit").json["entries"] as? [[String: Any]])
            let rows = all.map { "\($0["method"]!) \($0["path"]!) \($0["status"]!) \($0["tenant"] ?? "-")" }
            #expect(rows == ["PUT /tenants/alpha 200 -", "POST /tenants/alpha/tokens 201 -", "PUT /tenants/beta 200 -", "POST /tenants/beta/tokens 201 -",
                             "POST /placements 201 alpha", "POST /placements 403 alpha", "DELETE /placements/a1 404 beta"], "\(rows)")
            #expect(all[4]["request"] as? String == "ticket-42" && all[4]["what"] as? String == "placed a1 on h000" && all[4]["role"] as? String == "operator")
            #expect((all[5]["what"] as? String ?? "").contains("vms quota"))
            // A tenant reads its own rows; filters by VM and time; CSV for spreadsheets.
            let own = try #require(try await Self.call(client, .get, "/audit", as: b).json["entries"] as? [[String: Any]])
            #expect(own.count == 1 && own[0]["tenant"] as? String == "beta")
            #expect((try await Self.call(client, .get, "/audit?vm=a1").json["entries"] as? [[String: Any]])?.count == 1)
            #expect((try await Self.call(client, .get, "/audit?since=2999-01-01").json["entries"] as? [[String: Any]])?.isEmpty == true)
            #expect(try await Self.call(client, .get, "/audit?since=yesterday").json["field"] as? String == "since")
            let csv = try await Self.call(client, .get, "/audit?tenant=alpha", accept: "text/csv").text
            #expect(csv.hasPrefix("seq,at,request,tenant,token,role,method,path,status,what,vms\n") && csv.split(separator: "\n").count == 3, "\(csv)")
        }
    }

    /// serve --cost-hours 720 (a monthly rent): a day's chargeback is a thirtieth of the
    /// hosts' cost, split as the whole is.
    @Test func chargebackChargesAPeriodsShareOfWhatTheCostPaysFor() async throws {
        try await RouteTests.app(costHours: 720).test(.router) { client in
            let hosts = (0..<2).map { ["id": "h\($0)", "cpu_cores": 16, "cpu_mhz": 2000, "memory_mb": 16384, "cost": 3000] as [String: Any] }
            #expect(try await Self.call(client, .put, "/hosts", hosts).status == .ok)
            let a = try await Self.tenant(client, "alpha")
            #expect(try await Self.call(client, .post, "/placements", ["vms": [Self.vm("a1"), Self.vm("a2")]], as: a).status == .created)
            let day = try await Self.call(client, .get, "/chargeback?period_h=24").json
            let used = Set((try await Self.call(client, .get, "/placements").json as? [String: String] ?? [:]).values).count
            #expect(day["cost_hours"] as? Double == 720 && abs((day["cost"] as? Double ?? 0) - Double(used) * 3000 * 24 / 720) < 1e-9, "\(day)")
            let lines = try #require(day["tenants"] as? [[String: Any]])
            #expect(abs(lines.reduce(0.0) { $0 + ($1["cost"] as! Double) } - (day["cost"] as! Double)) < 1e-9)
            let month = try await Self.call(client, .get, "/chargeback?period_h=720", as: a).json
            #expect((month["tenants"] as? [[String: Any]])?.first?["cost"] as? Double == Double(used) * 3000, "\(month)")
        }
    }

    @Test func chargebackSplitsTheHostsInUseAmongTenants() async throws {
        try await RouteTests.app().test(.router) { client in
            let hosts = (0..<3).map { ["id": "h\($0)", "cpu_cores": 16, "cpu_mhz": 2000, "memory_mb": 16384, "cost": 1000 * ($0 + 1),
                                       "power_idle_w": 100, "power_max_w": 300] as [String: Any] }
            #expect(try await Self.call(client, .put, "/hosts", hosts).status == .ok)
            let a = try await Self.tenant(client, "alpha"), b = try await Self.tenant(client, "beta")
            #expect(try await Self.call(client, .post, "/placements", ["vms": (1...3).map { Self.vm("a\($0)") }], as: a).status == .created)
            #expect(try await Self.call(client, .post, "/placements", ["vms": (1...4).map { Self.vm("b\($0)") }], as: b).status == .created)
            #expect(try await Self.call(client, .post, "/placements", ["vms": [Self.vm("estate")]]).status == .created)
            let answer = try await Self.call(client, .get, "/chargeback?period_h=24").json
            let lines = try #require(answer["tenants"] as? [[String: Any]])
            let used = Set((try await Self.call(client, .get, "/placements").json as? [String: String] ?? [:]).values)
            let hostCost = hosts.filter { used.contains($0["id"] as! String) }.reduce(0.0) { $0 + Double($1["cost"] as! Int) }
            #expect(abs(lines.reduce(0.0) { $0 + ($1["cost"] as! Double) } - hostCost) < 1e-6 && answer["cost"] as? Double == hostCost, "\(answer)")
            #expect(Set(lines.map { $0["tenant"] as! String }) == ["alpha", "beta", "(none)"])
            let watts = lines.reduce(0.0) { $0 + ($1["power_w"] as! Double) }
            #expect(abs(watts - (answer["power_w"] as! Double)) < 1e-6)
            #expect(abs(lines.reduce(0.0) { $0 + ($1["energy_kwh"] as! Double) } - watts * 24 / 1000) < 1e-6)
            // A tenant sees its own line, and not the estate's totals.
            let own = try await Self.call(client, .get, "/chargeback", as: a).json
            #expect((own["tenants"] as? [[String: Any]])?.map { $0["tenant"] as! String } == ["alpha"] && own["cost"] == nil)
            let csv = try await Self.call(client, .get, "/chargeback", as: b, accept: "text/csv").text
            #expect(csv.hasPrefix("tenant,vms,host_share,cost,power_w,energy_kwh,vcpus,memory_mb\nbeta,4,"), "\(csv)")
            #expect(try await Self.call(client, .get, "/chargeback?period_h=0").status == .badRequest)
            let sizing = try await Self.call(client, .get, "/sizing", as: a).json
            #expect((sizing["vms"] as? [[String: Any]])?.count == 3 && (sizing["tenants"] as? [[String: Any]])?.first?["tenant"] as? String == "alpha")
        }
    }
}

extension HTTPFields {
    func appending(_ field: HTTPField) -> HTTPFields {
        var fields = self
        fields.append(field)
        return fields
    }
}
