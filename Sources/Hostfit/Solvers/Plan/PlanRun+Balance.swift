extension PlanRun {
    /// Fewer migrations come before balance: VMs on their current host stay there
    /// (`MigrationRepair`), and only the VMs that move anyway are balanced (`Improvement.balance`).
    func fewerMigrationsThenBalance() {
        if stopRequested { note(.stopped, "stopped on request (Ctrl-C): this is the best plan found so far") }
        guard options.improve else { return }
        var staying: [Bool]? = nil
        if problem.vms.contains(where: { $0.currentHost != nil }) {
            assignment = MigrationRepair.run(assignment, problem)
            finished(.migrations)
            let home = problem.vms.map { vm in vm.currentHost.flatMap { problem.hostIndex[$0] } ?? -1 }
            let stays = assignment.hostOf.indices.map { home[$0] >= 0 && assignment.hostOf[$0] == home[$0] }
            staying = stays
            let moving = assignment.hostOf.indices.count { assignment.hostOf[$0] >= 0 && !stays[$0] }
            note(.balance, "balanced by moving only the \(moving) VMs that move anyway (fewer migrations come before balance)")
        }
        guard !stopRequested else { return }
        // VMs that need a licence stay where the plan pays for it: balance moves the others.
        if problem.licensing.placementMatters {
            let needs = problem.licensing.needs
            staying = assignment.hostOf.indices.map { (staying?[$0] ?? false) || !needs[$0].isEmpty }
        }
        assignment = Improvement.balance(assignment, problem, allowance: budget.balance, staying: staying, swaps: options.swaps)
        finished(.balance)
    }
}
