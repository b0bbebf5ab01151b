import CGLPK
import CGLPKGuard
import Foundation

/// A minimizing linear program that grows by columns, for column generation: the master
/// problem keeps its basis between solves, so each new pricing round warm-starts.
///
/// Use it only inside `ColumnLP.with`: GLPK keeps its state per thread, so the problem is
/// created, grown, solved and freed in one synchronous block on the calling thread.
/// Every call is checked in Swift first, and runs under the same error-hook guard as
/// `GLPKSolver`.
public final class ColumnLP {
    public struct Solution: Sendable {
        public enum Status: Sendable, Equatable { case optimal, infeasible, unbounded, undefined }
        public var status: Status
        public var objective: Double
        /// One dual value per row.
        public var duals: [Double]
        /// One value per column, in the order they were added.
        public var values: [Double]
        /// Simplex iterations this solve did.
        public var iterations = 0
    }

    private let lp: OpaquePointer
    public let rowCount: Int
    public private(set) var columnCount = 0

    private init(_ lp: OpaquePointer, rows: Int) {
        self.lp = lp
        self.rowCount = rows
    }

    /// Rows are `lower <= a x <= upper` (nil: unbounded on that side).
    /// `trace` receives GLPK's simplex log; without it GLPK prints nothing.
    public static func with<R>(rows: [MIPModel.Row], trace: GLPKTrace? = nil, _ body: (ColumnLP) throws(GLPKError) -> R) throws(GLPKError) -> R {
        var type = [Int32(0)], lower = [0.0], upper = [0.0]
        for (i, row) in rows.enumerated() {
            let (t, l, u) = try bounds(row, i)
            type.append(t); lower.append(l); upper.append(u)
        }
        var message = [CChar](repeating: 0, count: 1024)
        guard let raw = hf_lp_new(Int32(rows.count), type, lower, upper, &message) else {
            throw .rejected(String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        let lp = ColumnLP(raw, rows: rows.count)
        defer { hf_lp_free(raw) }
        return try TraceBox.with(trace) { (fn, context) throws(GLPKError) -> R in
            hf_lp_set_trace(raw, fn, context)
            defer { hf_lp_set_trace(raw, nil, nil) }
            return try body(lp)
        }
    }

    private static func bounds(_ row: MIPModel.Row, _ i: Int) throws(GLPKError) -> (Int32, Double, Double) {
        if let l = row.lower, l.isNaN || l == .infinity { throw .invalidModel("row \(i): lower bound \(l) is invalid") }
        if let u = row.upper, u.isNaN || u == -.infinity { throw .invalidModel("row \(i): upper bound \(u) is invalid") }
        let lo = row.lower.flatMap { $0 == -.infinity ? nil : $0 }, up = row.upper.flatMap { $0 == .infinity ? nil : $0 }
        if let lo, let up, lo > up { throw .invalidModel("row \(i): lower bound \(lo) exceeds upper bound \(up)") }
        switch (lo, up) {
        case (nil, nil): return (Int32(GLP_FR), 0, 0)
        case (let l?, nil): return (Int32(GLP_LO), l, 0)
        case (nil, let u?): return (Int32(GLP_UP), 0, u)
        case (let l?, let u?): return (Int32(l == u ? GLP_FX : GLP_DB), l, u)
        }
    }

    /// Changes a row's bounds; the basis stays, so the next solve warm-starts.
    public func setRow(_ i: Int, _ row: MIPModel.Row) throws(GLPKError) {
        guard i >= 0, i < rowCount else { throw .invalidModel("row \(i) out of range 0..<\(rowCount)") }
        let (t, l, u) = try Self.bounds(row, i)
        guard hf_lp_set_row(lp, Int32(i + 1), t, l, u) == 0 else { throw .rejected(lastMessage) }
    }

    /// Adds a column with lower bound 0 and the given upper bound; returns its index.
    @discardableResult
    public func addColumn(cost: Double, upper: Double? = nil, entries: [(row: Int, value: Double)]) throws(GLPKError) -> Int {
        guard cost.isFinite else { throw .invalidModel("column \(columnCount): cost \(cost) is not finite") }
        if let upper, !(upper >= 0 && upper.isFinite) { throw .invalidModel("column \(columnCount): upper bound \(upper) is invalid") }
        var rows = [Int32(0)], values = [0.0]
        var seen = Set<Int>()
        for entry in entries where entry.value != 0 {
            guard entry.row >= 0, entry.row < rowCount else { throw .invalidModel("column \(columnCount): row \(entry.row) out of range 0..<\(rowCount)") }
            guard entry.value.isFinite else { throw .invalidModel("column \(columnCount): coefficient \(entry.value) is not finite") }
            guard seen.insert(entry.row).inserted else { throw .invalidModel("column \(columnCount) names row \(entry.row) twice") }
            rows.append(Int32(entry.row + 1)); values.append(entry.value)
        }
        let j = hf_lp_add_column(lp, cost, upper ?? -1, Int32(rows.count - 1), rows, values)
        guard j > 0 else { throw .rejected(lastMessage) }
        columnCount += 1
        return Int(j) - 1
    }

    /// Solves from the last basis; `timeLimit` in seconds, `iterationLimit` in simplex
    /// iterations (nil: none). `Solution.iterations` says how many it did.
    public func solve(timeLimit: Double? = nil, iterationLimit: Int? = nil) throws(GLPKError) -> Solution {
        var status = Int32(0), objective = 0.0, iterations = Int32(0)
        var duals = [Double](repeating: 0, count: rowCount + 1)
        var values = [Double](repeating: 0, count: columnCount + 1)
        let code = hf_lp_solve(lp, timeLimit ?? 0, Int32(clamping: iterationLimit ?? 0), &iterations, &status, &objective, &duals, &values)
        guard code >= 0 else { throw .rejected(lastMessage) }
        let kind: Solution.Status = switch status {
        case Int32(GLP_OPT): .optimal
        case Int32(GLP_NOFEAS): .infeasible
        case Int32(GLP_UNBND): .unbounded
        default: .undefined
        }
        return Solution(status: code == 0 ? kind : .undefined, objective: objective, duals: Array(duals.dropFirst()), values: Array(values.dropFirst()),
                        iterations: Int(iterations))
    }

    private var lastMessage: String {
        String(cString: hf_lp_message(lp)).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
