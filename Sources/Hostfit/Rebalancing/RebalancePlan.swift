/// One live migration of a rebalance, in the order it is to run.
public struct RebalanceMove: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case fix, balance, power, drain
        /// Back to the host it left for a drain, once the window ends.
        case `return`
        /// A temporary stop on a third host so that a cycle of moves can run safely.
        case park
    }

    public var step: Int
    public var vm: String
    public var from: String
    public var to: String
    public var kind: Kind
    /// When to start it (epoch seconds, UTC): in the VM's quietest hour, after the step before.
    public var at: Int64
    public var memoryMB: Double
    public var seconds: Double
    /// Host-hours over headroom the move removes (recent traces and their forecast).
    public var benefit: Double
    public var reason: String
}

/// How much of a placement is over headroom: on the recent traces (host-intervals, as
/// `replay` counts them) and in the forecast (host-hours).
public struct OverloadTally: Sendable, Equatable {
    public var recentIntervals = 0
    public var hostIntervals = 0
    public var forecastHours = 0.0
    public var hostsOver: [String] = []

    public var recentShare: Double { hostIntervals == 0 ? 0 : Double(recentIntervals) / Double(hostIntervals) }
}

/// What `Rebalancer` proposes: the moves in a safe order, the placement after them, and
/// the overload before and after. Every step passed `PlanValidator` (nothing a step adds
/// that the step before did not have) before the plan is returned.
public struct RebalancePlan: Sendable {
    public var goal: RebalanceOptions.Goal
    public var moves: [RebalanceMove]
    /// The view it was judged on: recent slots, then the forecast buckets.
    public var problem: PlacementProblem
    public var forecast: LoadForecast
    public var before: Assignment
    public var after: Assignment
    public var overloadBefore: OverloadTally
    public var overloadAfter: OverloadTally
    /// Hosts still over headroom after the moves, and why no move helped.
    public var unresolved: [(host: String, reason: String)]
    /// `power`: hosts to switch off, each with the hours (of the forecast's shape) at which it must be on.
    public var powerOff: [(host: String, onAgainAt: [Int])] = []
    public var notes: [String]

    public var migrations: Int { moves.count { $0.kind != .park } }
    public var memoryMovedMB: Double { moves.reduce(0) { $0 + $1.memoryMB } }
    public var hostsOnBefore: Int { before.hostsUsed }
    public var hostsOnAfter: Int { after.hostsUsed }
    public var placement: Placement { after.placement(in: problem) }
}

/// A rebalance whose steps the validator refused: a bug, never written.
public struct RebalanceRejected: Error, CustomStringConvertible {
    public var step: Int
    public var violations: [Violation]
    public var description: String {
        "step \(step) of the rebalance breaks \(violations.count) rule(s): " + violations.prefix(3).map(\.description).joined(separator: "; ")
    }
}
