/// Which methods made a plan: the greedy packing rule, then each method that improved it,
/// in order. Its description is the `solver` of summary.json ("bfd-dot+ejection+lns").
public struct SolverProvenance: Sendable, Equatable, CustomStringConvertible {
    public enum Step: String, Sendable, CaseIterable {
        /// Ejection chains saved a host (heuristic).
        case ejection
        /// Column generation's patterns gave a better plan (GLPK's LP and MIPs over patterns).
        case patterns
        /// GLPK's branch and bound ran on the assignment model (whether or not it improved).
        case ilp
        /// Large-neighbourhood search saved a host (heuristic, with GLPK on small repacks).
        case lns
        /// Packing for licences, or moving VMs onto hosts that pay for their licence already,
        /// made the plan cheaper (heuristic; `LicencePacking`, `LicenceConsolidation`).
        case licences

        /// An exact method: GLPK searched the whole model, so an unproven plan is `feasible`.
        var isExact: Bool { self == .patterns || self == .ilp }
    }

    public var packing: PackingRule
    public var steps: [Step]

    public init(packing: PackingRule, steps: [Step] = []) {
        self.packing = packing
        self.steps = steps
    }

    /// Optimal when proven; feasible when an exact method made or searched the plan; heuristic
    /// when only heuristics did (ejection chains and large-neighbourhood search included).
    public func status(proven: Bool) -> PlanStatus {
        proven ? .optimal : steps.contains(where: \.isExact) ? .feasible : .heuristic
    }

    public var description: String { ([packing.rawValue] + steps.map(\.rawValue)).joined(separator: "+") }
}
