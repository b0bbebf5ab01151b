extension PlanRun {
    /// Column generation (`ColumnGeneration`, static demand and host counts only): the LP
    /// bound and plans from its patterns, with most of the time left.
    func columnGeneration() {
        report(.columnGeneration, hosts: assignment.hostsUsed)
        guard searching else { return }
        guard let cg = ColumnGeneration.run(problem, vms: placeable, incumbent: assignment, allowance: budget.columnGeneration,
                                            polish: ejectionChainsApply ? { [unowned self] in self.ejectionChains($0) } : nil,
                                            control: control) else { return }
        finished(.columnGeneration)
        let lp = cg.bound.map { String(format: "%.2f", $0) + (cg.lpOptimal ? " (LP optimum)" : " (LP not converged)") } ?? "none"
        note(.columnGeneration, "column generation: \(cg.rounds) pricing rounds, \(cg.columns) patterns, \(cg.dives) dives, bound \(lp)")
        for message in cg.notes { note(.columnGeneration, message) }
        if let hosts = cg.boundHosts, hosts > bound.hosts {
            bound = LowerBound(hosts: hosts, method: .columnGeneration)
        }
        if let better = cg.assignment, better.hostsUsed < assignment.hostsUsed {
            assignment = better
            // Better than the ejection chains' plan (when they ran inside): from the patterns.
            if better.hostsUsed < ejectedHosts ?? Int.max { provenance.steps.append(.patterns) }
        }
        proven = assignment.hostsUsed <= bound.hosts
        report(.columnGeneration, hosts: assignment.hostsUsed)
    }
}
