/// What the planner produced, before validation.
public struct PlanOutcome: Sendable {
    public var assignment: Assignment
    public var status: PlanStatus
    /// The packing rule ("ffd-sum"), with "+ilp" when GLPK ran.
    public var solver: String
    public var lowerBound: LowerBound
    public var seconds: Double
    /// What the solvers want the user to know (an ILP that timed out, say).
    public var notes: [String]
    /// Seconds spent in each phase, in order (bounds, ffd, ilp, empty-hosts, balance).
    public var phases: [(name: String, seconds: Double)] = []

    public var hostsUsed: Int { assignment.hostsUsed }

    /// (hosts used - lower bound) / hosts used; 0 when proven optimal. nil when the plan
    /// uses fewer hosts than the bound: it left VMs unplaced, and the bound is for placing them.
    public var gap: Double? {
        let used = hostsUsed
        guard used >= lowerBound.hosts else { return nil }
        return used == 0 ? 0 : Double(used - lowerBound.hosts) / Double(used)
    }
}
