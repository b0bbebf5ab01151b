import Foundation
import Testing
@testable import Hostfit

@Suite("Demand history, replay and improvement")
struct HistoryTests {
    /// native-long.csv: web1 cpu at 00:00 100, 00:05 200, 00:10 300 (and 350 at 00:12),
    /// 00:15 400, 00:20 500, 01:00 1000.
    @Test func historyAlignsSamplesAndHoldsThroughGaps() throws {
        let read = try TraceLoader.read([Support.fixture("native-long.csv")], scheme: .hourOfDay, keepSeries: true)
        let history = DemandHistory(read, step: 300)
        #expect(history.start == 1_372_636_800)
        #expect(history.slots == 13)
        let cpu = try #require(history.series["web1"]?[.cpu])
        #expect(Array(cpu.prefix(6)) == [100, 200, 350, 400, 500, 500])  // 00:10 slot keeps its max; 00:25 holds
        #expect(cpu[12] == 1000)
        #expect(history.series["db1"]?[.cpu] == [Double](repeating: 50, count: 13))  // one sample, held
    }

    @Test func replayCountsHostIntervalsOverCapacityAndHeadroom() throws {
        let hosts = [VMHost(id: "h", cpuCores: 1, cpuMHzPerCore: 1000, memoryMB: 1024)]
        let history = DemandHistory(start: 0, step: 300, slots: 4, series: [
            "a": [.cpu: [300, 500, 700, 100]], "b": [.cpu: [300, 400, 400, 100]],
        ])
        let placement = Placement([Placement.Entry(vm: "a", host: "h"), Placement.Entry(vm: "b", host: "h")])
        let result = Replay.run(placement, hosts: hosts, history: history, headroom: try Headroom(parsing: "cpu=80"))
        // Sums 600, 900, 1100, 200 against 1000 (800 with headroom).
        #expect(result.hostIntervals == 4)
        #expect(result.overHeadroom == 2)
        #expect(result.overCapacity == 1)
        #expect(result.overloads == [
            Replay.Overload(host: "h", time: 300, resource: .cpu, demand: 900, capacity: 1000, limit: 800),
            Replay.Overload(host: "h", time: 600, resource: .cpu, demand: 1100, capacity: 1000, limit: 800),
        ])
        #expect(result.overloads.map(\.overCapacity) == [false, true])
        #expect(result.worst?.time == 600)
        #expect(result.hosts.first?.resources.first?.peak == 1100)
    }

    /// Two VMs that peak at different times share a host on their history, not on their peaks.
    @Test func historyPacksComplementaryVMsTogether() {
        let hosts = (1...2).map { VMHost(id: "h\($0)", cpuCores: 1, cpuMHzPerCore: 1000, memoryMB: 65536) }
        let vms = [VM(id: "day", vcpus: 1, memoryMB: 1024), VM(id: "night", vcpus: 1, memoryMB: 1024)]
        let history = DemandHistory(start: 0, step: 3600, slots: 4, series: [
            "day": [.cpu: [700, 700, 50, 50], .memory: [1024, 1024, 1024, 1024]],
            "night": [.cpu: [50, 50, 700, 700], .memory: [1024, 1024, 1024, 1024]],
        ])
        let headroom = try! Headroom(parsing: "cpu=80")
        let onHistory = PlacementProblem(inventory: Inventory(hosts: hosts, vms: vms), headroom: headroom, history: history)
        #expect(Planner.plan(onHistory).hostsUsed == 1)
        let onPeaks = PlacementProblem(inventory: Inventory(hosts: hosts, vms: vms), headroom: headroom, rules: PlacementRules(), buckets: 1, traced: nil) { vm, r in
            history.series[vm.id]?[r].map { [$0.max()!] }
        }
        #expect(Planner.plan(onPeaks).hostsUsed == 2)
    }

    @Test func emptyingAndBalancingKeepPlansValidAndEven() {
        // FFD fills h1 with the three large VMs; balancing spreads them over the two hosts kept.
        let problem = Support.binPacking(capacity: 100, weights: [30, 30, 30, 5, 5], bins: 3)
        let ffd = FirstFitDecreasing.solve(problem)
        let balanced = Improvement.balance(ffd, problem)
        #expect(PlanValidator.violations(of: balanced.placement(in: problem), in: problem).isEmpty)
        #expect(balanced.hostsUsed == ffd.hostsUsed)
        let loadsBefore = HostLoads.of(ffd, problem), loadsAfter = HostLoads.of(balanced, problem)
        let worst = { (l: HostLoads) in (0..<problem.hostCount).map { l.utilization($0) }.max()! }
        #expect(worst(loadsAfter) <= worst(loadsBefore))
        // A plan with a needless host loses it.
        var spread = Assignment(vmCount: 5)
        spread.hostOf = [0, 1, 2, 0, 1]
        #expect(Improvement.emptyHosts(spread, problem).hostsUsed == 1)
    }

    /// With VMs running somewhere today, balance moves only those that move anyway.
    @Test func balanceKeepsStayingVMsWhereTheyAre() {
        for seed in 1...5 as ClosedRange<UInt64> {
            let problem = Support.randomProblem(seed: seed, vms: 40, hosts: 20)
            let start = FirstFitDecreasing.solve(problem)
            var rng = SeededGenerator(seed: seed)
            let staying = start.hostOf.map { $0 >= 0 && Bool.random(using: &rng) }
            let balanced = Improvement.balance(start, problem, staying: staying)
            for v in staying.indices where staying[v] { #expect(balanced.hostOf[v] == start.hostOf[v]) }
            #expect(balanced.hostsUsed <= start.hostsUsed)
            #expect(PlanValidator.violations(of: balanced.placement(in: problem), in: problem).isEmpty)
        }
    }

    /// No single move fits (h0 is full), but a swap evens the loads (10 + 7 becomes 8 + 9). When the swap helps in the first half of the history and hurts in the
    /// second, it is not taken.
    @Test(arguments: [(true, [4.0, 4], [2.0, 2]), (false, [4.0, 1], [2.0, 3])])
    func swapsMustHelpInEachHalfOfTheHistory(expected: Bool, small: [Double], smaller: [Double]) {
        let demand = [[6.0, 6], small, [5.0, 5], smaller]
        let problem = PlacementProblem(hosts: (0..<2).map { VMHost(id: "h\($0)", cpuCores: 1, cpuMHzPerCore: 1, memoryMB: 0) },
                                       vms: (0..<4).map { VM(id: "v\($0)", vcpus: 1, memoryMB: 0) },
                                       resources: [Resource.counted("units")], headroom: Headroom(), buckets: 2,
                                       capacity: [10, 10], rawCapacity: [10, 10], demand: demand.flatMap { $0 }, mhzPerVCPU: 1, notes: [])
        var start = Assignment(vmCount: 4)
        start.hostOf = [0, 0, 1, 1]
        var state = PackingState(problem, from: start)
        Improvement.complementarySwaps(&state, items: PackingItem.items(problem, vms: Array(0..<4)), hosts: [0, 1])
        if expected {
            let loads = (0..<2).map { h in (0..<4).filter { state.assignment.hostOf[$0] == h }.reduce(0.0) { $0 + demand[$1][0] } }
            #expect(loads.sorted() == [8, 9])  // 4 <-> 2, or 6 <-> 5: the same gain
        } else {
            #expect(state.assignment.hostOf == [0, 0, 1, 1])
        }
        #expect(PlanValidator.violations(of: state.assignment.placement(in: problem), in: problem).isEmpty)
    }
}

extension HostLoads {
    static func of(_ assignment: Assignment, _ problem: PlacementProblem) -> HostLoads {
        var loads = HostLoads(problem)
        for (v, h) in assignment.hostOf.enumerated() where h >= 0 { loads.add(v, to: h) }
        return loads
    }
}
