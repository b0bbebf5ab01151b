import Foundation
import Testing
@testable import Hostfit

/// A live problem grown VM by VM (the placement service) must be the problem built anew,
/// and the rater's quick best host must be the one its full ratings put first.
@Suite("Growing a problem")
struct ProblemAppendTests {
    /// Hosts in two clusters with tags, one in maintenance, one with max_vms; VMs with tags,
    /// clusters, anti-affinity, measured and unmeasured demand, one pinned.
    func inventory(seed: UInt64, vms count: Int) -> (hosts: [VMHost], vms: [VM]) {
        var rng = SeededGenerator(seed: seed)
        let hosts = (0..<12).map { h in
            VMHost(id: "h\(h)", cluster: h < 6 ? "a" : "b", cpuCores: [8, 16].randomElement(using: &rng)!,
                   cpuMHzPerCore: [2000, 2600].randomElement(using: &rng)!, memoryMB: [32768, 65536].randomElement(using: &rng)!,
                   tags: h % 3 == 0 ? ["ssd"] : [], maxVMs: h == 4 ? 2 : nil, state: h == 7 ? .maintenance : .active)
        }
        let vms = (0..<count).map { v in
            var vm = VM(id: "v\(v)", vcpus: Int.random(in: 1...4, using: &rng), memoryMB: Double(Int.random(in: 1...8, using: &rng) * 1024),
                        cluster: v % 5 == 0 ? "b" : nil, requires: v % 7 == 0 ? ["ssd"] : [],
                        antiAffinity: v % 4 == 0 ? ["web"] : (v % 9 == 0 ? ["db"] : []),
                        measured: v % 3 == 0 ? [:] : [.cpu: Double(Int.random(in: 100...6000, using: &rng))])
            if v % 11 == 5 { vm.requires = ["gpu"] }  // no host has it: impossible
            if v == 3 { vm.currentHost = "h2"; vm.pinned = true }
            return vm
        }
        return (hosts, vms)
    }

    @Test(arguments: [PlacementRules(), PlacementRules(vcpusPerCore: 2, memoryRatio: 1.2)])
    func anAppendedProblemIsTheProblemBuiltAnew(rules: PlacementRules) {
        let (hosts, vms) = inventory(seed: 7, vms: 60)
        let full = PlacementProblem(inventory: Inventory(hosts: hosts, vms: vms), headroom: Headroom(), rules: rules)
        var grown = PlacementProblem(inventory: Inventory(hosts: hosts, vms: Array(vms.prefix(10))), headroom: Headroom(), rules: rules)
        for start in stride(from: 10, to: 60, by: 7) {
            let appended = grown.append(Array(vms[start..<min(60, start + 7)]))
            #expect(appended)
        }
        #expect(grown.vms == full.vms)
        #expect(grown.demand == full.demand && grown.peak == full.peak && grown.trough == full.trough)
        #expect(grown.vmIndex == full.vmIndex)
        for v in 0..<full.vmCount {
            #expect(grown.rules.isImpossible[v] == full.rules.isImpossible[v], "v\(v)")
            #expect(grown.rules.impossible[v]?.message == full.rules.impossible[v]?.message, "v\(v)")
            #expect(grown.rules.pinnedHost[v] == full.rules.pinnedHost[v])
            #expect(grown.rules.antiAffinityOf[v].map { grown.rules.antiAffinityGroups[$0].name }
                    == full.rules.antiAffinityOf[v].map { full.rules.antiAffinityGroups[$0].name })
            for h in 0..<full.hostCount { #expect(grown.rules.allows(v, h) == full.rules.allows(v, h)) }
        }
        #expect(grown.rules.antiAffinityGroups.map(\.vms) == full.rules.antiAffinityGroups.map(\.vms))
    }

    @Test func whatWouldChangeTheProblemsShapeIsRefused() {
        let (hosts, vms) = inventory(seed: 1, vms: 5)
        var problem = PlacementProblem(inventory: Inventory(hosts: hosts, vms: vms), headroom: Headroom())
        let before = problem.vms
        let paired = problem.append([VM(id: "pair", vcpus: 1, memoryMB: 1024, affinity: ["app"])])
        let licensed = problem.append([VM(id: "licensed", vcpus: 1, memoryMB: 1024, measured: [.counted("licence"): 1])])
        #expect(!paired && !licensed)
        #expect(problem.vms == before && problem.rules.unitOf.count == before.count)
        var bought = PlacementProblem(inventory: Inventory(hosts: [], vms: vms, catalog: [hosts[0]]), headroom: Headroom())
        let more = bought.append([VM(id: "more", vcpus: 1, memoryMB: 1024)])
        #expect(!more)
    }

    @Test func aNewIdTakesOverTheName() {
        let (hosts, vms) = inventory(seed: 2, vms: 4)
        var problem = PlacementProblem(inventory: Inventory(hosts: hosts, vms: vms), headroom: Headroom())
        let appended = problem.append([VM(id: "v1", vcpus: 8, memoryMB: 2048)])
        #expect(appended)
        #expect(problem.vm(named: "v1") == 4 && problem.vms[4].vcpus == 8)
    }

    @Test func groupsThatArriveLaterAreKeptApart() {
        let (hosts, _) = inventory(seed: 3, vms: 0)
        var rater = HostRater(PlacementProblem(inventory: Inventory(hosts: hosts, vms: [VM(id: "plain", vcpus: 1, memoryMB: 1024)]), headroom: Headroom()))
        let appended = rater.append([VM(id: "web-1", vcpus: 1, memoryMB: 1024, antiAffinity: ["web"]),
                                     VM(id: "web-2", vcpus: 1, memoryMB: 1024, antiAffinity: ["web"])])
        #expect(appended)
        rater.place(1, on: 0)
        #expect(!rater.loads.fits(2, on: 0) && rater.loads.fits(2, on: 1))
        #expect(rater.rate(2, on: 0, goal: .balance, weights: [:]).rule == .antiAffinity)
    }

    /// Ratings on a grown problem equal those on one built anew with the same placements,
    /// and `best` names the host `rate` puts first, for both goals, step after step.
    @Test(arguments: PlacementGoal.allCases)
    func theQuickBestIsTheFirstRating(goal: PlacementGoal) {
        let (hosts, vms) = inventory(seed: 11, vms: 80)
        var grown = HostRater(PlacementProblem(inventory: Inventory(hosts: hosts, vms: Array(vms.prefix(1))), headroom: Headroom()))
        let appended = grown.append(Array(vms.dropFirst()))
        #expect(appended)
        var placed = grown.loads.problem.vms.map { vm in vm.currentHost.flatMap { grown.problem.host(named: $0) } ?? Assignment.unplaced }
        for (v, h) in placed.enumerated() where h >= 0 && v > 0 { grown.place(v, on: h) }
        var refused = 0
        for v in 1..<vms.count where placed[v] < 0 {
            let ratings = grown.rate(v, goal: goal)
            let best = grown.best(v, goal: goal)
            #expect(best == ratings.first { $0.stars > 0 }, "v\(v)")
            let fresh = HostRater(PlacementProblem(inventory: Inventory(hosts: hosts, vms: vms), headroom: Headroom()),
                                  current: Assignment(hostOf: placed))
            #expect(fresh.rate(v, goal: goal) == ratings, "v\(v)")
            guard let best, let h = grown.problem.host(named: best.host) else { refused += 1; continue }
            grown.place(v, on: h)
            placed[v] = h
            if v % 10 == 0, let gone = (1..<v).first(where: { placed[$0] >= 0 }) {
                grown.release(gone, from: placed[gone])
                placed[gone] = Assignment.unplaced
            }
        }
        #expect(refused > 0 && refused < 40)
        let entries = placed.enumerated().filter { $0.element >= 0 }.map { Placement.Entry(vm: vms[$0.offset].id, host: hosts[$0.element].id) }
        #expect(PlanValidator.violations(of: Placement(entries), in: grown.problem).isEmpty)
    }
}
