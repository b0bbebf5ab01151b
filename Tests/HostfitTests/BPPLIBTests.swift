import Foundation
import Testing
@testable import Hostfit

/// The first five Scholl_1 instances (N1C1W1_A to _E: 50 items, capacity 100) as hosts and
/// VMs: plan must use exactly the optimum of Bounds.txt and prove it. FFD alone misses _C;
/// the volume bound alone cannot prove _B or _D. BPPLIB is test-only (CC BY-NC-ND), read
/// from ../shared; without it these tests are skipped.
@Suite("BPPLIB Scholl_1", .enabled(if: Support.hasSharedData, "skipped: ../shared/data (BPPLIB) is not beside this clone"))
struct BPPLIBTests {
    static let optimum = ["A": 25, "B": 31, "C": 20, "D": 28, "E": 26]

    @Test(arguments: ["A", "B", "C", "D", "E"])
    func planReachesAndProvesTheOptimum(_ letter: String) throws {
        let path = Support.sharedData + "/binpacking/bpplib/2_Scholl/Scholl/Scholl_1/N1C1W1_\(letter).txt"
        let numbers = try String(contentsOfFile: path, encoding: .utf8).split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
        let count = Int(numbers[0]), capacity = numbers[1]
        let problem = Support.binPacking(capacity: capacity, weights: Array(numbers[2..<(2 + count)]))
        let outcome = Planner.plan(problem, options: PlanOptions(timeLimit: 60))
        #expect(outcome.assignment.unplacedCount == 0)
        #expect(outcome.hostsUsed == Self.optimum[letter])
        #expect(outcome.status == .optimal)
        #expect(throws: Never.self) { try ValidatedPlan(outcome, for: problem) }
    }
}
