import Foundation
import Hostfit
@testable import HostfitService
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The routes in process (HummingbirdTesting, no sockets): who may call what, what a
/// refusal says, pages and ratings. The real server's durability and concurrency are
/// HostfitTests' `ServiceTests`.
@Suite("Service routes")
struct RouteTests {
    static let token = "route-token"

    /// An application on a fresh store, with `hosts` hosts of 16 cores and 64 GB.
    static func app(hosts: Int = 0, publicRead: Bool = false, costHours: Double? = nil,
                    clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }) async throws -> some ApplicationProtocol {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("routes-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let desk = try PlacementDesk(store: try ServiceStore(path: "\(dir)/routes.sqlite"), headroom: try Headroom(parsing: "cpu=100,memory=100"),
                                    costHours: costHours)
        try await desk.installFileToken(token)  // as `HostfitServer.run` does with --token-file
        if hosts > 0 {
            _ = try await desk.putHosts((0..<hosts).map { HostRecord(VMHost(id: String(format: "h%03d", $0), cpuCores: 16, cpuMHzPerCore: 2000, memoryMB: 65536)) })
        }
        let router = HostfitServer.router(desk: desk, configuration: ServiceConfiguration(token: token, publicRead: publicRead),
                                          jobs: PlanJobs(), advice: try RebalanceJobs(desk: desk, clock: clock), document: try Contract.document())
        return Application(router: router)
    }

    static let bearer: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]

    static func json(_ response: TestResponse) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any] ?? [:]
    }

    static func body(_ object: Any) -> ByteBuffer { ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object)) }

    @Test func openRoutesStayOpenAndTheRestNeedTheToken() async throws {
        try await Self.app(hosts: 2).test(.router) { client in
            // A wrong token does not shut the health check (load balancers send what they send).
            try await client.execute(uri: "/healthz", method: .get, headers: [.authorization: "Bearer nope"]) { #expect($0.status == .ok) }
            try await client.execute(uri: "/openapi.json", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/hosts", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate] == "Bearer")
                #expect((Self.json(response)["error"] as? String ?? "").contains("needs the bearer token"))
            }
            try await client.execute(uri: "/hosts", method: .get, headers: [.authorization: "Bearer nope"]) { response in
                #expect(response.status == .unauthorized)
                #expect(Self.json(response)["error"] as? String == "the bearer token is wrong")
            }
            try await client.execute(uri: "/hosts", method: .get, headers: Self.bearer) { #expect($0.status == .ok) }
        }
    }

    @Test func publicReadsLetReadsThroughButNotWrites() async throws {
        try await Self.app(hosts: 2, publicRead: true).test(.router) { client in
            try await client.execute(uri: "/hosts", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/ratings", method: .post, body: Self.body(["id": "r", "vcpus": 1, "memory_mb": 1024])) { #expect($0.status == .ok) }
            try await client.execute(uri: "/placements", method: .post, body: Self.body(["vms": [["id": "p", "vcpus": 1, "memory_mb": 1024]]])) {
                #expect($0.status == .unauthorized)
            }
            // A wrong token is wrong even where no token is needed.
            try await client.execute(uri: "/hosts", method: .get, headers: [.authorization: "Bearer nope"]) { #expect($0.status == .unauthorized) }
        }
    }

    @Test func listsComeInPagesThatLinkToTheNext() async throws {
        try await Self.app(hosts: 25).test(.router) { client in
            var uri: String? = "/hosts?limit=10", seen: [String] = []
            while let next = uri {
                uri = try await client.execute(uri: next, method: .get, headers: Self.bearer) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[HTTPField.Name("X-Total-Count")!] == "25")
                    let page = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as! [[String: Any]]
                    #expect(page.count <= 10)
                    seen += page.map { $0["id"] as! String }
                    guard let link = response.headers[HTTPField.Name("Link")!] else { return nil }
                    #expect(link.hasSuffix("; rel=\"next\""))
                    return String(link.dropFirst().prefix { $0 != ">" })
                }
            }
            #expect(seen == (0..<25).map { String(format: "h%03d", $0) })
            try await client.execute(uri: "/hosts?cursor=nosuch", method: .get, headers: Self.bearer) { response in
                #expect(response.status == .badRequest)
                #expect(Self.json(response)["field"] as? String == "cursor")
            }
            try await client.execute(uri: "/hosts?limit=0", method: .get, headers: Self.bearer) { #expect($0.status == .badRequest) }
        }
    }

    @Test func ratingsShowTheBestAndCountTheRestByRule() async throws {
        try await Self.app(hosts: 12).test(.router) { client in
            // Two hosts too small for a 32 GB VM.
            let small = (0..<2).map { ["id": "small-\($0)", "cpu_cores": 16, "cpu_mhz": 2000, "memory_mb": 16384] }
            try await client.execute(uri: "/hosts", method: .put, headers: Self.bearer, body: Self.body(small)) { #expect($0.status == .ok) }
            let vm = Self.body(["id": "new", "vcpus": 2, "memory_mb": 32768, "cpu_mhz": 1000])
            try await client.execute(uri: "/ratings?top=3", method: .post, headers: Self.bearer, body: vm) { response in
                let answer = Self.json(response)
                let ratings = answer["ratings"] as? [[String: Any]] ?? []
                #expect(ratings.count == 3)
                #expect(answer["fitting"] as? Int == 12)
                #expect(answer["refused"] as? [String: Int] == ["capacity": 2])
                let scores = ratings.map { $0["score"] as! Double }
                #expect(scores == scores.sorted(by: >))
            }
            try await client.execute(uri: "/ratings?all=true", method: .post, headers: Self.bearer, body: vm) { response in
                let ratings = Self.json(response)["ratings"] as? [[String: Any]] ?? []
                #expect(ratings.count == 14)
                #expect(ratings.filter { ($0["stars"] as? Double) == 0 }.allSatisfy { $0["rule"] as? String == "capacity" })
            }
            try await client.execute(uri: "/ratings?top=many", method: .post, headers: Self.bearer, body: vm) { response in
                #expect(response.status == .badRequest)
                #expect(Self.json(response)["field"] as? String == "top")
            }
        }
    }

    /// Live samples change ratings: a VM seen busy on Monday at 10:00 leaves its host no room
    /// for a new VM in that hour; bad rows refuse the whole body, naming the row.
    @Test func samplesChangeRatings() async throws {
        try await Self.app(hosts: 2).test(.router) { client in
            let placed = ["vms": [["id": "busy", "vcpus": 4, "memory_mb": 4096, "cpu_mhz": 1000], ["id": "quiet", "vcpus": 4, "memory_mb": 4096, "cpu_mhz": 1000]]]
            try await client.execute(uri: "/placements", method: .post, headers: Self.bearer, body: Self.body(placed)) { #expect($0.status == .created) }
            var busyHost = ""
            try await client.execute(uri: "/placements", method: .get, headers: Self.bearer) { response in
                busyHost = Self.json(response)["busy"] as? String ?? ""
            }
            #expect(!busyHost.isEmpty)
            let vm = Self.body(["id": "new", "vcpus": 8, "memory_mb": 4096, "cpu_mhz": 20000])
            try await client.execute(uri: "/ratings", method: .post, headers: Self.bearer, body: vm) { #expect(Self.json($0)["fitting"] as? Int == 2) }
            // A week of hourly samples: 1,000 MHz, and 30,000 on Monday at 10:00 (of 32,000).
            let monday = TracePeriod.time("2026-11-30")!
            var csv = "timestamp,entity,metric,value\n"
            for hour in 0..<168 { csv += "\(monday + Int64(hour) * 3600),busy,cpu_mhz,\(hour == 10 ? 30000 : 1000)\n" }
            csv += "\(monday),\(busyHost),cpu_mhz,31000\n\(monday),stranger,memory_pct,50\n"
            var headers = Self.bearer
            headers[.contentType] = "text/csv"
            try await client.execute(uri: "/samples", method: .post, headers: headers, body: ByteBuffer(string: csv)) { response in
                #expect(response.status == .ok)
                let answer = Self.json(response)
                #expect(answer["accepted"] as? Int == 168 && answer["vms"] as? Int == 1)
                #expect(answer["host_samples"] as? Int == 1 && answer["unknown"] as? Int == 1 && answer["unknown_examples"] as? [String] == ["stranger"])
            }
            try await client.execute(uri: "/ratings?all=true", method: .post, headers: Self.bearer, body: vm) { response in
                let answer = Self.json(response)
                #expect(answer["fitting"] as? Int == 1 && answer["refused"] as? [String: Int] == ["capacity": 1])
                let refused = (answer["ratings"] as? [[String: Any]] ?? []).filter { ($0["stars"] as? Double) == 0 }
                #expect(refused.map { $0["host"] as? String } == [busyHost])
            }
            // JSON too; a bad row refuses the body and names it.
            let bad = ["samples": [["timestamp": "2026-12-01T10:00:00Z", "entity": "busy", "metric": "cpu_mhz", "value": 10],
                                   ["timestamp": "soon", "entity": "busy", "metric": "cpu_mhz", "value": 10]]]
            try await client.execute(uri: "/samples", method: .post, headers: Self.bearer, body: Self.body(bad)) { response in
                #expect(response.status == .badRequest)
                #expect((Self.json(response)["error"] as? String ?? "").contains("samples[1]: timestamp 'soon'"))
            }
            try await client.execute(uri: "/samples", method: .post, headers: headers, body: ByteBuffer(string: "timestamp,entity,metric,value\n1,busy,cpu_ghz,1\n")) { response in
                #expect(response.status == .badRequest)
                #expect((Self.json(response)["error"] as? String ?? "").contains("body:2: metric 'cpu_ghz'"))
            }
            // A European spreadsheet's export: `;` columns and a decimal comma, read as the CLI reads them.
            try await client.execute(uri: "/samples", method: .post, headers: headers,
                                     body: ByteBuffer(string: "timestamp;entity;metric;value\n2026-12-01T10:00:00Z;busy;cpu_mhz;1,5\n")) { response in
                #expect(response.status == .ok)
                #expect(Self.json(response)["accepted"] as? Int == 1)
            }
            try await client.execute(uri: "/samples", method: .post, headers: headers, body: ByteBuffer(string: "timestamp,entity,metric,value\n1,busy,cpu_mhz,-3\n")) { response in
                #expect(response.status == .badRequest)
                let answer = Self.json(response)
                #expect((answer["error"] as? String ?? "").contains("body:2: value is -3, must be at least 0") && answer["field"] as? String == "value")
            }
        }
    }

    @Test func refusalsCarryTheirStatusAndName() async throws {
        try await Self.app(hosts: 1).test(.router) { client in
            let one = Self.body(["vms": [["id": "a", "vcpus": 1, "memory_mb": 1024]]])
            try await client.execute(uri: "/placements", method: .post, headers: Self.bearer, body: ByteBuffer(string: "{\"vms\": [{\"id\": \"a\"}]}")) { response in
                #expect(response.status == .badRequest)
                #expect(Self.json(response)["field"] as? String == "vms[0].vcpus")
            }
            var keyed = Self.bearer
            keyed[HTTPField.Name("Idempotency-Key")!] = "k1"
            try await client.execute(uri: "/placements", method: .post, headers: keyed, body: one) { #expect($0.status == .created) }
            try await client.execute(uri: "/placements", method: .post, headers: keyed, body: one) { #expect($0.status == .created) }
            try await client.execute(uri: "/placements", method: .post, headers: keyed, body: Self.body(["vms": [["id": "b", "vcpus": 1, "memory_mb": 1024]]])) {
                #expect($0.status == .unprocessableContent)
            }
            try await client.execute(uri: "/placements", method: .post, headers: Self.bearer, body: one) { response in
                #expect(response.status == .conflict)
                #expect(Self.json(response)["vm"] as? String == "a")
            }
            try await client.execute(uri: "/placements", method: .post, headers: Self.bearer,
                                     body: Self.body(["vms": [["id": "huge", "vcpus": 1, "memory_mb": 1_000_000]]])) { response in
                #expect(response.status == .conflict)
                #expect(Self.json(response)["rule"] as? String == "capacity")
            }
            try await client.execute(uri: "/placements/nosuch", method: .delete, headers: Self.bearer) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/hosts/h000", method: .delete, headers: Self.bearer) { #expect($0.status == .conflict) }
            try await client.execute(uri: "/hosts", method: .put, headers: [.authorization: "Bearer \(Self.token)", .contentType: "text/html"], body: ByteBuffer(string: "x")) {
                #expect($0.status == .unsupportedMediaType)
            }
        }
    }
}

extension RouteTests {
    @Test func anUnknownHostStateIsNamedWithTheStatesThereAre() async throws {
        try await Self.app().test(.router) { client in
            let host: [String: Any] = ["id": "h1", "cpu_cores": 8, "cpu_mhz": 2000, "memory_mb": 4096, "state": "asleep"]
            try await client.execute(uri: "/hosts/h1", method: .put, headers: Self.bearer, body: Self.body(host)) { response in
                #expect(response.status == .badRequest)
                #expect(Self.json(response)["field"] as? String == "state")
                #expect((Self.json(response)["error"] as? String ?? "").contains("'asleep' is not one of active, maintenance, failed"))
            }
        }
    }
}
