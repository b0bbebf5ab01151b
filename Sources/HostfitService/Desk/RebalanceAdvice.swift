import Hostfit

/// Rebalancing advice on the live state (POST /rebalance): the moves `Rebalancer` proposes,
/// in their safe order, and where the advice stands. Its life, as OpenStack Watcher's action
/// plans: RUNNING while the engine works, then RECOMMENDED; APPLIED once the operator says
/// the moves ran (POST /rebalance/{id}/apply, checked step by step); SUPERSEDED when newer
/// advice is made or applied, or a VM it moves runs elsewhere now; EXPIRED after its
/// `expires_at`; FAILED when the engine could not advise.
public struct RebalanceAdvice: Codable, Sendable {
    public enum State: String, Codable, Sendable {
        case running = "RUNNING", recommended = "RECOMMENDED", applied = "APPLIED"
        case superseded = "SUPERSEDED", expired = "EXPIRED", failed = "FAILED"
    }

    /// One step, as a row of `hostfit rebalance`'s moves.csv.
    public struct Move: Codable, Sendable, Equatable {
        public var step: Int
        public var vm: String
        public var from: String
        public var to: String
        public var kind: String
        /// When to start it (UTC, ISO 8601): in the VM's quietest hour.
        public var at: String
        public var memoryMB: Double
        public var seconds: Double
        public var benefit: Double
        public var reason: String
        enum CodingKeys: String, CodingKey { case step, vm, from, to, kind, at, seconds, benefit, reason, memoryMB = "memory_mb" }

        init(_ move: RebalanceMove) {
            step = move.step
            vm = move.vm
            from = move.from
            to = move.to
            kind = move.kind.rawValue
            at = ReplayReport.iso(move.at)
            memoryMB = move.memoryMB
            seconds = (move.seconds * 10).rounded() / 10
            benefit = (move.benefit * 1000).rounded() / 1000
            reason = move.reason
        }
    }

    public var id: String
    public var state: State
    public var goal: String
    /// `request` (POST /rebalance) or `schedule` (serve --rebalance-every).
    public var origin: String
    public var madeAt: String
    public var expiresAt: String
    /// `drain`: the window the hosts are empty for (its moves are judged on its hours only).
    public var windowStart: String?
    public var windowH: Double?
    /// Why it is SUPERSEDED, EXPIRED or FAILED.
    public var reason: String?
    public var moves: [Move]
    /// As summary.json of `hostfit rebalance`: overload before and after, hosts on, notes.
    public var summary: RebalanceSummary?
    /// Steps recorded as run (POST /rebalance/{id}/apply): all of them once APPLIED.
    public var appliedSteps: Int?
    public var appliedAt: String?

    enum CodingKeys: String, CodingKey {
        case id, state, goal, origin, reason, moves, summary
        case madeAt = "made_at", expiresAt = "expires_at", windowStart = "window_start", windowH = "window_h", appliedSteps = "applied_steps", appliedAt = "applied_at"
    }

    /// The drain window in epoch seconds, where there is one.
    var window: (start: Int64, seconds: Int64)? {
        guard let windowStart, let start = TracePeriod.time(windowStart), let windowH else { return nil }
        return (start, Int64((windowH * 3600).rounded()))
    }

    /// Its sequence number (`rebalance-12`: 12).
    var seq: Int { Int(id.dropFirst("rebalance-".count)) ?? 0 }

    /// The moves already made, as the next round's engine takes them (no VM back where it
    /// was, none moved again within the dwell time).
    var made: [PastMove] {
        moves.prefix(appliedSteps ?? 0).map { PastMove(vm: $0.vm, from: $0.from, to: $0.to, at: TracePeriod.time($0.at) ?? 0) }
    }
}
