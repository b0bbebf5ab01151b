import CGLPK
import CGLPKGuard
import Foundation
import Synchronization

/// Solves a `MIPModel` with GLPK's branch and cut (`glp_intopt`).
///
/// Each solve creates, solves and deletes its `glp_prob` in one synchronous call on the
/// calling thread (Debian's GLPK keeps its state per thread), and solves are serialized
/// process-wide behind one lock. Invalid calls never reach `abort()`: the model is
/// validated first, and GLPK's error hook is caught in C (`CGLPKGuard`) as a last resort.
public enum GLPKSolver {
    private static let lock = Mutex(())

    public static func solve(_ model: MIPModel, _ parameters: MIPParameters = MIPParameters()) throws(GLPKError) -> MIPSolution {
        try model.validate()
        return try solveUnchecked(model, parameters)
    }

    /// Skips `validate()`; exists so tests can prove that the error hook holds.
    static func solveUnchecked(_ model: MIPModel, _ parameters: MIPParameters) throws(GLPKError) -> MIPSolution {
        let n = model.columns.count, m = model.rows.count, ne = model.entryCount
        if let incumbent = parameters.incumbent {
            guard incumbent.count == n else { throw .invalidIncumbent("\(incumbent.count) values for \(n) columns") }
            guard incumbent.allSatisfy(\.isFinite) else { throw .invalidIncumbent("a value is not finite") }
        }

        var objective = [0.0], colKind = [Int32(0)], colType = [Int32(0)], colLower = [0.0], colUpper = [0.0]
        objective.reserveCapacity(n + 1)
        for column in model.columns {
            objective.append(column.objective)
            switch column.kind {
            case .continuous: colKind.append(Int32(GLP_CV))
            case .integer: colKind.append(Int32(GLP_IV))
            case .binary: colKind.append(Int32(GLP_BV))
            }
            let (type, lower, upper) = boundsType(column.lower, column.upper)
            colType.append(type); colLower.append(lower); colUpper.append(upper)
        }
        var rowType = [Int32(0)], rowLower = [0.0], rowUpper = [0.0]
        for row in model.rows {
            let (type, lower, upper) = boundsType(row.lower, row.upper)
            rowType.append(type); rowLower.append(lower); rowUpper.append(upper)
        }
        let ia = [Int32(0)] + model.entryRow.map { Int32($0 + 1) }
        let ja = [Int32(0)] + model.entryColumn.map { Int32($0 + 1) }
        let ar = [0.0] + model.entryValue
        let incumbent = parameters.incumbent.map { [0.0] + $0 }
        var x = [Double](repeating: 0, count: n + 1)
        var result = hf_result()

        let start = DispatchTime.now().uptimeNanoseconds
        let code: Int32 = lock.withLock { _ in
            objective.withUnsafeBufferPointer { obj in
            colKind.withUnsafeBufferPointer { ck in
            colType.withUnsafeBufferPointer { ct in
            colLower.withUnsafeBufferPointer { cl in
            colUpper.withUnsafeBufferPointer { cu in
            rowType.withUnsafeBufferPointer { rt in
            rowLower.withUnsafeBufferPointer { rl in
            rowUpper.withUnsafeBufferPointer { ru in
            ia.withUnsafeBufferPointer { iap in
            ja.withUnsafeBufferPointer { jap in
            ar.withUnsafeBufferPointer { arp in
            x.withUnsafeMutableBufferPointer { xp in
                var cModel = hf_model(
                    rows: Int32(m), cols: Int32(n), minimize: model.sense == .minimize ? 1 : 0,
                    objective: obj.baseAddress, col_kind: ck.baseAddress, col_type: ct.baseAddress,
                    col_lower: cl.baseAddress, col_upper: cu.baseAddress,
                    row_type: rt.baseAddress, row_lower: rl.baseAddress, row_upper: ru.baseAddress,
                    entries: Int32(ne), ia: iap.baseAddress, ja: jap.baseAddress, ar: arp.baseAddress)
                result.x = xp.baseAddress
                return withIncumbent(incumbent) { inc in
                    withExtendedLifetime(parameters.stop) {
                        (try? TraceBox.with(parameters.trace) { trace, context in
                            var cParams = hf_params(
                                time_limit: parameters.timeLimit ?? 0, work_limit: parameters.workLimit ?? 0, node_weight: parameters.nodeWeight,
                                mip_gap: parameters.relativeGap,
                                presolve: parameters.presolve ? 1 : 0, heuristics: parameters.heuristics ? 1 : 0,
                                cuts: parameters.cuts ? 1 : 0, incumbent: inc, stop: parameters.stop?.unsafeFlag,
                                trace: trace, trace_context: context)
                            return hf_solve_mip(&cModel, &cParams, &result)
                        }) ?? -1
                    }
                }
            }}}}}}}}}}}}
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let message = withUnsafeBytes(of: result.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        if code != 0 {
            throw .rejected(message.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return interpret(result, values: Array(x.dropFirst()), model: model, seconds: seconds, nodeWeight: parameters.nodeWeight)
    }

    private static func withIncumbent<R>(_ incumbent: [Double]?, _ body: (UnsafePointer<Double>?) -> R) -> R {
        guard let incumbent else { return body(nil) }
        return incumbent.withUnsafeBufferPointer { body($0.baseAddress) }
    }

    private static func boundsType(_ lower: Double?, _ upper: Double?) -> (Int32, Double, Double) {
        let lo = lower.flatMap { $0 == -.infinity ? nil : $0 }
        let up = upper.flatMap { $0 == .infinity ? nil : $0 }
        switch (lo, up) {
        case (nil, nil): return (Int32(GLP_FR), 0, 0)
        case (let l?, nil): return (Int32(GLP_LO), l, 0)
        case (nil, let u?): return (Int32(GLP_UP), 0, u)
        case (let l?, let u?): return (l == u ? Int32(GLP_FX) : Int32(GLP_DB), l, u)
        }
    }

    private static func interpret(_ r: hf_result, values: [Double], model: MIPModel, seconds: Double, nodeWeight: Double) -> MIPSolution {
        let hasSolution = r.mip_status == GLP_OPT || r.mip_status == GLP_FEAS
        var solution = MIPSolution(
            status: .failed(code: r.ret), objective: hasSolution ? r.objective : nil,
            bound: r.has_bound != 0 ? r.bound : nil, values: hasSolution ? values : [],
            incumbentAccepted: r.incumbent_accepted != 0, seconds: seconds)
        solution.iterations = r.iterations
        solution.nodes = r.nodes
        solution.work = Double(r.iterations) + Double(r.nodes) * nodeWeight
        solution.stoppedByClock = r.stopped_by_clock != 0

        if r.mip_status == GLP_OPT {
            solution.status = .optimal
            solution.bound = r.objective
        } else if r.lp_status == GLP_NOFEAS || r.mip_status == GLP_NOFEAS || r.ret == GLP_ENOPFS {
            solution.status = .infeasible
            solution.bound = nil
        } else if r.lp_status == GLP_UNBND || r.ret == GLP_ENODFS {
            solution.status = .unbounded
        } else if r.stopped != 0 || r.ret == GLP_ETMLIM || r.ret == GLP_ESTOP {
            solution.status = .timeLimit(hasIncumbent: hasSolution)
        } else if hasSolution {
            solution.status = .feasible(gap: solution.gap ?? .infinity)
        }
        // A bound can only be as good as the incumbent; GLPK's node bound may lag behind it.
        if let objective = solution.objective, let bound = solution.bound {
            solution.bound = model.sense == .minimize ? min(bound, objective) : max(bound, objective)
        }
        return solution
    }
}
