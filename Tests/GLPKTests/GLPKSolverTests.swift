@testable import GLPK
import Hostfit
import Foundation
import Testing

@Suite("GLPK solver")
struct GLPKSolverTests {
    /// max 5a + 4b + 3c s.t. 2a + 3b + c <= 5, 4a + b + 2c <= 11, 3a + 4b + 2c <= 8, integer:
    /// the classic textbook example, optimum 13 at (2, 0, 1).
    @Test func smallIntegerProgramReachesItsKnownOptimum() throws {
        var model = MIPModel(sense: .maximize)
        let a = model.addColumn(kind: .integer, objective: 5)
        let b = model.addColumn(kind: .integer, objective: 4)
        let c = model.addColumn(kind: .integer, objective: 3)
        model.addRow([(a, 2), (b, 3), (c, 1)], upper: 5)
        model.addRow([(a, 4), (b, 1), (c, 2)], upper: 11)
        model.addRow([(a, 3), (b, 4), (c, 2)], upper: 8)
        let solution = try GLPKSolver.solve(model)
        #expect(solution.status == .optimal)
        #expect(solution.objective == 13)
        #expect(solution.values == [2, 0, 1])
    }

    /// 0-1 knapsack whose LP optimum is fractional: the MIP optimum (weights 23 31 29 44 53
    /// 38 63 85 89 82, capacity 165, values 92 57 49 68 60 43 67 84 87 72) is 309.
    @Test func knapsackOptimumDiffersFromItsRelaxation() throws {
        let weights: [Double] = [23, 31, 29, 44, 53, 38, 63, 85, 89, 82]
        let values: [Double] = [92, 57, 49, 68, 60, 43, 67, 84, 87, 72]
        var model = MIPModel(sense: .maximize)
        let xs = values.map { model.addColumn(kind: .binary, objective: $0) }
        model.addRow(Array(zip(xs, weights)).map { ($0.0, $0.1) }, upper: 165)
        let solution = try GLPKSolver.solve(model)
        #expect(solution.status == .optimal)
        #expect(solution.objective == 309)
        #expect(solution.values == [1, 1, 1, 1, 0, 1, 0, 0, 0, 0])
    }

    @Test func infeasibleModelIsReportedAsInfeasible() throws {
        var model = MIPModel()
        let x = model.addColumn(kind: .integer, lower: 0, upper: 10, objective: 1)
        let y = model.addColumn(kind: .integer, lower: 0, upper: 10, objective: 1)
        model.addRow([(x, 2), (y, 2)], lower: 3, upper: 3)  // 2x + 2y = 3 has no integer solution
        let solution = try GLPKSolver.solve(model)
        #expect(solution.status == .infeasible)
        #expect(!solution.hasSolution)
    }

    /// GLPK asks for heuristic solutions only when the root LP is fractional, as here.
    @Test func incumbentIsAcceptedAndImprovedOn() throws {
        let weights: [Double] = [23, 31, 29, 44, 53, 38, 63, 85, 89, 82]
        let values: [Double] = [92, 57, 49, 68, 60, 43, 67, 84, 87, 72]
        var model = MIPModel(sense: .maximize)
        let xs = values.map { model.addColumn(kind: .binary, objective: $0) }
        model.addRow(Array(zip(xs, weights)).map { ($0.0, $0.1) }, upper: 165)
        let incumbent: [Double] = [1, 1, 1, 0, 0, 0, 0, 0, 0, 0]  // value 198
        let solution = try GLPKSolver.solve(model, MIPParameters(incumbent: incumbent))
        #expect(solution.incumbentAccepted)
        #expect(solution.status == .optimal)
        #expect(solution.objective == 309)
    }

    /// Binary x with a . x = floor(sum a / 2) in each row (a random in 0..<100), each row's
    /// deviation paid for by two slack columns.
    static func marketSplit(items n: Int, rows m: Int) -> MIPModel {
        var rng = SeededGenerator(seed: 7)
        var model = MIPModel()
        let xs = (0..<n).map { _ in model.addColumn(kind: .binary) }
        for _ in 0..<m {
            let a = (0..<n).map { _ in Double(rng.next() % 100) }
            let target = (a.reduce(0, +) / 2).rounded(.down)
            let plus = model.addColumn(kind: .continuous, objective: 1)
            let minus = model.addColumn(kind: .continuous, objective: 1)
            model.addRow(Array(zip(xs, a)).map { ($0.0, $0.1) } + [(plus, 1), (minus, -1)], lower: target, upper: target)
        }
        return model
    }

    /// A market-split instance (Cornuéjols & Dawande 1998): a few dense equality rows with
    /// random coefficients defeat LP-based branch and bound, so the limit must stop it.
    @Test func hardModelStopsAtTheTimeLimit() throws {
        let model = Self.marketSplit(items: 40, rows: 4)
        let solution = try GLPKSolver.solve(model, MIPParameters(timeLimit: 1))
        guard case .timeLimit = solution.status else {
            Issue.record("expected the time limit, got \(solution.status)")
            return
        }
        #expect(solution.seconds < 5, "the limit is 1 s; the guard's own clock must stop GLPK")
    }

    /// Nodes count as work at their weight: the same work limit then stops the search after
    /// fewer nodes, at the same node on every run, and never on the clock.
    @Test func nodesCountAsWorkAtTheirWeight() throws {
        let model = Self.marketSplit(items: 30, rows: 3)
        func run(weight: Double) throws -> MIPSolution {
            var parameters = MIPParameters(timeLimit: 60)
            parameters.workLimit = 20_000
            parameters.nodeWeight = weight
            return try GLPKSolver.solve(model, parameters)
        }
        let plain = try run(weight: 0), weighted = try run(weight: 20), again = try run(weight: 20)
        #expect(plain.nodes > 0 && weighted.nodes > 0)
        #expect(plain.work == Double(plain.iterations))
        #expect(weighted.work == Double(weighted.iterations) + 20 * Double(weighted.nodes))
        #expect(weighted.work >= 20_000 && !weighted.stoppedByClock)
        #expect(weighted.nodes < plain.nodes, "weighted \(weighted.nodes) nodes, plain \(plain.nodes)")
        #expect(again.nodes == weighted.nodes && again.iterations == weighted.iterations)
    }

    @Test func invalidModelIsRefusedBeforeGLPK() {
        var model = MIPModel()
        let x = model.addColumn(kind: .continuous, objective: 1)
        model.addRow([(x, 1), (x, 2)], upper: 4)  // the same column twice in one row
        #expect(throws: GLPKError.invalidModel("row 0 names column 0 twice")) { try GLPKSolver.solve(model) }

        var inverted = MIPModel()
        inverted.addColumn(kind: .integer, lower: 5, upper: 1)
        #expect(throws: GLPKError.self) { try GLPKSolver.solve(inverted) }
    }

    /// Hands GLPK a duplicate matrix entry without validation: GLPK calls its error hook,
    /// which would abort the process; the guard must turn it into an error instead.
    @Test func glpkErrorHookDoesNotKillTheProcess() throws {
        var model = MIPModel()
        let x = model.addColumn(kind: .continuous, objective: 1)
        model.addRow([(x, 1), (x, 2)], upper: 4)
        do {
            _ = try GLPKSolver.solveUnchecked(model, MIPParameters())
            Issue.record("GLPK accepted a duplicate matrix entry")
        } catch {
            guard case .rejected(let message) = error else { Issue.record("unexpected \(error)"); return }
            #expect(message.contains("duplicate"), "GLPK's own message: \(message)")
        }
        // GLPK still works on this thread after its environment was freed.
        var ok = MIPModel()
        let y = ok.addColumn(kind: .integer, lower: 0, upper: 3, objective: -1)
        ok.addRow([(y, 1)], upper: 2)
        #expect(try GLPKSolver.solve(ok).objective == -2)
    }

    @Test func incumbentOfTheWrongLengthIsRefused() {
        var model = MIPModel()
        model.addColumn(kind: .binary, objective: 1)
        #expect(throws: GLPKError.self) { try GLPKSolver.solve(model, MIPParameters(incumbent: [1, 0])) }
    }
}


@Suite("Column LP")
struct ColumnLPTests {
    /// min x1 + 2 x2 + 3 x3 with x1 + x3 >= 2, x2 + x3 >= 1: x1 = 2, x2 = 1 costs 4 (duals 1
    /// and 2); the column x3 then prices out (3 = 1 + 2), and a cheaper one takes over.
    @Test func growsBySolvingWarmAndReportsDuals() throws {
        let rows = [MIPModel.Row(lower: 2), MIPModel.Row(lower: 1)]
        try ColumnLP.with(rows: rows) { (lp: ColumnLP) throws(GLPKError) in
            try lp.addColumn(cost: 1, entries: [(0, 1)])
            try lp.addColumn(cost: 2, entries: [(1, 1)])
            var solution = try lp.solve()
            #expect(solution.status == .optimal)
            #expect(abs(solution.objective - 4) < 1e-9)
            #expect(abs(solution.duals[0] - 1) < 1e-9 && abs(solution.duals[1] - 2) < 1e-9)
            try lp.addColumn(cost: 2.5, entries: [(0, 1), (1, 1)])
            solution = try lp.solve()
            #expect(abs(solution.objective - 3.5) < 1e-9)  // x3 = 1, x1 = 1
            #expect(solution.values.count == 3)
            try lp.setRow(1, MIPModel.Row(lower: 0))
            solution = try lp.solve()
            #expect(abs(solution.objective - 2) < 1e-9)
        }
    }

    @Test func rejectsBadColumnsBeforeGLPKSeesThem() throws {
        let lp: Int = try ColumnLP.with(rows: [MIPModel.Row(lower: 1)]) { (lp: ColumnLP) throws(GLPKError) in
            for entries in [[(row: 1, value: 1.0)], [(0, 1), (0, 2)]] {
                do { try lp.addColumn(cost: 1, entries: entries); Issue.record("accepted \(entries)") } catch {}
            }
            do { try lp.addColumn(cost: .nan, entries: [(0, 1)]); Issue.record("accepted a NaN cost") } catch {}
            return lp.columnCount
        }
        #expect(lp == 0)
    }
}
