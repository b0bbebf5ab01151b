/// How a solve ended.
public enum MIPStatus: Equatable, Sendable {
    /// Proven optimal (within the relative gap asked for).
    case optimal
    /// A solution whose optimality is not proven; `gap` is relative to the best bound.
    case feasible(gap: Double)
    /// Proven to have no solution.
    case infeasible
    /// The LP relaxation is unbounded.
    case unbounded
    /// A limit (time or work) or a cancel stopped the search; `stoppedByClock` says which.
    case timeLimit(hasIncumbent: Bool)
    /// GLPK gave up for a numerical reason.
    case failed(code: Int32)
}

public struct MIPSolution: Sendable {
    public var status: MIPStatus
    /// Objective of `values`, when there is a solution.
    public var objective: Double?
    /// Best bound on the optimum that GLPK proved (a lower bound when minimizing).
    public var bound: Double?
    /// One value per column; empty without a solution.
    public var values: [Double]
    /// Whether GLPK took the incumbent it was given.
    public var incumbentAccepted: Bool
    public var seconds: Double
    /// Simplex iterations done (the work `MIPParameters.workLimit` counts).
    public var iterations = 0
    /// Branch-and-bound nodes created.
    public var nodes = 0
    /// What `MIPParameters.workLimit` counted: iterations, and each node at its weight.
    public var work = 0.0
    /// The time limit stopped the search: on another machine it may have ended elsewhere.
    public var stoppedByClock = false

    public var hasSolution: Bool { !values.isEmpty }

    /// (objective - bound) / max(|objective|, 1e-9), or nil without both.
    public var gap: Double? {
        guard let objective, let bound else { return nil }
        return max(0, abs(objective - bound) / max(abs(objective), 1e-9))
    }
}
