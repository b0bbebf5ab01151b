/// How to run a solve.
public struct MIPParameters: Sendable {
    /// Wall-clock seconds; nil for none. GLPK's own limit overshoots, so the guard also
    /// checks the clock at every callback.
    public var timeLimit: Double?
    /// Simplex iterations, the root LP's and every node's together; nil for none. Where it
    /// stops the search does not depend on the machine or its load, as a time limit's does.
    public var workLimit: Int?
    /// Iterations `workLimit` charges for each branch-and-bound node: its set-up and cut
    /// rounds cost time that no iteration count shows.
    public var nodeWeight = 0.0
    /// Stop once (incumbent - bound) / |incumbent| is at most this.
    public var relativeGap: Double
    /// GLPK's MIP presolver; turned off when an incumbent is given (it renumbers columns).
    public var presolve: Bool
    /// GLPK's feasibility pump. (Its proximity search never runs: only a clock limit ends it.)
    public var heuristics: Bool
    /// GLPK's cut generators. Off where they cost more than they prune: on set partitioning
    /// over thousands of columns they run for seconds between two clock checks.
    public var cuts: Bool
    /// A feasible solution, one value per column, handed to GLPK as its first incumbent.
    public var incumbent: [Double]?
    /// Ends the search at its next callback, keeping its best solution.
    public var stop: StopToken?
    /// Receives GLPK's log; without one GLPK prints nothing.
    public var trace: GLPKTrace?

    public init(timeLimit: Double? = nil, workLimit: Int? = nil, relativeGap: Double = 1e-6, presolve: Bool = true,
                heuristics: Bool = false, cuts: Bool = true, incumbent: [Double]? = nil,
                stop: StopToken? = nil, trace: GLPKTrace? = nil) {
        self.stop = stop
        self.trace = trace
        self.timeLimit = timeLimit
        self.workLimit = workLimit
        self.relativeGap = relativeGap
        self.presolve = presolve
        self.heuristics = heuristics
        self.cuts = cuts
        self.incumbent = incumbent
    }
}
