import Foundation
import GLPK

/// Plans a placement: the heuristic always first, so a valid plan exists whatever happens
/// later; lower bounds to know how good it is; then the ILP, warm-started from it, when
/// the bound is not met and the model is small enough (or asked for).
public enum Planner {
    /// Ctrl-C stops the search and keeps the best plan so far (a second Ctrl-C quits).
    public static func installInterruptHandler() { GLPKSolver.installInterruptHandler() }
    public static var interrupted: Bool { GLPKSolver.cancelRequested }

    public static func plan(_ problem: PlacementProblem, options: PlanOptions = PlanOptions()) -> PlanOutcome {
        let clock = ContinuousClock(), start = clock.now
        func elapsed() -> Double { start.duration(to: clock.now).seconds }

        var phases: [(name: String, seconds: Double)] = []
        var mark = 0.0
        // Ctrl-C (or any caller) stops every phase at its next check; the best plan so far stands.
        let stop = { Stop.requested }
        var best: Int? = nil, boundHosts = 0
        func report(_ name: String) {
            options.progress?(PlanProgress(phase: name, hosts: best, bound: boundHosts, elapsed: elapsed(), timeLimit: options.timeLimit))
        }
        func phase(_ name: String) { let now = elapsed(); phases.append((name, now - mark)); mark = now }
        let placeable = (0..<problem.vmCount).filter { v in (0..<problem.hostCount).contains { problem.fitsEmpty(v, $0) } }
        var bound = LowerBounds.compute(problem, vms: placeable)
        phase("bounds")
        boundHosts = bound.hosts
        report("packing")
        var rule = options.packing ?? .bfdDot
        var assignment = FirstFitDecreasing.solve(problem, vms: placeable, rule: rule)
        if options.packing == nil {
            let other = FirstFitDecreasing.solve(problem, vms: placeable, rule: .ffdSum)
            let otherFirst = (-other.placedCount, problem.objective == .cost ? cost(other, problem) : Double(other.hostsUsed))
            let mine = (-assignment.placedCount, problem.objective == .cost ? cost(assignment, problem) : Double(assignment.hostsUsed))
            // Ties: bfd-dot's edge is fitting demand over time; static demand goes to ffd-sum.
            if otherFirst < mine || (otherFirst == mine && problem.buckets == 1) { assignment = other; rule = .ffdSum }
        }
        phase("ffd")
        best = assignment.hostsUsed
        report("emptying hosts")
        if options.improve, !stop() {
            // Emptying hosts may take until a third of the time limit.
            let until = max(elapsed(), options.timeLimit / 3)
            assignment = Improvement.emptyHosts(assignment, problem, deadline: start + .milliseconds(Int(until * 1000)))
            phase("empty-hosts")
        }
        var solver = rule.rawValue
        var notes: [String] = []
        // Ejection chains inside column generation, three short rounds within 10% of the limit:
        // quick to save hosts where room is spread thinly, and a better plan for the LP to start
        // from (after tight packing, which needs the time where the bound is nearly met). The
        // large-neighbourhood search, after the exact methods, runs them with longer rounds.
        var ejectedHosts: Int? = nil
        func ejectionChains(_ plan: Assignment) -> Assignment {
            report("ejection chains")
            let until = min(clock.now + .milliseconds(Int(options.timeLimit * 100)), start + .milliseconds(Int(options.timeLimit * 970)))
            var plan = plan, round: UInt64 = 0
            while plan.hostsUsed > bound.hosts, !stop(),
                  let fewer = EjectionSearch.dropHost(problem, start: plan, deadline: until, seed: options.seed &+ round, rounds: 3, shouldStop: stop) {
                plan = fewer
                round += 1
                best = plan.hostsUsed
                report("ejection chains")
            }
            if plan.hostsUsed < assignment.hostsUsed {
                notes.append("ejection chains: \(assignment.hostsUsed) -> \(plan.hostsUsed) hosts")
                solver += "+ejection"
                ejectedHosts = plan.hostsUsed
            }
            return plan
        }
        let chains = options.ejectionChains && options.solver != .heuristic && problem.objective == .hosts && problem.settings.reserve == 0
        // Bounds count hosts: they prove a plan optimal only when hosts are what it minimizes.
        let byCount = problem.objective == .hosts
        var proven = byCount && assignment.placedCount == placeable.count && assignment.hostsUsed <= bound.hosts
        best = assignment.hostsUsed
        report("column generation")
        if !proven, byCount, options.solver != .heuristic, assignment.placedCount == placeable.count, !stop() {
            // Most of what is left: the LP bound, and plans from its patterns (for static demand
            // this is the strongest method here; the search after it gets the rest).
            let until = elapsed() + max(0, options.timeLimit - elapsed()) * 0.85
            if let cg = ColumnGeneration.run(problem, vms: placeable, incumbent: assignment,
                                             deadline: start + .milliseconds(Int(until * 1000)), polish: chains ? ejectionChains : nil,
                                             shouldStop: stop) {
                phase("column-generation")
                let lp = cg.bound.map { String(format: "%.2f", $0) + (cg.lpOptimal ? " (LP optimum)" : " (LP not converged)") } ?? "none"
                notes.append("column generation: \(cg.rounds) pricing rounds, \(cg.columns) patterns, \(cg.dives) dives, bound \(lp)")
                notes += cg.notes
                if let hosts = cg.boundHosts, hosts > bound.hosts {
                    bound = LowerBound(hosts: hosts, method: "column-generation", resource: nil)
                }
                if let better = cg.assignment, better.hostsUsed < assignment.hostsUsed {
                    assignment = better
                    // Better than the ejection chains' plan (when they ran inside): from the patterns.
                    if better.hostsUsed < ejectedHosts ?? Int.max { solver += "+patterns" }
                }
                proven = assignment.hostsUsed <= bound.hosts
                best = assignment.hostsUsed
                boundHosts = bound.hosts
            }
        }

        let runILP: Bool
        switch options.solver {
        case .heuristic: runILP = false
        case .ilp: runILP = !proven
        case .auto:
            // Variables, and matrix entries: each x[v,h] sits in a capacity row per resource and bucket.
            let columns = estimatedColumns(problem, placeable, assignment)
            runILP = !proven && columns <= options.autoILPLimit && columns * problem.resourceCount * problem.buckets <= Self.autoEntryLimit
        }
        if runILP, !stop() {
            report("ilp")
            let left = options.timeLimit - elapsed()
            if left > 0.05 {
                let result = improve(problem, placeable, assignment, timeLimit: left)
                phase("ilp")
                solver += "+ilp"
                notes += result.notes
                let better = byCount ? result.assignment.hostsUsed < assignment.hostsUsed
                    : cost(result.assignment, problem) < cost(assignment, problem) - 1e-9
                if result.assignment.placedCount > assignment.placedCount || (result.assignment.placedCount == assignment.placedCount && better) {
                    assignment = result.assignment
                }
                if byCount, let hosts = result.boundHosts, hosts > bound.hosts, assignment.placedCount == placeable.count {
                    bound = LowerBound(hosts: hosts, method: "ilp", resource: nil)
                }
                proven = result.proven || (byCount && assignment.placedCount == placeable.count && assignment.hostsUsed <= bound.hosts)
            } else {
                notes.append("no time left for the ILP within --time-limit \(options.timeLimit) s")
            }
        } else if options.solver == .auto && !proven {
            let columns = estimatedColumns(problem, placeable, assignment)
            notes.append("ILP skipped: the model would have about \(columns) variables and \(columns * problem.resourceCount * problem.buckets) matrix entries (auto stops at \(options.autoILPLimit) and \(Self.autoEntryLimit); --solver ilp forces it)")
        }
        if !proven, byCount, options.solver != .heuristic, assignment.placedCount == placeable.count, !stop() {
            // Half the limit when balancing follows (spread load is what keeps held-out demand
            // within headroom, and it needs the time), else nearly all of it.
            let until = options.timeLimit * (options.improve ? 0.5 : 0.97)
            if until - elapsed() > 0.1 {
                best = assignment.hostsUsed
                boundHosts = bound.hosts
                report("large-neighbourhood search")
                let before = assignment.hostsUsed
                let lns = LargeNeighbourhoodSearch.run(problem, start: assignment, bound: bound.hosts, deadline: start + .milliseconds(Int(until * 1000)),
                                                       seed: options.seed, shouldStop: stop) { hosts in
                    best = hosts
                    report("large-neighbourhood search")
                }
                phase("lns")
                if lns.improvements > 0, lns.assignment.hostsUsed < before {
                    assignment = lns.assignment
                    solver += "+lns"
                    notes.append("large-neighbourhood search: \(before) -> \(assignment.hostsUsed) hosts (\(lns.ejections) by ejection chains, \(lns.improvements - lns.ejections) of \(lns.attempts) repacks)")
                    proven = assignment.hostsUsed <= bound.hosts
                } else {
                    notes.append("large-neighbourhood search: no host saved in \(lns.attempts) repacks")
                }
            }
        }
        if stop() { notes.append("stopped on request (Ctrl-C): this is the best plan found so far") }
        if options.improve {
            // Fewer migrations come before balance: VMs on their current host stay there, and
            // only the VMs that move anyway are balanced.
            var staying: [Bool]? = nil
            if problem.vms.contains(where: { $0.currentHost != nil }) {
                assignment = MigrationRepair.run(assignment, problem)
                phase("migrations")
                let home = problem.vms.map { vm in vm.currentHost.flatMap { problem.hostIndex[$0] } ?? -1 }
                let stays = assignment.hostOf.indices.map { home[$0] >= 0 && assignment.hostOf[$0] == home[$0] }
                staying = stays
                let moving = assignment.hostOf.indices.count { assignment.hostOf[$0] >= 0 && !stays[$0] }
                notes.append("balanced by moving only the \(moving) VMs that move anyway (fewer migrations come before balance)")
            }
            if !stop() {
                // Balance gets what is left of the time limit, within it.
                let left = max(0.2, options.timeLimit * 0.95 - elapsed())
                assignment = Improvement.balance(assignment, problem, deadline: ContinuousClock.now + .milliseconds(Int(left * 1000)),
                                                 staying: staying, swaps: options.swaps)
                phase("balance")
            }
        }
        if proven, byCount, assignment.placedCount == placeable.count, bound.hosts < assignment.hostsUsed {
            bound = LowerBound(hosts: assignment.hostsUsed, method: "ilp", resource: nil)  // the ILP proved it
        }
        let status: PlanStatus = proven ? .optimal : (solver != rule.rawValue ? .feasible : .heuristic)
        var outcome = PlanOutcome(assignment: assignment, status: status, solver: solver, lowerBound: bound, seconds: elapsed(), notes: notes)
        outcome.phases = phases
        return outcome
    }

    static func cost(_ assignment: Assignment, _ problem: PlacementProblem) -> Double {
        Set(assignment.hostOf.filter { $0 >= 0 }).reduce(0) { $0 + problem.cost($1) }
    }

    /// x variables of the assignment model: VMs times candidate hosts, halved by symmetry breaking.
    /// `auto` hands GLPK the whole model only below this many matrix entries (time buckets make
    /// models of few variables but millions of entries, whose LP alone takes the time limit).
    static let autoEntryLimit = 2_000_000

    static func estimatedColumns(_ problem: PlacementProblem, _ vms: [Int], _ incumbent: Assignment) -> Int {
        let hosts = min(problem.hostCount, max(incumbent.hostsUsed, 1) * 2)
        return vms.count * hosts
    }

    struct ILPResult {
        var assignment: Assignment
        var proven: Bool
        var boundHosts: Int?
        var notes: [String]
    }

    static func improve(_ problem: PlacementProblem, _ vms: [Int], _ incumbent: Assignment, timeLimit: Double) -> ILPResult {
        let began = ContinuousClock.now
        let allPlaced = incumbent.placedCount == vms.count
        let perClass = allPlaced ? incumbent.hostsUsed : problem.hostCount
        let model = AssignmentModel(problem: problem, vms: FirstFitDecreasing.vmOrder(problem, vms: vms), hostsPerClass: perClass)
        guard let start = model.columnValues(for: incumbent) else {
            return ILPResult(assignment: incumbent, proven: false, boundHosts: nil, notes: ["ILP skipped: the heuristic plan did not fit its model"])
        }
        let objective = zip(model.model.columns, start).reduce(0.0) { $0 + $1.0.objective * $1.1 }
        // Counting hosts, the optimum is an integer: within 1 of the bound is a proof. Costs are not.
        let gap = problem.objective == .hosts ? 0.999 / max(objective, 1) : 1e-6
        // The limit counts from here: building the model took some of it. GLPK's set-up before
        // its first callback (conflict graph, cover rows) is not bounded: keep 5% for it.
        let left = timeLimit - began.duration(to: .now).seconds
        guard left > 0.05 else {
            return ILPResult(assignment: incumbent, proven: false, boundHosts: nil, notes: ["ILP not run: building its model took the time left"])
        }
        // Cut set-up is not bounded either: past a few thousand columns it overran a limit of
        // 1-2 s by up to 1.6 s (Panigrahy class 4, 250 VMs, 10 resources), so it needs time.
        let cuts = model.model.columns.count <= 2_000 || left >= 5
        let parameters = MIPParameters(timeLimit: left * 0.95, relativeGap: gap, presolve: false, heuristics: true, cuts: cuts, incumbent: start)
        do {
            let solution = try GLPKSolver.solve(model.model, parameters)
            var result = ILPResult(assignment: incumbent, proven: false, boundHosts: nil, notes: [])
            if solution.hasSolution { result.assignment = model.assignment(from: solution.values, base: incumbent) }
            // The objective counts hosts (plus unplaced VMs at a price above any host count):
            // its bound is a bound on hosts only when every VM is placed.
            if problem.objective == .hosts, let b = solution.bound, b.isFinite, abs(b) < 1e12, result.assignment.placedCount == vms.count {
                result.boundHosts = Int(LowerBounds.ceilTolerant(b))
            }
            switch solution.status {
            case .optimal: result.proven = true
            case .timeLimit: result.notes.append("ILP stopped at the time limit after \(String(format: "%.1f", solution.seconds)) s")
            case .failed(let code):
                let why = [1: "invalid basis", 2: "singular matrix", 3: "ill-conditioned matrix", 4: "invalid bounds", 5: "numerical failure"][Int(code)] ?? "code \(code)"
                result.notes.append("ILP gave up (GLPK: \(why)); the heuristic plan stands")
            case .infeasible, .unbounded, .feasible: result.notes.append("ILP ended \(solution.status)")
            }
            return result
        } catch {
            return ILPResult(assignment: incumbent, proven: false, boundHosts: nil, notes: ["ILP not run: \(error)"])
        }
    }
}
