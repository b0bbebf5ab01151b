import Foundation
import Hostfit
@testable import HostfitService
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Rebalancing advice on the live state, in process: samples make a host too busy, advice
/// moves one VM off it, the operator's apply is checked and recorded; newer advice, a VM
/// that moved and time each retire advice that was not applied.
@Suite("Service rebalance")
struct RebalanceRouteTests {
    typealias R = RouteTests

    /// Polls `id` until the engine is done with it.
    static func settled(_ client: some TestClientProtocol, _ id: String) async throws -> [String: Any] {
        for _ in 0..<600 {
            var advice: [String: Any] = [:]
            try await client.execute(uri: "/rebalance/\(id)", method: .get, headers: R.bearer) { advice = R.json($0) }
            if advice["state"] as? String != "RUNNING" { return advice }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("advice \(id) still running")
        return [:]
    }

    static func start(_ client: some TestClientProtocol, _ body: [String: Any] = [:]) async throws -> [String: Any] {
        var id = ""
        try await client.execute(uri: "/rebalance", method: .post, headers: R.bearer, body: R.body(body)) { response in
            #expect(response.status == .accepted)
            id = R.json(response)["id"] as? String ?? ""
        }
        return try await settled(client, id)
    }

    static func placements(_ client: some TestClientProtocol) async throws -> [String: String] {
        var placed: [String: String] = [:]
        try await client.execute(uri: "/placements", method: .get, headers: R.bearer) { placed = R.json($0) as? [String: String] ?? [:] }
        return placed
    }

    /// Wall-clock seconds that a test moves on (advice expires by it).
    final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var offset: Int64 = 0
        func now() -> Int64 { lock.withLock { Int64(Date().timeIntervalSince1970) + offset } }
        func advance(_ seconds: Int64) { lock.withLock { offset += seconds } }
    }

    @Test func adviceFromLiveSamplesAppliesStepByStep() async throws {
        let clock = Clock()
        try await R.app(hosts: 2, clock: { clock.now() }).test(.router) { client in
            let vms = (1...4).map { ["id": "v\($0)", "vcpus": 8, "memory_mb": 4096, "cpu_mhz": 1000] }
            try await client.execute(uri: "/placements", method: .post, headers: R.bearer, body: R.body(["vms": vms])) { #expect($0.status == .created) }
            let before = try await Self.placements(client)
            let hot = try #require(Dictionary(grouping: before.keys.sorted(), by: { before[$0]! }).first { $0.value.count >= 2 })
            // Two weeks of hours: two VMs of one host at 20,000 MHz each on Monday 10:00 (the host has 32,000).
            let monday = TracePeriod.time("2026-11-30")!
            var csv = "timestamp,entity,metric,value\n"
            for hour in 0..<336 {
                for vm in hot.value.prefix(2) { csv += "\(monday + Int64(hour) * 3600),\(vm),cpu_mhz,\(hour % 168 == 10 ? 20000 : 1000)\n" }
            }
            var headers = R.bearer
            headers[.contentType] = "text/csv"
            try await client.execute(uri: "/samples", method: .post, headers: headers, body: ByteBuffer(string: csv)) { #expect($0.status == .ok) }

            // Refusals name the field.
            for (body, field) in [(["goal": "tidy"], "goal"), (["goal": "drain", "hosts_to_drain": ["h009"], "window_start": "2026-12-15T02:00:00Z", "window_h": 2], "hosts_to_drain"),
                                  (["max_moves": -1], "max_moves"), (["window_h": 2], "window_start"), (["trend": "yes"], "trend")] as [([String: Any], String)] {
                try await client.execute(uri: "/rebalance", method: .post, headers: R.bearer, body: R.body(body)) { response in
                    #expect(response.status == .badRequest)
                    #expect(R.json(response)["field"] as? String == field, "\(body)")
                }
            }

            let first = try await Self.start(client, ["trend": false])
            #expect(first["state"] as? String == "RECOMMENDED", "\(first)")
            let moves = first["moves"] as? [[String: Any]] ?? []
            #expect(moves.count == 1 && moves.first?["from"] as? String == hot.key && moves.first?["kind"] as? String == "fix", "\(moves)")
            let summary = first["summary"] as? [String: Any] ?? [:]
            #expect((summary["before"] as? [String: Any])?["hosts_over_headroom"] as? [String] == [hot.key])
            #expect((summary["after"] as? [String: Any])?["hosts_over_headroom"] as? [String] == [])
            #expect(summary["recent_until"] as? String == "2026-12-14T00:00:00Z", "the hours judged end with the newest sample")
            #expect(summary["trend"] as? Bool == false && (summary["options"] as? [String: String])?["trend"] == "off")

            // Newer advice supersedes it.
            let second = try await Self.start(client)
            #expect(second["state"] as? String == "RECOMMENDED" && (second["moves"] as? [Any])?.count == 1)
            try await client.execute(uri: "/rebalance/\(first["id"]!)", method: .get, headers: R.bearer) { response in
                #expect(R.json(response)["state"] as? String == "SUPERSEDED")
                #expect(R.json(response)["reason"] as? String == "newer advice: \(second["id"]!)")
            }
            try await client.execute(uri: "/rebalance/\(first["id"]!)/apply", method: .post, headers: R.bearer) { response in
                #expect(response.status == .conflict)
                #expect((R.json(response)["error"] as? String ?? "").contains("is SUPERSEDED"))
            }

            // Applied: checked, recorded, and the VM runs on its new host.
            let id = second["id"] as! String
            try await client.execute(uri: "/rebalance/\(id)/apply", method: .post, headers: R.bearer, body: R.body(["steps": 2])) { response in
                #expect(response.status == .badRequest && R.json(response)["field"] as? String == "steps")
            }
            try await client.execute(uri: "/rebalance/\(id)/apply", method: .post, headers: R.bearer) { response in
                #expect(response.status == .ok)
                #expect(R.json(response)["state"] as? String == "APPLIED" && R.json(response)["applied_steps"] as? Int == 1)
            }
            let move = (second["moves"] as! [[String: Any]])[0]
            #expect(try await Self.placements(client)[move["vm"] as! String] == move["to"] as? String)
            try await client.execute(uri: "/rebalance/\(id)/apply", method: .post, headers: R.bearer) { #expect($0.status == .conflict) }
            try await client.execute(uri: "/rebalance/nope/apply", method: .post, headers: R.bearer) { #expect($0.status == .notFound) }

            // The estate is within headroom now: nothing to move; the applied advice stays applied.
            let third = try await Self.start(client, ["expires_after_h": 1])
            #expect(third["state"] as? String == "RECOMMENDED" && (third["moves"] as? [Any])?.isEmpty == true, "\(third)")
            try await client.execute(uri: "/rebalance/\(id)", method: .get, headers: R.bearer) { #expect(R.json($0)["state"] as? String == "APPLIED") }
            clock.advance(3601)
            try await client.execute(uri: "/rebalance/\(third["id"]!)", method: .get, headers: R.bearer) { #expect(R.json($0)["state"] as? String == "EXPIRED") }

            // A drain: out before the window, back after it; recorded part way it stays
            // recommended, and a VM that moves meanwhile retires it.
            let quiet = try #require(try await Self.placements(client).first { $0.value != hot.key }?.value)
            let drain = try await Self.start(client, ["goal": "drain", "hosts_to_drain": [quiet], "window_start": "2026-12-15T02:00:00Z", "window_h": 2])
            let drainMoves = drain["moves"] as? [[String: Any]] ?? []
            let out = drainMoves.filter { $0["kind"] as? String == "drain" }
            #expect(!out.isEmpty && drainMoves.count == 2 * out.count, "\(drain)")
            try await client.execute(uri: "/rebalance/\(drain["id"]!)/apply", method: .post, headers: R.bearer, body: R.body(["steps": out.count])) { response in
                #expect(response.status == .ok)
                #expect(R.json(response)["state"] as? String == "RECOMMENDED" && R.json(response)["applied_steps"] as? Int == out.count)
            }
            let during = try await Self.placements(client)
            #expect(during.values.allSatisfy { $0 != quiet }, "\(drain) \(during)")
            let back = drainMoves[out.count]["vm"] as! String
            try await client.execute(uri: "/placements/\(back)", method: .delete, headers: R.bearer) { #expect($0.status == .ok) }
            try await client.execute(uri: "/rebalance/\(drain["id"]!)", method: .get, headers: R.bearer) { response in
                #expect(R.json(response)["state"] as? String == "SUPERSEDED")
                #expect((R.json(response)["reason"] as? String ?? "").contains("vm '\(back)' runs on no host now"))
            }
            try await client.execute(uri: "/rebalance", method: .get, headers: R.bearer) { response in
                let listed = (R.json(response)["advice"] as? [[String: Any]] ?? []).map { $0["state"] as? String ?? "" }
                #expect(listed == ["SUPERSEDED", "EXPIRED", "APPLIED", "SUPERSEDED"])
            }
        }
    }
}
