import GLPK

extension PlanRun {
    /// x variables of the assignment model: VMs times candidate hosts, halved by symmetry breaking.
    /// `auto` hands GLPK the whole model only below this many matrix entries (time buckets make
    /// models of few variables but millions of entries, whose LP alone takes the time limit).
    static let autoEntryLimit = 2_000_000

    var estimatedColumns: Int {
        placeable.count * min(problem.hostCount, max(assignment.hostsUsed, 1) * 2)
    }

    /// GLPK's branch and bound on the assignment model (`AssignmentModel`), warm-started from
    /// the plan so far: always with `--solver ilp`, with `auto` when the model is small.
    func assignmentILP() {
        let columns = estimatedColumns, entries = columns * problem.resourceCount * problem.buckets
        let run: Bool
        switch options.solver {
        case .heuristic: run = false
        case .ilp: run = !proven
        case .auto: run = !proven && columns <= options.autoILPLimit && entries <= Self.autoEntryLimit
        }
        guard run else {
            if options.solver == .auto && !proven {
                note(.ilpSkipped, "ILP skipped: the model would have about \(columns) variables and \(entries) matrix entries (auto stops at \(options.autoILPLimit) and \(Self.autoEntryLimit); --solver ilp forces it)")
            }
            return
        }
        guard !stopRequested else { return }
        report(.ilp)
        // What is left of 90% of the budget: balancing keeps its share.
        let allowance = budget.until(0.9)
        guard !allowance.expired else {
            note(.ilpSkipped, "no budget left for the ILP (effort \(options.resolvedEffort), time limit \(Resource.number(options.timeLimit)) s)")
            return
        }
        let result = Planner.improve(problem, placeable, assignment, allowance: allowance, control: control)
        finished(.ilp)
        provenance.steps.append(.ilp)
        for message in result.notes { note(.ilp, message) }
        let better = byCount ? result.assignment.hostsUsed < assignment.hostsUsed : cost(result.assignment) < cost(assignment) - 1e-9
        if result.assignment.placedCount > assignment.placedCount || (result.assignment.placedCount == assignment.placedCount && better) {
            assignment = result.assignment
        }
        if byCount, let hosts = result.boundHosts, hosts > bound.hosts, allPlaced {
            bound = LowerBound(hosts: hosts, method: .ilp)
        }
        proven = result.proven || (byCount && allPlaced && assignment.hostsUsed <= bound.hosts)
    }
}

extension Planner {
    struct ILPResult {
        var assignment: Assignment
        var proven: Bool
        var boundHosts: Int?
        var notes: [String]
    }

    /// GLPK on the assignment model of `vms`, from `incumbent`, within `allowance` (the whole
    /// plan's ILP phase, and the repacks of the large-neighbourhood search).
    static func improve(_ problem: PlacementProblem, _ vms: [Int], _ incumbent: Assignment, allowance: Allowance,
                        control: SearchControl = SearchControl()) -> ILPResult {
        let allPlaced = incumbent.placedCount == vms.count
        let perClass = allPlaced ? incumbent.hostsUsed : problem.hostCount
        let model = AssignmentModel(problem: problem, vms: FirstFitDecreasing.vmOrder(problem, vms: vms), hostsPerClass: perClass)
        guard let start = model.columnValues(for: incumbent) else {
            return ILPResult(assignment: incumbent, proven: false, boundHosts: nil, notes: ["ILP skipped: the heuristic plan did not fit its model"])
        }
        let objective = zip(model.model.columns, start).reduce(0.0) { $0 + $1.0.objective * $1.1 }
        // Counting hosts, the optimum is an integer: within 1 of the bound is a proof. Costs are not.
        let gap = problem.objective == .hosts ? 0.999 / max(objective, 1) : 1e-6
        // Building the model is work too: a pass over its entries.
        let rows = model.model.rows.count, entries = model.model.entryCount
        allowance.spend(Double(entries) / 20)
        guard !allowance.expired else {
            return ILPResult(assignment: incumbent, proven: false, boundHosts: nil, notes: ["ILP not run: building its model took the budget left"])
        }
        // Cut set-up is not bounded by a callback: past a few thousand columns it overran a
        // limit of 1-2 s by up to 1.6 s (Panigrahy class 4, 250 VMs, 10 resources), so it
        // needs the budget for it (decided on work, so the same everywhere).
        let cuts = model.model.columns.count <= 2_000 || allowance.workLeft >= 5_000_000
        let parameters = allowance.glpk(MIPParameters(relativeGap: gap, presolve: false, heuristics: true, cuts: cuts, incumbent: start),
                                        control: control, rows: rows, entries: entries)
        do {
            let solution = try GLPKSolver.solve(model.model, parameters)
            allowance.spend(solution, rows: rows, entries: entries)
            var result = ILPResult(assignment: incumbent, proven: false, boundHosts: nil, notes: [])
            if solution.hasSolution { result.assignment = model.assignment(from: solution.values, base: incumbent) }
            // The objective counts hosts (plus unplaced VMs at a price above any host count):
            // its bound is a bound on hosts only when every VM is placed.
            if problem.objective == .hosts, let b = solution.bound, b.isFinite, abs(b) < 1e12, result.assignment.placedCount == vms.count {
                result.boundHosts = Int(LowerBounds.ceilTolerant(b))
            }
            switch solution.status {
            case .optimal: result.proven = true
            case .timeLimit: result.notes.append(solution.stoppedByClock ? "ILP stopped at the time limit after \(String(format: "%.1f", solution.seconds)) s"
                                                                         : "ILP stopped at its share of the effort (\(solution.iterations) simplex iterations)")
            case .failed(let code):
                let why = [1: "invalid basis", 2: "singular matrix", 3: "ill-conditioned matrix", 4: "invalid bounds", 5: "numerical failure"][Int(code)] ?? "code \(code)"
                result.notes.append("ILP gave up (GLPK: \(why)); the heuristic plan stands")
            case .infeasible, .unbounded, .feasible: result.notes.append("ILP ended \(solution.status)")
            }
            return result
        } catch {
            return ILPResult(assignment: incumbent, proven: false, boundHosts: nil, notes: ["ILP not run: \(error.userMessage); the plan so far stands"])
        }
    }
}
