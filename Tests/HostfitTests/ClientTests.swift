import Foundation
import HostfitClient
import Testing

/// The generated client (HostfitClient) driving the real server on loopback, as a
/// provider's automation would: load hosts, rate, place with an Idempotency-Key, retry,
/// release, plan.
@Suite("HostfitClient", .serialized)
struct ClientTests {
    @Test func theClientDrivesTheLiveServer() async throws {
        let server = try ServiceTests.Server(db: "\(Support.temporaryDirectory())/client.sqlite", arguments: ["--headroom", "cpu=100,memory=100"])
        defer { server.stop() }
        let hostfit = Client.hostfit(url: URL(string: "http://127.0.0.1:\(server.port)")!, token: server.token)

        let hosts = (1...4).map { Components.Schemas.Host(id: "h\($0)", cpuCores: 16, cpuMhz: 2000, memoryMb: 65536) }
        let loaded = try await hostfit.putHosts(body: .json(hosts))
        #expect(try loaded.ok.body.json.hosts == 4)

        let web = Components.Schemas.Vm(id: "web-1", vcpus: 4, memoryMb: 16384, cpuMhz: 4000)
        let rated = try await hostfit.rateVM(query: .init(top: 2), body: .json(web)).ok.body.json
        #expect(rated.ratings.count == 2)
        #expect(rated.fitting == 4)

        // Placed once, whatever the retries: the same answer, nothing placed again.
        let first = try await hostfit.placeVMs(headers: .init(idempotencyKey: "deploy-1"), body: .json(.init(vms: [web]))).created.body.json
        let again = try await hostfit.placeVMs(headers: .init(idempotencyKey: "deploy-1"), body: .json(.init(vms: [web]))).created.body.json
        #expect(first.placements?.first?.host == rated.ratings.first?.host)
        #expect(again == first)
        // A refusal is a value with its rule, not an exception.
        let huge = Components.Schemas.Vm(id: "huge", vcpus: 1, memoryMb: 1_000_000)
        switch try await hostfit.placeVMs(body: .json(.init(vms: [huge]))) {
        case .conflict(let refused): #expect(try refused.body.json.rule == "capacity")
        default: Issue.record("a VM no host holds must be refused with 409")
        }
        let placements = try await hostfit.listPlacements().ok.body.json.additionalProperties
        #expect(placements == ["web-1": first.placements!.first!.host])

        let released = try await hostfit.releaseVM(path: .init(vm: "web-1")).ok.body.json
        #expect(released.host == first.placements?.first?.host)

        _ = try await hostfit.placeVMs(body: .json(.init(vms: (1...6).map { Components.Schemas.Vm(id: "app-\($0)", vcpus: 2, memoryMb: 8192) })))
        let job = try await hostfit.startPlan(body: .json(.init(timeLimitS: 5))).accepted.body.json
        var state = job.state
        for _ in 0..<100 where state == .running {
            try await Task.sleep(for: .milliseconds(100))
            state = try await hostfit.getPlan(path: .init(id: job.id)).ok.body.json.state
        }
        #expect(state == .done)
        let result = try await hostfit.getPlan(path: .init(id: job.id)).ok.body.json.result
        // web-1, released, is still in the inventory: the plan places it too.
        #expect(result?.hostsUsed == 1, "six VMs of 8 GB and one of 16 GB fill one host")
        #expect(result?.placements?.additionalProperties.count == 7)
    }

    @Test func aTenantsAutomationPlacesWithinItsQuota() async throws {
        let server = try ServiceTests.Server(db: "\(Support.temporaryDirectory())/tenants.sqlite", arguments: ["--headroom", "cpu=100,memory=100"])
        defer { server.stop() }
        let url = URL(string: "http://127.0.0.1:\(server.port)")!
        let admin = Client.hostfit(url: url, token: server.token)
        _ = try await admin.putHosts(body: .json([Components.Schemas.Host(id: "h1", cpuCores: 16, cpuMhz: 2000, memoryMb: 65536)])).ok
        let tenant = try await admin.putTenant(path: .init(id: "web"), body: .json(.init(quota: .init(vms: 1)))).ok.body.json
        #expect(tenant.quota.vms == 1 && tenant.tokens.isEmpty)
        let made = try await admin.makeToken(path: .init(id: "web"), body: .json(.init(role: ._operator))).created.body.json
        let web = Client.hostfit(url: url, token: made.token)
        let vm = { (id: String) in Components.Schemas.Vm(id: id, vcpus: 2, memoryMb: 4096) }
        #expect(try await web.placeVMs(body: .json(.init(vms: [vm("w1")]))).created.body.json.placements?.first?.vm == "w1")
        switch try await web.placeVMs(body: .json(.init(vms: [vm("w2")]))) {
        case .forbidden(let refused):
            let error = try refused.body.json
            #expect(error.rule == "quota" && error.quota == "vms" && error.limit == 1 && error.used == 1 && error.asked == 1)
        default: Issue.record("a placement past the quota must be refused with 403")
        }
        let usage = try await web.getUsage().ok.body.json.tenants
        #expect(usage.map(\.tenant) == ["web"] && usage.first?.placed == 1)
        let audit = try await admin.listAudit(query: .init(tenant: "web")).ok.body.json.entries
        #expect(audit.map(\.status) == [201, 403])
        _ = try await admin.revokeToken(path: .init(id: "web", token: made.id)).ok
        if case .unauthorized = try await web.getUsage() {} else { Issue.record("a revoked token must be refused") }
    }
}
