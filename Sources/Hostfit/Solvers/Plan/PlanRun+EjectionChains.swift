extension PlanRun {
    /// Whether ejection chains polish the plan inside column generation.
    var ejectionChainsApply: Bool {
        options.ejectionChains && options.solver != .heuristic && byCount && problem.settings.reserve == 0
    }

    /// Three short rounds of ejection chains (`EjectionSearch`) within a tenth of the limit:
    /// quick to save hosts where room is spread thinly, and a better plan for the LP to start
    /// from. Column generation calls it after tight packing, which needs the time where the
    /// bound is nearly met; the large-neighbourhood search later runs longer rounds.
    func ejectionChains(_ start: Assignment) -> Assignment {
        report(.ejectionChains)
        let allowance = budget.ejectionChains
        var plan = start, round: UInt64 = 0
        while plan.hostsUsed > bound.hosts, !stopRequested,
              let fewer = EjectionSearch.dropHost(problem, start: plan, allowance: allowance, seed: options.seed &+ round, rounds: 3) {
            plan = fewer
            round += 1
            report(.ejectionChains, hosts: plan.hostsUsed)
        }
        if plan.hostsUsed < assignment.hostsUsed {
            note(.ejectionChains, "ejection chains: \(assignment.hostsUsed) -> \(plan.hostsUsed) hosts")
            provenance.steps.append(.ejection)
            ejectedHosts = plan.hostsUsed
        }
        return plan
    }
}
