/// What the planner produced, before validation.
public struct PlanOutcome: Sendable {
    public var assignment: Assignment
    public var status: PlanStatus
    /// "ffd" or "ffd+ilp".
    public var solver: String
    public var lowerBound: LowerBound
    public var seconds: Double
    /// What the solvers want the user to know (an ILP that timed out, say).
    public var notes: [String]

    public var hostsUsed: Int { assignment.hostsUsed }

    /// (hosts used - lower bound) / hosts used; 0 when proven optimal.
    public var gap: Double {
        let used = hostsUsed
        return used == 0 ? 0 : Double(max(0, used - lowerBound.hosts)) / Double(used)
    }
}
