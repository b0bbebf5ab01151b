/// One move of a rebalance in its order, by position in the problem.
struct OrderedStep {
    var vm: Int
    var from: Int
    var to: Int
    /// A temporary stop that breaks a cycle of moves.
    var parking: Bool
}

/// Walks the steps of a rebalance from where the VMs run, and has `PlanValidator` judge the
/// placement after each: a step may add or worsen no violation of the step before (or, on
/// the way back from a drain, of the placement it started from).
struct StepJudge {
    let problem: PlacementProblem
    private(set) var current: Assignment
    let start: Set<Violation>
    private var before: Set<Violation>

    init(_ problem: PlacementProblem, from hostOf: [Int]) {
        self.problem = problem
        current = Assignment(hostOf: hostOf)
        start = Set(PlanValidator.violations(of: current.placement(in: problem), in: problem))
        before = start
    }

    mutating func move(_ v: Int, to h: Int, step: Int, againstStart: Bool = false) throws(RebalanceRejected) {
        current.hostOf[v] = h
        let now = PlanValidator.violations(of: current.placement(in: problem), in: problem)
        let added = now.added(since: againstStart ? start : before)
        guard added.isEmpty else { throw RebalanceRejected(step: step, violations: added) }
        before = Set(now)
    }
}

extension Rebalancer {
    /// The chosen moves in an order safe at every step: `MigrationOrder`'s (parking where a
    /// cycle needs it; lower `priority` first where several are safe), else the order they
    /// were chosen in, which is safe by construction (each target fitted when chosen).
    func safeOrder(after: Assignment, priority: [Double]? = nil) -> [OrderedStep] {
        let migration = MigrationOrder(problem, plan: after, priority: priority)
        guard migration.unsafe.isEmpty else { return chosen.map { OrderedStep(vm: $0.vm, from: $0.from, to: $0.to, parking: false) } }
        return migration.steps.map { step in
            OrderedStep(vm: problem.vm(named: step.vm)!, from: problem.host(named: step.from)!, to: problem.host(named: step.to)!, parking: step.parking)
        }
    }
}
