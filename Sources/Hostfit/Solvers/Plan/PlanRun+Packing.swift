extension PlanRun {
    /// Lower bounds, then the greedy plan: with no rule chosen, bfd-dot and ffd-sum both run,
    /// and bc-dot and bc-l2 where they are cheap enough, and the best plan stays
    /// (`FirstFitDecreasing`, `BinCentricPacking`, `LowerBounds`).
    func boundAndPack() {
        bound = LowerBounds.compute(problem, vms: placeable)
        finished(.bounds)
        report(.packing)
        var rule = options.packing ?? .bfdDot
        assignment = FirstFitDecreasing.solve(problem, vms: placeable, rule: rule)
        if options.packing == nil {
            let other = FirstFitDecreasing.solve(problem, vms: placeable, rule: .ffdSum)
            let otherFirst = score(other), mine = score(assignment)
            // Ties: bfd-dot's edge is fitting demand over time; static demand goes to ffd-sum.
            if otherFirst < mine || (otherFirst == mine && problem.buckets == 1) { assignment = other; rule = .ffdSum }
            // Bin-centric packing is often tighter in several resources, but quadratic: it runs
            // where it costs at most a twentieth of the budget.
            let binCentric = BinCentricPacking.fitTests(vms: placeable.count, hosts: problem.hostCount)
                * (WorkMeter.fitCost(problem) + WorkMeter.scanCost(problem))
            if binCentric <= budget.work / 20 {
                for alternative in [PackingRule.bcDot, .bcL2] {
                    let plan = FirstFitDecreasing.solve(problem, vms: placeable, rule: alternative)
                    meter.spend(binCentric)
                    if score(plan) < score(assignment) {
                        assignment = plan
                        rule = alternative
                    }
                }
            }
            // VMs left over although each fits some host alone: another order may place more.
            if !allPlaced {
                for alternative in [PackingRule.ffdL2, .bfdL2] {
                    let plan = FirstFitDecreasing.solve(problem, vms: placeable, rule: alternative)
                    if plan.placedCount > assignment.placedCount { assignment = plan; rule = alternative }
                }
            }
        }
        provenance = SolverProvenance(packing: rule)
        // Licences that VMs need: size-ordered packing scatters those VMs over hosts that each pay.
        if problem.licensing.placementMatters {
            let plan = LicencePacking.solve(problem, vms: placeable)
            if score(plan) < score(assignment) {
                assignment = plan
                provenance.steps.append(.licences)
            }
        }
        finished(.packing)
        proven = byCount && allPlaced && assignment.hostsUsed <= bound.hosts
        report(.emptyHosts, hosts: assignment.hostsUsed)
    }

    /// Empties the least-loaded hosts where their VMs fit elsewhere (`Improvement.emptyHosts`).
    func emptyHosts() {
        guard options.improve, !stopRequested else { return }
        let emptied = Improvement.emptyHosts(assignment, problem, allowance: budget.emptyHosts)
        // Emptying a host can cost more than it saves where it scatters licensed VMs.
        if byCount || score(emptied) <= score(assignment) { assignment = emptied }
        if problem.licensing.placementMatters {
            let consolidated = LicenceConsolidation.run(assignment, problem, allowance: budget.emptyHosts)
            if score(consolidated) < score(assignment) {
                assignment = consolidated
                if !provenance.steps.contains(.licences) { provenance.steps.append(.licences) }
            }
        }
        finished(.emptyHosts)
        proven = byCount && allPlaced && assignment.hostsUsed <= bound.hosts
    }
}
