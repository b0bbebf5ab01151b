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

    /// (hosts used - lower bound) / hosts used; 0 when proven optimal. nil when the plan
    /// uses fewer hosts than the bound: it left VMs unplaced, and the bound is for placing them.
    public var gap: Double? {
        let used = hostsUsed
        guard used >= lowerBound.hosts else { return nil }
        return used == 0 ? 0 : Double(used - lowerBound.hosts) / Double(used)
    }
}
