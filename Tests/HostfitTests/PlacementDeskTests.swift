import Foundation
import Testing
@testable import Hostfit
@testable import HostfitService

/// The desk keeps its problem and loads from request to request: whatever it is asked, it
/// must answer as a desk that built everything anew would.
@Suite("Placement desk")
struct PlacementDeskTests {
    func json(_ answer: DeskAnswer) -> [String: Any] { answer.json }

    func record(_ id: String, _ rng: inout SeededGenerator) -> VMRecord {
        var vm = VM(id: id, vcpus: Int.random(in: 1...6, using: &rng), memoryMB: Double(Int.random(in: 1...12, using: &rng) * 1024),
                    measured: Bool.random(using: &rng) ? [.cpu: Double(Int.random(in: 200...9000, using: &rng))] : [:])
        if Int.random(in: 0..<4, using: &rng) == 0 { vm.antiAffinity = ["web"] }
        if Int.random(in: 0..<6, using: &rng) == 0 { vm.requires = ["ssd"] }
        if Int.random(in: 0..<7, using: &rng) == 0 { vm.cluster = "b" }
        return VMRecord(vm)
    }

    /// What a desk built from scratch on the inventory as it stands picks for `vm`.
    func freshChoice(_ desk: PlacementDesk, _ vm: VM, goal: PlacementGoal) async -> HostRating? {
        let now = await desk.snapshot()
        let inventory = Inventory(hosts: now.hosts, vms: now.vms.filter { $0.id != vm.id } + [vm])
        let problem = PlacementProblem(inventory: inventory, headroom: now.headroom, rules: now.settings)
        return HostRater(problem).rate(problem.vm(named: vm.id)!, goal: goal).first { $0.stars > 0 }
    }

    @Test(arguments: PlacementGoal.allCases)
    func aLongSessionAnswersAsADeskBuiltAnew(goal: PlacementGoal) async throws {
        let dir = Support.temporaryDirectory()
        let store = try ServiceStore(path: "\(dir)/desk.sqlite")
        let desk = try PlacementDesk(store: store, headroom: try Headroom(parsing: "cpu=90,memory=95"), goal: goal)
        let hosts = (0..<16).map { h in
            HostRecord(VMHost(id: "h\(h)", cluster: h < 10 ? "a" : "b", cpuCores: [8, 16].randomElement()!, cpuMHzPerCore: 2400,
                              memoryMB: 65536, tags: h % 4 == 0 ? ["ssd"] : [], maxVMs: h == 3 ? 2 : nil, state: h == 5 ? .maintenance : .active))
        }
        #expect(await DeskAnswer.of() { () async throws(DeskError) in try await desk.putHosts(hosts) }.status == 200)
        var rng = SeededGenerator(seed: 42)
        var placed: [String] = [], registered: [VMRecord] = [], placedCount = 0, refusals = 0, next = 0
        for step in 0..<260 {
            switch Int.random(in: 0..<10, using: &rng) {
            case 0 where !placed.isEmpty:  // release
                let id = placed.remove(at: Int.random(in: 0..<placed.count, using: &rng))
                #expect(await DeskAnswer.of() { () async throws(DeskError) in try await desk.release(id) }.status == 200)
            case 1 where !placed.isEmpty:  // delete
                let id = placed.remove(at: Int.random(in: 0..<placed.count, using: &rng))
                #expect(await DeskAnswer.of() { () async throws(DeskError) in try await desk.deleteVM(id) }.status == 200)
            case 2:  // register a VM, place it later under the same definition
                let r = record("vm-\(next)", &rng)
                next += 1
                #expect(await DeskAnswer.of() { () async throws(DeskError) in try await desk.putVMs([r]) }.status == 200)
                registered.append(r)
                let answer = await DeskAnswer.of() { () async throws(DeskError) in try await desk.rate(r) }
                let fresh = await freshChoice(desk, try r.vm(), goal: goal)
                let ratings = json(answer)["ratings"] as? [[String: Any]] ?? []
                #expect(ratings.first(where: { ($0["stars"] as? Double ?? 0) > 0 })?["host"] as? String == fresh?.host, "step \(step)")
            case 3:  // a batch, all or none
                let batch = (0..<Int.random(in: 2...5, using: &rng)).map { k in record("batch-\(step)-\(k)", &rng) }
                let answer = await DeskAnswer.of(201) { () async throws(DeskError) in try await desk.place(batch, idempotencyKey: nil) }
                if answer.status == 201 { placed += batch.map(\.id); placedCount += batch.count } else { refusals += 1 }
                #expect(answer.status == 201 || answer.status == 409, "\(answer.body)")
            default:  // one VM, or one of those registered
                let r: VMRecord
                if !registered.isEmpty, Bool.random(using: &rng) { r = registered.removeFirst() } else {
                    r = record("vm-\(next)", &rng)
                    next += 1
                }
                let fresh = await freshChoice(desk, try r.vm(), goal: goal)
                let answer = await DeskAnswer.of(201) { () async throws(DeskError) in try await desk.place([r], idempotencyKey: nil) }
                let host = (json(answer)["placements"] as? [[String: Any]])?.first?["host"] as? String
                #expect(host == fresh?.host, "step \(step): \(answer.body)")
                if answer.status == 201 { placed.append(r.id); placedCount += 1 } else { refusals += 1 }
            }
            let now = await desk.snapshot()
            let entries = desk.placements().map { Placement.Entry(vm: $0.key, host: $0.value) }
            #expect(PlanValidator.violations(of: Placement(entries), in: now).isEmpty, "step \(step)")
        }
        #expect(placedCount > 100 && refusals > 10, "placed \(placedCount), refused \(refusals)")
        // A desk opened on the same store afresh sees the same placements.
        let reopened = try PlacementDesk(store: try ServiceStore(path: "\(dir)/desk.sqlite"), goal: goal)
        #expect(reopened.placements() == desk.placements())
    }
}

extension PlacementDeskTests {
    /// Ratings run on replicas beside the desk, while it places: each answer accounts for
    /// every host, and once the placements stop a rating is what a desk built anew gives.
    @Test func ratingsBesidePlacementsFollowThem() async throws {
        let desk = try PlacementDesk(store: try ServiceStore(path: "\(Support.temporaryDirectory())/replicas.sqlite"),
                                     headroom: try Headroom(parsing: "cpu=100,memory=100"))
        let hosts = (0..<24).map { HostRecord(VMHost(id: "h\($0)", cpuCores: 16, cpuMHzPerCore: 2000, memoryMB: 65536)) }
        _ = try await desk.putHosts(hosts)
        let placing = Task {
            var rng = SeededGenerator(seed: 7)
            for k in 0..<300 {
                _ = try? await desk.place([record("p\(k)", &rng)], idempotencyKey: nil)
                if k % 7 == 3 { _ = try? await desk.release("p\(k - 2)") }
            }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for reader in 0..<6 {
                group.addTask {
                    var rng = SeededGenerator(seed: UInt64(100 + reader))
                    for k in 0..<150 {
                        let answer = try await desk.rate(self.record("r\(reader)-\(k)", &rng), top: 3)
                        #expect(answer.fitting + answer.refused.values.reduce(0, +) == 24)
                        #expect(answer.ratings.count == min(3, answer.fitting))
                    }
                }
            }
            try await group.waitForAll()
        }
        await placing.value
        var rng = SeededGenerator(seed: 9)
        for k in 0..<10 {
            let probe = record("probe-\(k)", &rng)
            let rated = try await desk.rate(probe, top: 1)
            let fresh = await freshChoice(desk, try probe.vm(), goal: .balance)
            #expect(rated.ratings.first?.host == fresh?.host, "probe \(k)")
        }
    }
}

extension PlacementDeskTests {
    /// Live samples are kept as windows of the last four weeks: they survive a restart, a
    /// sample older than the window is counted and dropped, and the newest weeks win.
    @Test func liveSamplesSurviveARestartInAWindowOfWeeks() async throws {
        let path = "\(Support.temporaryDirectory())/live.sqlite"
        let desk = try PlacementDesk(store: try ServiceStore(path: path), headroom: try Headroom(parsing: "cpu=100,memory=100"))
        _ = try await desk.putHosts([HostRecord(VMHost(id: "h", cpuCores: 16, cpuMHzPerCore: 2000, memoryMB: 65536))])
        _ = try await desk.place([VMRecord(VM(id: "a", vcpus: 2, memoryMB: 4096))], idempotencyKey: nil)
        let monday = TracePeriod.time("2026-11-02")!  // a Monday
        // Six weeks of Monday 10:00 samples, rising: 1,000 then 2,000 ... 6,000 MHz.
        var samples = (0..<6).map { w in PlacementDesk.Sample(time: monday + Int64(w) * 604_800 + 36_000, entity: "a", metric: .cpuMHz,
                                                               value: Double(w + 1) * 1000, source: "test") }
        // Then one from the first week again: older than the window now.
        samples.append(PlacementDesk.Sample(time: monday + 36_000, entity: "a", metric: .cpuMHz, value: 9000, source: "test"))
        let answer = try await desk.ingest(samples)
        #expect(answer.accepted == 6 && answer.tooOld == 1 && answer.vms == 1)
        let reopened = try PlacementDesk(store: try ServiceStore(path: path))
        let window = try #require(await reopened.live["a"]?[.cpu])
        // The window holds weeks 3 to 6: Monday 10:00 is the newest's 6,000, the other hours that.
        #expect(window.envelope[10] == 6000 && window.envelope.compactMap { $0 }.count == 1)
        let profile = try #require(await reopened.demand.profiles["a"])
        #expect(profile.scheme == .hourOfWeek && profile.series[.cpu]?[10] == 6000)
        // The store keeps the window, not the series it makes: after a restart the profile is
        // the one the desk had, and later samples move it on the same way.
        #expect(profile == (await desk.demand.profiles["a"]))
        _ = try await reopened.ingest([PlacementDesk.Sample(time: monday + 5 * 604_800 + 39_600, entity: "a", metric: .cpuMHz, value: 7000, source: "test")])
        let again = try PlacementDesk(store: try ServiceStore(path: path))
        #expect(await again.demand.profiles["a"] == (await reopened.demand.profiles["a"]))
        #expect(await again.demand.profiles["a"]?.series[.cpu]?[11] == 7000)
    }

    /// Profiles put from traces replace what samples made, across a restart too, until the
    /// next samples for that VM.
    @Test func tracedProfilesReplaceSampledOnesAcrossARestart() async throws {
        let path = "\(Support.temporaryDirectory())/traced.sqlite"
        let desk = try PlacementDesk(store: try ServiceStore(path: path), headroom: try Headroom(parsing: "cpu=100,memory=100"))
        _ = try await desk.putHosts([HostRecord(VMHost(id: "h", cpuCores: 16, cpuMHzPerCore: 2000, memoryMB: 65536))])
        _ = try await desk.place([VMRecord(VM(id: "a", vcpus: 2, memoryMB: 4096))], idempotencyKey: nil)
        let monday = TracePeriod.time("2026-11-02")!
        _ = try await desk.ingest([PlacementDesk.Sample(time: monday + 36_000, entity: "a", metric: .cpuMHz, value: 3000, source: "test")])
        let traced = ServiceProfile(scheme: .hourOfWeek, series: [.cpu: [Double](repeating: 500, count: 168)])
        _ = try await desk.putProfiles(["a": traced])
        let reopened = try PlacementDesk(store: try ServiceStore(path: path))
        #expect(await reopened.demand.profiles["a"] == traced)
        _ = try await reopened.ingest([PlacementDesk.Sample(time: monday + 39_600, entity: "a", metric: .cpuMHz, value: 2000, source: "test")])
        let sampled = try #require(await reopened.demand.profiles["a"])
        #expect(sampled.live == [.cpu] && sampled.series[.cpu]?[10] == 3000 && sampled.series[.cpu]?[11] == 2000)
        let third = try PlacementDesk(store: try ServiceStore(path: path))
        #expect(await third.demand.profiles["a"] == sampled)
    }
}
