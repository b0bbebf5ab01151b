/// The state of one `Planner.plan` call, which its phases (one file each, `PlanRun+*.swift`)
/// read and improve: the best plan so far, the best bound, what made the plan and what to
/// tell the user.
final class PlanRun {
    let problem: PlacementProblem
    let options: PlanOptions
    let budget: PlanBudget
    let control: SearchControl
    let meter = WorkMeter()
    /// VMs that fit at least one empty host: the others stay unplaced, with their reason.
    let placeable: [Int]

    var assignment = Assignment(hostOf: [])
    var bound = LowerBound(hosts: 0, method: .volume)
    var proven = false
    var provenance = SolverProvenance(packing: .bfdDot)
    var notes: [PlanNote] = []
    /// Hosts of the plan the ejection chains left, when they ran inside column generation.
    var ejectedHosts: Int?

    private var phases: [(phase: PlanPhase, seconds: Double, work: Double)] = []
    private var phaseStart = 0.0, phaseWork = 0.0
    /// Hosts in the best plan so far, for the progress line.
    private var best: Int?

    init(_ problem: PlacementProblem, _ options: PlanOptions) {
        self.problem = problem
        self.options = options
        self.budget = PlanBudget(limit: options.timeLimit, work: options.resolvedEffort.units, meter: meter, stop: options.stop)
        self.control = options.control
        self.placeable = (0..<problem.vmCount).filter { v in (0..<problem.hostCount).contains { problem.fitsEmpty(v, $0) } }
    }

    /// Bounds count hosts: they prove a plan optimal only when hosts are what it minimizes.
    var byCount: Bool { problem.objective == .hosts }
    var allPlaced: Bool { assignment.placedCount == placeable.count }
    var stopRequested: Bool { control.stopRequested }
    /// Whether the search phases (column generation, ILP, LNS) have anything to do.
    var searching: Bool { !proven && byCount && options.solver != .heuristic && allPlaced && !stopRequested }

    /// Tells the progress line where the search stands.
    func report(_ phase: PlanPhase, hosts: Int? = nil) {
        if let hosts { best = hosts }
        var progress = PlanProgress(phase: phase, hosts: best, bound: bound.hosts, elapsed: budget.elapsed, timeLimit: options.timeLimit)
        progress.work = min(1, meter.units / max(1, budget.work))
        options.progress?(progress)
    }

    /// Closes the timing of a phase that ran.
    func finished(_ phase: PlanPhase) {
        let now = budget.elapsed
        phases.append((phase, now - phaseStart, meter.units - phaseWork))
        phaseStart = now
        phaseWork = meter.units
    }

    func note(_ code: PlanNote.Code, _ message: String) { notes.append(PlanNote(code, message)) }

    /// Cost of a plan: its hosts and licences (the objective with a catalog or licences).
    func cost(_ plan: Assignment) -> Double { problem.planCost(plan) }

    /// How plans compare: more VMs placed first, then the objective, then fewer hosts (what
    /// a cost leaves tied, as with owned hosts without a cost).
    func score(_ plan: Assignment) -> (Int, Double, Int) {
        (-plan.placedCount, byCount ? Double(plan.hostsUsed) : cost(plan), plan.hostsUsed)
    }

    func outcome() -> PlanOutcome {
        if proven, byCount, allPlaced, bound.hosts < assignment.hostsUsed {
            bound = LowerBound(hosts: assignment.hostsUsed, method: .ilp)  // the ILP proved it
        }
        var outcome = PlanOutcome(assignment: assignment, status: provenance.status(proven: proven), provenance: provenance,
                                  lowerBound: bound, seconds: budget.elapsed, notes: notes)
        if !byCount, allPlaced {
            let cost = cost(assignment), bound = proven ? cost : min(cost, CostBound.compute(problem, vms: placeable))
            outcome.costBound = bound
            outcome.costGap = cost > 0 ? (cost - bound) / cost : 0
        }
        outcome.phases = phases.map { ($0.phase, $0.seconds) }
        outcome.work = PlanWork(effort: options.resolvedEffort, units: meter.units, stoppedByClock: meter.stoppedByClock,
                                phases: phases.map { ($0.phase, $0.work) })
        return outcome
    }
}
