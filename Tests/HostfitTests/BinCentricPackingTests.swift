import Testing
@testable import Hostfit

@Suite("Bin-centric packing")
struct BinCentricPackingTests {
    /// Three dimensions, sizes uniform in [20, 100] of 150 (Panigrahy's class 6 with the
    /// generator's own numbers).
    func classSix(seed: UInt64, items: Int) -> PlacementProblem {
        var rng = SeededGenerator(seed: seed)
        let sizes = (0..<items).map { _ in (0..<3).map { _ in Double(Int.random(in: 20...100, using: &rng)) } }
        return Support.vectorPacking(capacity: 150, sizes: sizes)
    }

    @Test func fillingOneHostAtATimePacksSeveralResourcesTighterThanFirstFit() {
        var firstFit = 0, binCentric = 0
        for seed: UInt64 in 1...4 {
            let problem = classSix(seed: seed, items: 150)
            let ffd = FirstFitDecreasing.solve(problem, rule: .ffdSum)
            let bc = FirstFitDecreasing.solve(problem, rule: .bcDot)
            #expect(bc.placedCount == 150 && ffd.placedCount == 150)
            #expect(PlanValidator.violations(of: bc.placement(in: problem), in: problem).isEmpty, "seed \(seed)")
            firstFit += ffd.hostsUsed
            binCentric += bc.hostsUsed
        }
        #expect(binCentric < firstFit, "bin-centric \(binCentric) hosts, first fit \(firstFit)")
    }

    @Test(arguments: [PackingRule.bcDot, .bcL2], 0..<10)
    func everyRuleOfTheEngineHolds(rule: PackingRule, seed: UInt64) {
        let problem = Support.randomProblem(seed: seed, vms: 40, hosts: 12)
        let plan = FirstFitDecreasing.solve(problem, rule: rule)
        #expect(PlanValidator.violations(of: plan.placement(in: problem), in: problem).isEmpty, "seed \(seed)")
    }

    @Test func thePlannerKeepsTheBinCentricPlanWhenItIsBetter() {
        let problem = classSix(seed: 7, items: 200)
        let best = min(FirstFitDecreasing.solve(problem, rule: .bcDot).hostsUsed, FirstFitDecreasing.solve(problem, rule: .bcL2).hostsUsed)
        let greedy = Planner.pack(problem, options: PlanOptions(solver: .heuristic, timeLimit: 5))
        #expect(greedy.hostsUsed <= best)
    }
}
