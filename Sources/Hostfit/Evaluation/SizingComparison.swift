/// What the time-aware plan saves: the same VMs planned on static sizes, each at its peak
/// (sum of peaks, what a spreadsheet does) and at its p95 (what most planners do), with
/// the same solver and rules. Each plan passes the validator against its own sizing.
public struct SizingComparison: Sendable {
    public struct Row: Sendable, Equatable {
        /// "time-aware", "sum of p95" or "sum of peaks".
        public var sizing: String
        public var hosts: Int
        public var cost: Double?
        public var unplaced: Int
        public var status: String
    }

    public var rows: [Row]
    /// Seconds each static plan was given.
    public var timeLimit: Double

    /// nil for static demand: there is nothing to compare against.
    public static func compare(_ plan: ValidatedPlan, options: PlanOptions, timeLimit: Double = 3) -> SizingComparison? {
        let problem = plan.problem
        guard problem.buckets > 1 else { return nil }
        var options = options
        options.timeLimit = min(options.timeLimit, timeLimit)
        // A point of comparison, not the plan: a tenth of its limit in work.
        options.effort = Effort(seconds: min(options.resolvedEffort.seconds, options.timeLimit / 10))
        options.progress = nil
        func row(_ name: String, _ p: ValidatedPlan) -> Row {
            Row(sizing: name, hosts: p.hostsUsed, cost: p.cost, unplaced: p.outcome.assignment.unplacedCount, status: p.outcome.status.rawValue)
        }
        var rows = [row("time-aware", plan)]
        for (name, percentile) in [("sum of p95", 95.0 as Double?), ("sum of peaks", nil)] {
            let staticProblem = problem.collapsed(percentile: percentile)
            // The planner's plans are valid by construction; the validator says so or the row is left out.
            guard let staticPlan = try? ValidatedPlan(Planner.plan(staticProblem, options: options), for: staticProblem) else { continue }
            rows.append(row(name, staticPlan))
        }
        return SizingComparison(rows: rows, timeLimit: options.timeLimit)
    }
}
