import Testing
@testable import Hostfit

@Suite("Large-neighbourhood search")
struct LargeNeighbourhoodSearchTests {
    /// `hosts` hosts of capacity 100 filled to `fill` in each of `buckets` time buckets by VMs
    /// whose demand over time is drawn at random: a plan on `hosts` hosts exists, and the
    /// demand of each VM rises and falls unlike its neighbours'.
    static func planted(seed: UInt64, hosts: Int, perHost: Int, buckets: Int, fill: Int = 92, pin: (vm: Int, host: Int)? = nil) -> PlacementProblem {
        var rng = SeededGenerator(seed: seed)
        var demand: [[Double]] = []
        for _ in 0..<hosts {
            var vms = [[Double]](repeating: [], count: perHost)
            for _ in 0..<buckets {
                let cuts = ([0, Double(fill)] + (1..<perHost).map { _ in Double(Int.random(in: 1..<fill, using: &rng)) }).sorted()
                for k in 0..<perHost { vms[k].append(cuts[k + 1] - cuts[k]) }
            }
            demand += vms
        }
        demand.shuffle(using: &rng)
        let pool = hosts + 3
        return PlacementProblem(hosts: (0..<pool).map { VMHost(id: "h\($0)", cpuCores: 1, cpuMHzPerCore: 1, memoryMB: 0) },
                                vms: demand.indices.map { v in
                                    pin?.vm == v ? VM(id: "v\(v)", vcpus: 1, memoryMB: 0, currentHost: "h\(pin!.host)", pinned: true)
                                                 : VM(id: "v\(v)", vcpus: 1, memoryMB: 0) },
                                resources: [Resource.counted("units")], headroom: Headroom(), buckets: buckets,
                                capacity: [Double](repeating: 100, count: pool), rawCapacity: [Double](repeating: 100, count: pool),
                                demand: demand.flatMap { $0 }, mhzPerVCPU: 1, notes: [])
    }

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func ejectionChainsTakeHostsOutOfFirstFitsPlan(seed: UInt64) {
        let problem = Self.planted(seed: seed, hosts: 8, perHost: 5, buckets: 4, fill: 90)
        var plan = FirstFitDecreasing.solve(problem, rule: .ffdSum)
        #expect(plan.placedCount == problem.vmCount)
        #expect(plan.hostsUsed > 8, "first fit leaves room for the search to find")
        let allowance = Allowance.work(seconds: 20)
        while plan.hostsUsed > 8, let fewer = EjectionSearch.dropHost(problem, start: plan, allowance: allowance, seed: seed) {
            #expect(fewer.hostsUsed == plan.hostsUsed - 1)
            #expect(fewer.placedCount == problem.vmCount)
            #expect(PlanValidator.violations(of: fewer.placement(in: problem), in: problem).isEmpty)
            plan = fewer
        }
        #expect(plan.hostsUsed == 8)
    }

    /// Through the planner: four time buckets are four dimensions to column generation, whose
    /// ejection chains (after tight packing) reach the volume bound, which proves the plan.
    @Test func thePlannerRunsTheChainsAndProvesThePlan() throws {
        let problem = Self.planted(seed: 3, hosts: 8, perHost: 5, buckets: 4, fill: 90)
        var options = PlanOptions(solver: .auto, timeLimit: 10)
        options.improve = false
        let outcome = Planner.plan(problem, options: options)
        #expect(outcome.solver.hasSuffix("+ejection"))
        #expect(outcome.notes.contains { $0.code == .ejectionChains })
        #expect(outcome.hostsUsed == 8)
        #expect(outcome.status == .optimal)
        #expect(throws: Never.self) { try ValidatedPlan(outcome, for: problem) }
        options.ejectionChains = false
        options.solver = .heuristic
        #expect(Planner.plan(problem, options: options).hostsUsed > 8)
    }

    @Test func pinnedVMsStayAndTheirHostIsNotTakenOut() {
        let free = Self.planted(seed: 2, hosts: 8, perHost: 5, buckets: 4, fill: 90)
        let plan = FirstFitDecreasing.solve(free, rule: .ffdSum)
        let pinned = free.vmCount - 1, home = plan.hostOf[pinned]
        let problem = Self.planted(seed: 2, hosts: 8, perHost: 5, buckets: 4, fill: 90, pin: (pinned, home))
        #expect(PlanValidator.violations(of: plan.placement(in: problem), in: problem).isEmpty)
        #expect(plan.hostsUsed > 8)
        var current = plan
        let allowance = Allowance.work(seconds: 10)
        while current.hostsUsed > 8, let fewer = EjectionSearch.dropHost(problem, start: current, allowance: allowance, seed: 1) {
            #expect(fewer.hostOf[pinned] == home)
            #expect(PlanValidator.violations(of: fewer.placement(in: problem), in: problem).isEmpty)
            current = fewer
        }
        #expect(current.hostsUsed == 8)
    }

    /// It stops on its work (the same plan again), or at the time cap when that comes first.
    @Test func theSearchKeepsToItsWorkAndItsCap() {
        let problem = Self.planted(seed: 5, hosts: 30, perHost: 6, buckets: 24)
        let plan = FirstFitDecreasing.solve(problem, rule: .ffdSum)
        let first = Allowance.work(seconds: 0.03)
        let a = LargeNeighbourhoodSearch.run(problem, start: plan, bound: 1, allowance: first, seed: 1)
        let again = Allowance.work(seconds: 0.03)
        let b = LargeNeighbourhoodSearch.run(problem, start: plan, bound: 1, allowance: again, seed: 1)
        #expect(a.assignment == b.assignment)
        #expect(first.meter.units >= 30_000 && !first.meter.stoppedByClock)
        #expect(first.meter.units == again.meter.units)
        var capped = Allowance.work(seconds: 1000)
        capped.cap = .now + .milliseconds(300)
        let clock = ContinuousClock(), start = clock.now
        _ = LargeNeighbourhoodSearch.run(problem, start: plan, bound: 1, allowance: capped, seed: 1)
        #expect(start.duration(to: clock.now) < .milliseconds(1300))
        #expect(capped.meter.stoppedByClock)
    }
}
