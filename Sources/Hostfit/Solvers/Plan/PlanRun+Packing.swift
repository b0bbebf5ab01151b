extension PlanRun {
    /// Lower bounds, then the greedy plan: with no rule chosen, bfd-dot and ffd-sum both run
    /// and the better plan stays (`FirstFitDecreasing`, `LowerBounds`).
    func boundAndPack() {
        bound = LowerBounds.compute(problem, vms: placeable)
        finished(.bounds)
        report(.packing)
        var rule = options.packing ?? .bfdDot
        assignment = FirstFitDecreasing.solve(problem, vms: placeable, rule: rule)
        if options.packing == nil {
            let other = FirstFitDecreasing.solve(problem, vms: placeable, rule: .ffdSum)
            let otherFirst = (-other.placedCount, byCount ? Double(other.hostsUsed) : cost(other))
            let mine = (-assignment.placedCount, byCount ? Double(assignment.hostsUsed) : cost(assignment))
            // Ties: bfd-dot's edge is fitting demand over time; static demand goes to ffd-sum.
            if otherFirst < mine || (otherFirst == mine && problem.buckets == 1) { assignment = other; rule = .ffdSum }
            // VMs left over although each fits some host alone: another order may place more.
            if !allPlaced {
                for alternative in PackingRule.allCases where alternative != .bfdDot && alternative != .ffdSum {
                    let plan = FirstFitDecreasing.solve(problem, vms: placeable, rule: alternative)
                    if plan.placedCount > assignment.placedCount { assignment = plan; rule = alternative }
                }
            }
        }
        provenance = SolverProvenance(packing: rule)
        finished(.packing)
        proven = byCount && allPlaced && assignment.hostsUsed <= bound.hosts
        report(.emptyHosts, hosts: assignment.hostsUsed)
    }

    /// Empties the least-loaded hosts where their VMs fit elsewhere (`Improvement.emptyHosts`).
    func emptyHosts() {
        guard options.improve, !stopRequested else { return }
        assignment = Improvement.emptyHosts(assignment, problem, allowance: budget.emptyHosts)
        finished(.emptyHosts)
        proven = byCount && allPlaced && assignment.hostsUsed <= bound.hosts
    }
}
