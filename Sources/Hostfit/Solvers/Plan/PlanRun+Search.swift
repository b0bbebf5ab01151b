extension PlanRun {
    /// Large-neighbourhood search (`LargeNeighbourhoodSearch`: ejection chains, then GLPK
    /// repacking a few hosts at a time) while the bound is not met.
    func largeNeighbourhoodSearch() {
        guard searching else { return }
        let allowance = budget.search(balancing: options.improve)
        guard !allowance.expired else { return }
        report(.largeNeighbourhoodSearch, hosts: assignment.hostsUsed)
        let before = assignment.hostsUsed
        let lns = LargeNeighbourhoodSearch.run(problem, start: assignment, bound: bound.hosts, allowance: allowance,
                                               seed: options.seed, control: control) { [unowned self] hosts in
            self.report(.largeNeighbourhoodSearch, hosts: hosts)
        }
        finished(.largeNeighbourhoodSearch)
        if lns.improvements > 0, lns.assignment.hostsUsed < before {
            assignment = lns.assignment
            provenance.steps.append(.lns)
            note(.largeNeighbourhoodSearch, "large-neighbourhood search: \(before) -> \(assignment.hostsUsed) hosts (\(lns.ejections) by ejection chains, \(lns.improvements - lns.ejections) of \(lns.attempts) repacks)")
            proven = assignment.hostsUsed <= bound.hosts
        } else {
            note(.largeNeighbourhoodSearch, "large-neighbourhood search: no host saved in \(lns.attempts) repacks")
        }
    }
}
