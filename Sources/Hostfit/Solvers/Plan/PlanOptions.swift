/// Which solver plans.
public enum SolverChoice: String, Sendable, CaseIterable {
    /// The heuristic, then the ILP when the problem is small enough and the bound is not met.
    case auto
    /// The heuristic as incumbent, then the ILP whatever the size (within the time limit).
    case ilp
    /// The heuristic only.
    case heuristic
}

/// How much search a plan may do, in reference seconds: work units of about a second each on
/// the project's machine (`WorkMeter`), counted, not timed, so the same effort gives the same
/// plan on any machine. A plan that meets its lower bound stops sooner.
public struct Effort: Sendable, Equatable, CustomStringConvertible {
    public var seconds: Double

    public init(seconds: Double) { self.seconds = seconds }

    public static let quick = Effort(seconds: 2)
    public static let normal = Effort(seconds: 10)
    public static let thorough = Effort(seconds: 40)
    public static let presets: [(name: String, effort: Effort)] = [("quick", .quick), ("normal", .normal), ("thorough", .thorough)]

    /// "quick", "normal", "thorough" or a positive number of reference seconds.
    public init?(_ text: String) {
        if let preset = Self.presets.first(where: { $0.name == text.lowercased() }) { self = preset.effort; return }
        guard let seconds = Double(text), seconds.isFinite, seconds > 0, seconds <= 86_400 else { return nil }
        self.seconds = seconds
    }

    /// Its preset's name, else the number.
    public var description: String {
        Self.presets.first { $0.effort == self }?.name ?? String(format: "%g", seconds)
    }

    /// Work units (`WorkMeter`).
    var units: Double { seconds * 1_000_000 }

    /// Without an effort given: normal, or 80% of the time limit when that is less (a short
    /// limit asks for a quick plan; on a slower or busier machine than the reference the
    /// limit may then end the search first, and the plan says so).
    public static func standard(timeLimit: Double) -> Effort { Effort(seconds: min(normal.seconds, timeLimit * 0.8)) }

    /// Without a time limit given: 60 s, or four times the effort when that is more, so that
    /// a machine several times slower than the reference, or one busy with other work, still
    /// ends on the work and plans the same.
    public static func standardTimeLimit(for effort: Effort?) -> Double { max(60, 4 * (effort?.seconds ?? 0)) }
}

public struct PlanOptions: Sendable {
    public var solver: SolverChoice
    /// Wall-clock seconds for the whole solve: a safety cap. When it, not the effort, ends a
    /// phase, the plan says so (another machine may plan differently).
    public var timeLimit: Double
    /// Work for the whole solve; nil: `Effort.standard(timeLimit:)`.
    public var effort: Effort?
    /// For randomized steps; the same seed gives the same plan.
    public var seed: UInt64
    /// `auto` hands the ILP models of at most this many assignment variables.
    public var autoILPLimit: Int
    /// After packing: empty the least-loaded hosts, then spread load evenly over the hosts kept.
    public var improve: Bool
    /// How the greedy packer orders VMs and picks hosts; nil runs ffd-sum and bfd-dot, and
    /// bc-dot and bc-l2 where they cost at most a twentieth of the work budget, and keeps
    /// the best plan (ties: bfd-dot with time buckets, ffd-sum with static demand, where the
    /// dot product degenerates to worst fit); when VMs are left over, ffd-l2 and bfd-l2 too,
    /// keeping the plan that places most.
    public var packing: PackingRule?
    /// When balancing keeps a swap of two VMs between hosts.
    public var swaps: SwapAcceptance = .eachHalf
    /// Ejection chains before the exact methods (`auto` and `ilp`); off to test or measure those alone.
    public var ejectionChains = true
    /// Called as the search goes: each phase, and each better plan (for a progress line).
    public var progress: (@Sendable (PlanProgress) -> Void)?
    /// This plan's stop: `stop.requestStop()` from any thread ends every phase at its next
    /// check (GLPK's included) with the best plan so far. Each `PlanOptions()` has its own.
    public var stop = StopToken()
    /// Receives GLPK's own log of this plan's solves (nothing is printed without it).
    public var glpkTrace: GLPKTrace?

    public init(solver: SolverChoice = .auto, timeLimit: Double = 60, effort: Effort? = nil, seed: UInt64 = 1,
                autoILPLimit: Int = 20_000, improve: Bool = true) {
        self.solver = solver
        self.timeLimit = timeLimit
        self.effort = effort
        self.seed = seed
        self.autoILPLimit = autoILPLimit
        self.improve = improve
    }

    var control: SearchControl { SearchControl(stop: stop, glpkTrace: glpkTrace) }

    /// The effort this plan spends.
    public var resolvedEffort: Effort { effort ?? .standard(timeLimit: timeLimit) }
}

/// When balancing keeps a swap: it must lower the squared load in each half of the history
/// (the default), over the whole history, or swaps are off. The last two are for comparison
/// (`make bench` prints all three): a swap that pays off in one half only fits a coincidence.
public enum SwapAcceptance: String, Sendable, CaseIterable {
    case eachHalf = "each half"
    case wholeHistory = "whole history"
    case none
}

/// How sure a plan's host count is.
public enum PlanStatus: String, Sendable {
    /// Proven: a lower bound equals the hosts used.
    case optimal
    /// An exact method (GLPK on the assignment model, or column generation's patterns) made
    /// or searched the plan and did not close the gap.
    case feasible
    /// Heuristics only (greedy packing, ejection chains, large-neighbourhood search); `gap`
    /// against the lower bound says how far it may be from optimal.
    case heuristic
}

/// Where a running plan stands.
public struct PlanProgress: Sendable {
    public var phase: PlanPhase
    /// Hosts in the best plan so far (nil before the first plan).
    public var hosts: Int?
    public var bound: Int
    public var elapsed: Double
    public var timeLimit: Double
    /// Share of the work budget spent, 0 to 1.
    public var work: Double = 0

    public var gap: Double? { hosts.map { $0 == 0 ? 0 : Double(max(0, $0 - bound)) / Double($0) } }
}
