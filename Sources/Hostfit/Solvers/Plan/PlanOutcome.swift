/// What the planner produced, before validation.
public struct PlanOutcome: Sendable {
    public var assignment: Assignment
    public var status: PlanStatus
    /// The packing rule and each method that improved on it.
    public var provenance: SolverProvenance
    public var lowerBound: LowerBound
    public var seconds: Double
    /// What the solvers want the user to know (an ILP that timed out, say).
    public var notes: [PlanNote]
    /// Seconds spent in each phase that ran, in order.
    public var phases: [(phase: PlanPhase, seconds: Double)] = []
    /// The work it did, and whether the time limit cut it short.
    public var work = PlanWork(effort: .normal, units: 0, stoppedByClock: false)
    /// Plans that minimize cost: a lower bound on it (`CostBound`, or the cost when proven),
    /// and the gap to it, which `gap` then gives.
    public var costBound: Double?
    public var costGap: Double?

    public init(assignment: Assignment, status: PlanStatus, provenance: SolverProvenance, lowerBound: LowerBound,
                seconds: Double, notes: [PlanNote] = []) {
        self.assignment = assignment
        self.status = status
        self.provenance = provenance
        self.lowerBound = lowerBound
        self.seconds = seconds
        self.notes = notes
    }

    /// As summary.json says it: "ffd-sum+patterns".
    public var solver: String { provenance.description }

    public var hostsUsed: Int { assignment.hostsUsed }

    /// (hosts used - lower bound) / hosts used, or (cost - its bound) / cost where the plan
    /// minimizes cost; 0 when proven optimal. nil when the plan
    /// uses fewer hosts than the bound: it left VMs unplaced, and the bound is for placing them.
    public var gap: Double? {
        if let costGap { return costGap }
        let used = hostsUsed
        guard used >= lowerBound.hosts else { return nil }
        return used == 0 ? 0 : Double(used - lowerBound.hosts) / Double(used)
    }
}

/// The work a plan did against its effort.
public struct PlanWork: Sendable {
    public var effort: Effort
    /// Work units spent (about a microsecond each on the reference machine).
    public var units: Double
    /// The time limit, not the effort, ended a phase: the plan may differ on another machine
    /// or under other load.
    public var stoppedByClock: Bool
    /// Units per phase that ran, in order.
    public var phases: [(phase: PlanPhase, units: Double)] = []

    /// Reference seconds spent.
    public var seconds: Double { units / 1_000_000 }
}
