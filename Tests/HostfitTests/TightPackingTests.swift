import GLPK
import Testing
@testable import Hostfit

@Suite("Tight packing")
struct TightPackingTests {
    /// Every pattern that wastes at most W in each dimension, against brute force over all
    /// subsets, on random instances near a perfect packing (some sizes below zero).
    @Test(arguments: [1, 2, 3]) func enumerationFindsEveryPatternWithinTheWaste(dimensions: Int) throws {
        var rng = SeededGenerator(seed: 40 + UInt64(dimensions))
        var checked = 0
        for _ in 0..<60 {
            // Hosts filled to 94-100% by 2-4 VMs each, then the VMs shuffled.
            var sizes: [[Double]] = []
            for _ in 0..<Int.random(in: 2...4, using: &rng) {
                let parts = Int.random(in: 2...4, using: &rng)
                var host = [[Double]](repeating: [], count: parts)
                for _ in 0..<dimensions {
                    var left = Double(Int.random(in: 94...100, using: &rng))
                    for k in 0..<(parts - 1) {
                        let x = Double(Int.random(in: -3...Int(left / 2), using: &rng))
                        host[k].append(x)
                        left -= x
                    }
                    host[parts - 1].append(left)
                }
                sizes += host
            }
            sizes.shuffle(using: &rng)
            let problem = Support.vectorPacking(capacity: 100, sizes: sizes)
            let model = try #require(PatternModel(problem, vms: Array(sizes.indices)))
            let demand = (0..<dimensions).map { d in sizes.reduce(0.0) { $0 + $1[d] } }
            let hosts = Int(demand.map { ($0 / 100).rounded(.up) }.max()!)
            let waste = demand.map { Double(hosts) * 100 - $0 }
            guard let result = TightPacking.run(model, below: sizes.count + 1, allowance: .work(seconds: 10), control: SearchControl()) else { continue }
            #expect(result.target == hosts)
            // Brute force over subsets of VMs, as multisets of item types.
            var expected = Set<[Int]>()
            for mask in 1..<(1 << sizes.count) {
                var load = [Double](repeating: 0, count: dimensions), counts = [Int](repeating: 0, count: model.items.count)
                for v in sizes.indices where mask & (1 << v) != 0 {
                    for d in 0..<dimensions { load[d] += sizes[v][d] }
                    counts[model.typeOf[v]] += 1
                }
                if (0..<dimensions).allSatisfy({ load[$0] <= 100 + 1e-9 && 100 - load[$0] <= waste[$0] + 1e-9 }) { expected.insert(counts) }
            }
            let found = result.patterns.map { pattern in
                var counts = [Int](repeating: 0, count: model.items.count)
                for (item, count) in pattern { counts[item] += count }
                return counts
            }
            #expect(found.count == Set(found).count, "no pattern twice")
            #expect(Set(found) == expected)
            // The instance was built as a packing into `hosts` hosts (it may have more: the volume bound can be below).
            if result.copies == nil { #expect(Double(hosts) < Double(sizes.count)) }
            if let copies = result.copies { #expect(copies.count <= hosts) }
            checked += 1
        }
        #expect(checked >= 30)
    }

    /// Sizes that sum to three hosts exactly, but only 66 + 34 fills a host: no plan of three
    /// exists, which the enumeration and the search prove, and the planner's bound is four.
    @Test func provesThatTheVolumeBoundCannotBeMet() throws {
        let problem = Support.binPacking(capacity: 100, weights: [44, 10, 70, 66, 34, 53, 23])
        let model = try #require(PatternModel(problem, vms: Array(0..<7)))
        let result = try #require(TightPacking.run(model, below: 7, allowance: .work(seconds: 10), control: SearchControl()))
        #expect(result.target == 3)
        #expect(result.patterns.count == 1)
        #expect(result.provenImpossible)
        #expect(result.copies == nil)
        let outcome = Planner.plan(problem, options: PlanOptions(timeLimit: 5))
        #expect(outcome.hostsUsed == 4)
        #expect(outcome.status == .optimal)
    }

    /// Knuth's example of an exact cover (items 0-6), then the same without the one answer's
    /// last set: the search finds the cover, then exhausts and says none exists.
    @Test func exactCoverSearchFindsOrRefutes() {
        let sets: [[Int]] = [[2, 4, 5], [0, 3, 6], [1, 2, 5], [0, 3], [1, 6], [3, 4, 6]]
        let patterns = sets.map { $0.map { (item: $0, count: 1) } }
        let search = ExactCoverSearch(patterns: patterns, waste: sets.map { _ in [0] }, demand: [Int](repeating: 1, count: 7),
                                      budget: [0], hosts: 3)
        guard case .found(let chosen) = search.run() else { Issue.record("no cover found"); return }
        #expect(Set(chosen) == [0, 3, 4])
        let without = ExactCoverSearch(patterns: Array(patterns.prefix(4)), waste: [[0], [0], [0], [0]],
                                       demand: [Int](repeating: 1, count: 7), budget: [0], hosts: 3)
        guard case .impossible = without.run() else { Issue.record("expected a refutation"); return }
        // Within a waste budget: the cover exists but its hosts waste too much.
        let wasteful = ExactCoverSearch(patterns: patterns, waste: sets.map { _ in [1] }, demand: [Int](repeating: 1, count: 7),
                                        budget: [2], hosts: 3)
        guard case .impossible = wasteful.run() else { Issue.record("expected the budget to rule it out"); return }
    }

    /// The set-partitioning ILP over single VMs: one binary column per pattern and choice of
    /// identical VMs, so that GLPK's feasibility pump (binary columns only) can round it.
    /// Three types with 2, 2 and 2 VMs; its plan, mapped back to patterns, covers each once.
    @Test func partitionILPGoesBinaryOverSingleVMs() throws {
        #expect(TightPacking.combinations(4, 2) == [[0, 1], [0, 2], [1, 2], [0, 3], [1, 3], [2, 3]])
        #expect(TightPacking.combinations(3, 0) == [[]])
        #expect(TightPacking.choose(9, 2) == 36)
        #expect(TightPacking.choose(200, 100) > TightPacking.binaryColumnLimit)
        let counts = [2, 2, 2]
        let patterns: [[(item: Int, count: Int)]] = [[(0, 1), (1, 1)], [(2, 2)], [(0, 2)], [(1, 2)], [(0, 1), (2, 1)]]
        let ilp = TightPacking.partitionILP(patterns, counts: counts, hosts: 3,
                                              single: TightPacking.singleVMColumns(patterns, counts: counts))
        // 2·2 + 1 + 1 + 1 + 2·2 choices, all binary; one row per VM and one for the hosts.
        #expect(ilp.model.columns.count == 11)
        #expect(ilp.model.columns.allSatisfy { $0.kind == .binary })
        #expect(ilp.model.rows.count == 7)
        let solution = try GLPKSolver.solve(ilp.model, MIPParameters(timeLimit: 10))
        #expect(solution.status == .optimal)
        var covered = [0, 0, 0], hosts = 0
        for (column, value) in solution.values.enumerated() where value > 0.5 {
            hosts += 1
            for (item, count) in patterns[ilp.patternOf[column]] { covered[item] += count }
        }
        #expect(covered == counts)
        #expect(hosts <= 3)
        // Too many choices (a type of 200 VMs, 100 to a host): over types, with integer columns.
        let wide = TightPacking.partitionILP([[(0, 100)]], counts: [200], hosts: 2,
                                               single: TightPacking.singleVMColumns([[(0, 100)]], counts: [200]))
        #expect(wide.model.columns.count == 1)
        #expect(wide.model.columns[0].kind == .integer)
    }
}
