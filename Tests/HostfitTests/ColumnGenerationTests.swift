import Testing
@testable import Hostfit

@Suite("Column generation")
struct ColumnGenerationTests {
    /// Five VMs of 40 on hosts of 100: volume and L2 say 2, but no host holds three, so the
    /// LP bound of the set-covering model is 2.5, and 3 is proven.
    @Test func lpBoundProvesWhatVolumeAndL2Cannot() {
        let problem = Support.binPacking(capacity: 100, weights: [40, 40, 40, 40, 40])
        #expect(LowerBounds.compute(problem, vms: Array(0..<5)).hosts == 2)
        let outcome = Planner.plan(problem)
        #expect(outcome.hostsUsed == 3)
        #expect(outcome.status == .optimal)
        #expect(outcome.lowerBound.method == .columnGeneration)
    }

    /// Triplets that fill hosts exactly (Falkenauer's "t" construction): first-fit decreasing
    /// pairs the large ones badly; the dive finds the exact triplets.
    @Test func diveFindsExactTriplets() {
        let triplets: [[Double]] = [[380, 320, 300], [420, 330, 250], [450, 280, 270], [400, 350, 250], [360, 340, 300], [440, 290, 270]]
        let problem = Support.binPacking(capacity: 1000, weights: triplets.flatMap { $0 })
        #expect(FirstFitDecreasing.solve(problem).hostsUsed > 6)
        let outcome = Planner.plan(problem, options: PlanOptions(timeLimit: 10))
        #expect(outcome.hostsUsed == 6)
        #expect(outcome.status == .optimal)
        #expect(PlanValidator.violations(of: outcome.assignment.placement(in: problem), in: problem).isEmpty)
    }

    /// The pricer against brute force: one dimension (the dynamic program) and two (branch and bound).
    @Test(arguments: [1, 2, 3, 10]) func pricerFindsTheBestPattern(dimensions: Int) {
        var rng = SeededGenerator(seed: UInt64(dimensions))
        for _ in 0..<200 {
            let n = Int.random(in: 1...9, using: &rng)
            let items = (0..<n).map { t in
                (type: t, size: (0..<dimensions).map { _ in Double(Int.random(in: 1...60, using: &rng)) },
                 value: Double.random(in: 0...1, using: &rng), count: Int.random(in: 1...3, using: &rng))
            }
            let capacity = [Double](repeating: 100, count: dimensions)
            let result = PatternPricer(dimensions: dimensions).price(items: items, capacity: capacity, vmLimit: .max, threshold: 0)
            Self.expectBestPattern(result, items: items, dimensions: dimensions)
        }
    }

    /// Few VMs to a host (sizes of a fifth to a half of it, some of several copies): the
    /// enumeration finds the best pattern that brute force finds, the same value as the dynamic
    /// program, and its other columns are distinct, fit and beat the threshold.
    @Test func fewItemsEnumerationIsExact() throws {
        var rng = SeededGenerator(seed: 42)
        let pricer = PatternPricer(dimensions: 1)
        for _ in 0..<300 {
            let n = Int.random(in: 1...12, using: &rng)
            let items = (0..<n).map { t in
                (type: t, size: [Double(Int.random(in: 20...55, using: &rng))],
                 value: Double.random(in: 0.01...1, using: &rng), count: Int.random(in: 1...3, using: &rng))
            }
            let threshold = Double.random(in: 0...1.5, using: &rng)
            let few = try #require(pricer.fewItems(items, capacity: 100, threshold: threshold, columns: 5, nodeLimit: 1_000_000))
            let dp = try #require(pricer.dynamicProgram(items, capacity: 100, threshold: -1))
            Self.expectBestPattern(PatternPricer.Result(patterns: few.patterns, best: few.best, upper: few.upper, exact: few.exact),
                                   items: items, dimensions: 1, threshold: threshold)
            #expect(abs(max(few.upper, threshold) - max(dp.best, threshold)) < 1e-9)
            #expect(few.patterns.count <= 5)
            let keys = few.patterns.map { $0.counts.map { "\($0.item)x\($0.count)" }.joined(separator: ",") }
            #expect(Set(keys).count == keys.count)
            for p in few.patterns {
                #expect(p.value > threshold)
                #expect(p.counts.reduce(0.0) { $0 + Double($1.count) * items[$1.item].size[0] } <= 100)
                #expect(p.counts.allSatisfy { $0.count <= items[$0.item].count })
            }
        }
        // Many small VMs to a host: not its case, the dynamic program's.
        let small = (0..<10).map { (type: $0, size: [5.0], value: 0.05, count: 4) }
        #expect(pricer.fewItems(small, capacity: 100, threshold: 0, columns: 5, nodeLimit: 1_000_000) == nil)
    }

    /// The pricer's result against brute force over every pattern, on hosts of 100 in each
    /// dimension. Loads only grow when no size is negative, so a branch stops at the first overflow.
    static func expectBestPattern(_ result: PatternPricer.Result, items: [(type: Int, size: [Double], value: Double, count: Int)],
                                  dimensions: Int, threshold: Double = 0) {
        let monotone = items.allSatisfy { $0.size.allSatisfy { $0 >= 0 } }
        var best = 0.0
        func enumerate(_ i: Int, _ load: [Double], _ value: Double) {
            if i == items.count {
                if load.allSatisfy({ $0 <= 100 }) { best = max(best, value) }
                return
            }
            for k in 0...items[i].count {
                let next = zip(load, items[i].size).map { $0 + Double(k) * $1 }
                if monotone, !next.allSatisfy({ $0 <= 100 }) { break }
                enumerate(i + 1, next, value + Double(k) * items[i].value)
            }
        }
        enumerate(0, [Double](repeating: 0, count: dimensions), 0)
        #expect(result.exact)
        // Below the threshold only an upper bound is promised.
        if best > threshold { #expect(abs(result.best - best) < 1e-9) } else { #expect(result.upper >= best - 1e-9) }
        #expect(result.patterns.isEmpty == (best <= threshold + 1e-12))
        if let top = result.patterns.last {
            let load = (0..<dimensions).map { d in top.counts.reduce(0.0) { $0 + Double($1.count) * items[$1.item].size[d] } }
            #expect(load.allSatisfy { $0 <= 100 })
            #expect(abs(top.counts.reduce(0.0) { $0 + Double($1.count) * items[$1.item].value } - top.value) < 1e-9)
        }
    }

    /// Sizes below zero give capacity back, so a load may pass the capacity on the way to a
    /// feasible pattern: brute force checks only whole patterns.
    @Test(arguments: [1, 3]) func pricerHandlesNegativeDemand(dimensions: Int) {
        var rng = SeededGenerator(seed: 77 + UInt64(dimensions))
        for _ in 0..<200 {
            let n = Int.random(in: 1...8, using: &rng)
            let items = (0..<n).map { t in
                (type: t, size: (0..<dimensions).map { _ in Double(Int.random(in: -30...70, using: &rng)) },
                 value: Double.random(in: 0...1, using: &rng), count: Int.random(in: 1...2, using: &rng))
            }
            let result = PatternPricer(dimensions: dimensions).price(items: items, capacity: [Double](repeating: 100, count: dimensions),
                                                                     vmLimit: .max, threshold: 0)
            Self.expectBestPattern(result, items: items, dimensions: dimensions)
        }
    }

    /// Triplets that fill hosts exactly in three resources, some sizes below zero (as in
    /// Caprara and Toth's vector instances): the plan reaches the volume bound and is valid.
    @Test func tripletsWithNegativeDemandReachTheBound() {
        var rng = SeededGenerator(seed: 5)
        var sizes: [[Double]] = []
        for _ in 0..<12 {
            var a: [Double] = [], b: [Double] = [], c: [Double] = []
            for _ in 0..<3 {
                let x = Double(Int.random(in: -4...60, using: &rng)), y = Double(Int.random(in: 10...50, using: &rng))
                a.append(x); b.append(y); c.append(100 - x - y)
            }
            sizes += [a, b, c]
        }
        sizes.shuffle(using: &rng)
        let n = sizes.count
        let problem = Support.vectorPacking(capacity: 100, sizes: sizes)
        #expect(sizes.contains { $0.contains { $0 < 0 } })
        #expect(PatternModel(problem, vms: Array(0..<n)) != nil)
        let outcome = Planner.plan(problem, options: PlanOptions(timeLimit: 10))
        #expect(outcome.hostsUsed == 12)
        #expect(outcome.status == .optimal)
        // They fill hosts exactly: the plan comes from the patterns that waste nothing.
        #expect(outcome.notes.contains { $0.message.hasPrefix("tight packing:") && $0.message.contains("a plan of 12 hosts") })
        #expect(throws: Never.self) { try ValidatedPlan(outcome, for: problem) }
    }

    /// Anti-affinity couples hosts: the set-covering model does not apply, the assignment ILP does.
    @Test func groupRulesKeepTheAssignmentModel() {
        var problem = Support.binPacking(capacity: 10, weights: [4, 4, 3, 3, 3, 3])
        let vms = problem.vms.enumerated().map { v, vm in
            var vm = vm
            if v == 2 || v == 3 { vm.antiAffinity = ["pair"] }
            return vm
        }
        problem = PlacementProblem(inventory: Inventory(hosts: problem.hosts, vms: vms), headroom: problem.headroom)
        #expect(PatternModel(problem, vms: Array(0..<6)) == nil)
        var options = PlanOptions(timeLimit: 10)
        options.ejectionChains = false
        let outcome = Planner.plan(problem, options: options)
        #expect(outcome.hostsUsed == 2)
        #expect(outcome.solver == "ffd-sum+ilp")
    }

    /// Random one- and two-resource instances through the whole planner: the plan is valid
    /// and the bound (now from column generation too) never exceeds it.
    @Test(arguments: 0..<16) func randomInstancesKeepTheBoundBelowThePlan(seed: Int) throws {
        var rng = SeededGenerator(seed: UInt64(seed) + 100)
        let n = Int.random(in: 8...40, using: &rng)
        let hosts = (0..<n).map { VMHost(id: "b\($0)", cpuCores: 10, cpuMHzPerCore: 10, memoryMB: 100) }
        let vms = (0..<n).map { v in
            VM(id: "v\(v)", vcpus: 1, memoryMB: Double(Int.random(in: 5...70, using: &rng)),
               measured: [.cpu: seed % 2 == 0 ? 0 : Double(Int.random(in: 5...70, using: &rng))])
        }
        let problem = PlacementProblem(inventory: Inventory(hosts: hosts, vms: vms), headroom: try Headroom(parsing: "cpu=100,memory=100"))
        let outcome = Planner.plan(problem, options: PlanOptions(timeLimit: 2))
        #expect(outcome.assignment.unplacedCount == 0)
        #expect(outcome.lowerBound.hosts <= outcome.hostsUsed, "seed \(seed)")
        #expect(PlanValidator.violations(of: outcome.assignment.placement(in: problem), in: problem).isEmpty)
    }
}
