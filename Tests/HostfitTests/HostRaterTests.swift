import Foundation
import Testing
@testable import Hostfit

/// Star ratings of hosts for a new VM: hard rules as the validator has them, time-aware scores.
@Suite("Host ratings")
struct HostRaterTests {
    /// Hosts of 10 cores x 1000 MHz and 10 GB; `day`/`night` VMs busy 8-19 h or 20-7 h.
    func problem(hosts: [VMHost], vms: [VM], profile: (VM) -> [Double]? = { _ in nil }, reserve: Int = 0) -> PlacementProblem {
        PlacementProblem(inventory: Inventory(hosts: hosts, vms: vms), headroom: try! Headroom(parsing: "cpu=100,memory=100"),
                         rules: PlacementRules(reserve: reserve), buckets: 24, traced: nil) { vm, resource in
            resource == .cpu ? profile(vm) : nil
        }
    }

    func host(_ id: String, cluster: String = "", tags: Set<String> = [], maxVMs: Int? = nil, state: VMHost.State = .active) -> VMHost {
        VMHost(id: id, cluster: cluster, cpuCores: 10, cpuMHzPerCore: 1000, memoryMB: 10_000, tags: tags, maxVMs: maxVMs, state: state)
    }

    @Test func everyRuleGivesZeroStarsWithItsReason() throws {
        let hosts = [host("down", state: .maintenance), host("full", maxVMs: 1), host("plain"), host("other", cluster: "b"),
                     host("sql", tags: ["sql"]), host("small")]
        let vms = [VM(id: "resident", vcpus: 1, memoryMB: 1000, currentHost: "full", measured: [.cpu: 100]),
                   VM(id: "vm-17", vcpus: 1, memoryMB: 1000, currentHost: "sql", antiAffinity: ["web"], measured: [.cpu: 100]),
                   VM(id: "big", vcpus: 1, memoryMB: 9000, currentHost: "small", measured: [.cpu: 100]),
                   VM(id: "new", vcpus: 1, memoryMB: 4800, requires: ["sql"], antiAffinity: ["web"], measured: [.cpu: 100])]
        let p = problem(hosts: hosts, vms: vms)
        let rater = HostRater(p)
        let ratings = Dictionary(uniqueKeysWithValues: rater.rate(3).map { ($0.host, $0) })
        #expect(ratings["down"]?.rule == .hostState && ratings["down"]?.reason == "host in maintenance")
        #expect(ratings["full"]?.rule == .maxVMs)
        #expect(ratings["plain"]?.rule == .requires && ratings["plain"]?.reason == "requires tag sql")
        #expect(ratings["sql"]?.rule == .antiAffinity && ratings["sql"]?.reason == "anti-affinity group web with vm-17")
        #expect(ratings.values.allSatisfy { $0.stars == 0 })

        // Without the tag and group: capacity, with the numbers and the hour.
        var free = vms
        free[3].requires = []
        free[3].antiAffinity = []
        let q = problem(hosts: hosts, vms: free)
        let small = HostRater(q).rate(3, on: 5, goal: .balance, weights: [:])
        #expect(small.rule == .capacity)
        #expect(small.reason == "needs 4.7 GB memory at 00:00, 1000 MB memory free under 100% headroom")
        #expect(HostRater(q).rate(3, on: 2, goal: .balance, weights: [:]).stars > 0)
    }

    @Test func clusterPinnedReserveAndOvercommitGiveZeroStarsWithTheirRule() throws {
        // Cluster: the VM belongs to b; pinned: it stays on its host.
        let hosts = [host("a1", cluster: "a"), host("a2", cluster: "a"), host("b1", cluster: "b")]
        var pinned = VM(id: "p", vcpus: 1, memoryMB: 100, currentHost: "a1", measured: [.cpu: 10])
        pinned.pinned = true
        let vms = [pinned, VM(id: "c", vcpus: 1, memoryMB: 100, cluster: "b", measured: [.cpu: 10])]
        let rater = HostRater(problem(hosts: hosts, vms: vms), current: Assignment(hostOf: [-1, -1]))
        #expect(rater.rate(1, on: 0, goal: .balance, weights: [:]).rule == .cluster)
        #expect(rater.rate(0, on: 1, goal: .balance, weights: [:]).rule == .pinned)
        #expect(rater.rate(0, on: 0, goal: .balance, weights: [:]).stars > 0)

        // N+1: a cluster of one used host cannot lose it.
        let lone = problem(hosts: [host("x"), host("y")], vms: [VM(id: "only", vcpus: 1, memoryMB: 100, measured: [.cpu: 10])], reserve: 1)
        #expect(HostRater(lone, current: Assignment(hostOf: [-1])).rate(0, on: 0, goal: .balance, weights: [:]).rule == .reserve)

        // Overcommit: 8 vCPUs on a 10-core host at 0.5 per core.
        let tight = PlacementProblem(inventory: Inventory(hosts: [host("h")], vms: [VM(id: "wide", vcpus: 8, memoryMB: 100, measured: [.cpu: 10])]),
                                     headroom: Headroom(), rules: PlacementRules(vcpusPerCore: 0.5))
        let rating = HostRater(tight, current: Assignment(hostOf: [-1])).rate(0, on: 0, goal: .balance, weights: [:])
        #expect(rating.rule == .overcommit && rating.reason.hasPrefix("needs 8 vCPU"))
    }

    /// The admin put the first VM elsewhere than advised: the next ratings follow the estate.
    @Test func ratingsFollowWhereVMsReallyWent() {
        let vms = [VM(id: "first", vcpus: 1, memoryMB: 4000, measured: [.cpu: 4000]), VM(id: "second", vcpus: 1, memoryMB: 1000, measured: [.cpu: 1000])]
        let p = problem(hosts: [host("a"), host("b")], vms: vms)
        var advised = HostRater(p, current: Assignment(hostOf: [-1, -1]))
        #expect(advised.rate(0).first?.host == "a")
        // Ignored: it runs on b. A new rating of the estate as it is sends the second to a.
        let real = HostRater(p, current: Assignment(hostOf: [1, -1]))
        #expect(real.rate(1, goal: .balance).first?.host == "a")
        #expect(real.rate(1, goal: .consolidate).first?.host == "b")
        advised.place(0, on: 0)
        #expect(advised.rate(1, goal: .balance).first?.host == "b")
    }

    @Test func aHistoryNamesTheMomentThatDoesNotFit() {
        #expect(HostRater.moment(1_373_846_400) == "Mon 2013-07-15 00:00")
        #expect(HostRater.moment(1_373_846_400 + 86_400 + 14 * 3600 + 5 * 60) == "Tue 2013-07-16 14:05")
        #expect(HostRater.bucketLabel(24 + 14, of: 168) == "Tue 14:00")
    }

    /// A VM busy at night rates higher on a host busy by day than on one busy at night with the same peak.
    @Test(arguments: PlacementGoal.allCases)
    func complementaryHostsRateHigher(goal: PlacementGoal) {
        let day = (0..<24).map { (8...19).contains($0) ? 6000.0 : 500 }, night = (0..<24).map { (8...19).contains($0) ? 500.0 : 6000 }
        let vms = [VM(id: "d", vcpus: 1, memoryMB: 1000, currentHost: "A"), VM(id: "n", vcpus: 1, memoryMB: 1000, currentHost: "B"),
                   VM(id: "new", vcpus: 1, memoryMB: 1000)]
        let p = problem(hosts: [host("A"), host("B")], vms: vms) { vm in
            vm.id == "d" ? day : vm.id == "n" ? night : (0..<24).map { (8...19).contains($0) ? 300.0 : 3000 }
        }
        let ratings = HostRater(p).rate(2, goal: goal)
        #expect(ratings.first?.host == "A", "\(goal): \(ratings)")
        #expect(ratings[0].score > ratings[1].score)
    }

    /// An empty host and a half-full one: balance takes the empty, consolidate the busy one.
    @Test func balanceAndConsolidateOrderAsDocumented() {
        let vms = [VM(id: "half", vcpus: 1, memoryMB: 5000, currentHost: "busy", measured: [.cpu: 5000]),
                   VM(id: "new", vcpus: 1, memoryMB: 1000, measured: [.cpu: 1000])]
        let p = problem(hosts: [host("busy"), host("empty")], vms: vms)
        let rater = HostRater(p)
        #expect(rater.rate(1, goal: .balance).map(\.host) == ["empty", "busy"])
        #expect(rater.rate(1, goal: .consolidate).map(\.host) == ["busy", "empty"])
        #expect(rater.rate(1, goal: .balance) == rater.rate(1, goal: .balance), "deterministic")
        for rating in rater.rate(1) { #expect(rating.stars >= 0.5 && rating.stars <= 5 && (rating.stars * 2).rounded() == rating.stars * 2) }
    }

    /// Every host rated above 0 is one where the validator accepts the VM added there.
    @Test(arguments: 0..<20)
    func everyHostAboveZeroPassesTheValidator(seed: UInt64) {
        var rng = SeededGenerator(seed: seed + 500)
        let hosts = (0..<6).map { h in
            host("h\(h)", cluster: ["a", "b"].randomElement(using: &rng)!, tags: Bool.random(using: &rng) ? ["pool"] : [],
                 maxVMs: Int.random(in: 0..<4, using: &rng) == 0 ? 3 : nil, state: Int.random(in: 0..<6, using: &rng) == 0 ? .maintenance : .active)
        }
        let vms = (0..<14).map { v in
            VM(id: "v\(v)", vcpus: 1, memoryMB: Double(Int.random(in: 500...3000, using: &rng)),
               currentHost: v < 12 ? hosts.randomElement(using: &rng)!.id : nil,
               cluster: Bool.random(using: &rng) ? ["a", "b"].randomElement(using: &rng)! : nil,
               requires: Int.random(in: 0..<4, using: &rng) == 0 ? ["pool"] : [],
               affinity: Int.random(in: 0..<4, using: &rng) == 0 ? ["together"] : [],
               antiAffinity: Int.random(in: 0..<3, using: &rng) == 0 ? ["g"] : [],
               measured: [.cpu: Double(Int.random(in: 100...3000, using: &rng))])
        }
        let p = problem(hosts: hosts, vms: vms, reserve: Int(seed % 2))
        let current = vms.map { vm in vm.currentHost.flatMap { p.host(named: $0) } ?? -1 }
        // Rate only over a valid start: what the validator accepts of the current placement.
        var start = Assignment(hostOf: current.indices.map { _ in -1 })
        for v in 0..<12 {
            var trial = start
            trial.hostOf[v] = current[v]
            if PlanValidator.violations(of: trial.placement(in: p), in: p).isEmpty { start = trial }
        }
        let rater = HostRater(p, current: start)
        for v in [12, 13] {
            for (h, hostID) in hosts.map(\.id).enumerated() {
                let rating = rater.rate(v, on: h, goal: .balance, weights: [:])
                var added = start
                added.hostOf[v] = h
                let violations = PlanValidator.violations(of: added.placement(in: p), in: p)
                #expect((rating.stars > 0) == violations.isEmpty, "seed \(seed), \(hostID): \(rating.reason) vs \(violations)")
            }
        }
    }

    /// The four-lane reduction a rating runs on every host equals the plain loop, for every
    /// length (the tail after the last full four included).
    @Test func theLaneReductionEqualsThePlainLoop() {
        var rng = SeededGenerator(seed: 11)
        for count in [0, 1, 3, 4, 5, 7, 8, 24, 167, 168] {
            let load = (0..<count).map { _ in Double(Int.random(in: 0...5000, using: &rng)) }
            let demand = (0..<count).map { _ in Double(Int.random(in: 0...900, using: &rng)) }
            var before = 0.0, after = 0.0, sum = 0.0
            for b in 0..<count {
                before = max(before, load[b])
                after = max(after, load[b] + demand[b])
                sum += load[b] + demand[b]
            }
            let fast = load.withUnsafeBufferPointer { l in
                demand.withUnsafeBufferPointer { d in HostRater.peaksAndSum(l.baseAddress ?? UnsafePointer(bitPattern: 8)!, d.baseAddress ?? UnsafePointer(bitPattern: 8)!, count) }
            }
            #expect(fast.before == before && fast.after == after && fast.sum == sum, "\(count) buckets")
        }
    }
}
