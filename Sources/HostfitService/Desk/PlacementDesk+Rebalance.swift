import Hostfit

/// Rebalancing on the live state: what the engine is given, and the operator's word that
/// the moves ran, checked step by step before it is committed.
extension PlacementDesk {
    /// The live state for `RebalanceJobs`, taken at once: the engine runs on it off the desk.
    func liveHistory() -> LiveHistory {
        LiveHistory(inventory: state.read { Inventory(hosts: $0.hostList, vms: $0.vmList) }, demand: demand, live: live,
                    headroom: headroom, rules: rules)
    }

    /// What makes `moves` stale: the first VM that no longer runs on the host its first move
    /// takes it from (or a host gone); nil when they still start from the state as it is.
    nonisolated func firstMoved(_ moves: [RebalanceAdvice.Move]) -> String? {
        state.read { c in
            var seen = Set<String>()
            for move in moves {
                if c.hosts[move.to] == nil { return "host '\(move.to)' is gone" }
                guard seen.insert(move.vm).inserted else { continue }
                guard let vm = c.vms[move.vm] else { return "vm '\(move.vm)' is gone" }
                if vm.currentHost != move.from {
                    return "vm '\(move.vm)' runs on " + (vm.currentHost.map { "'\($0)'" } ?? "no host") + " now, not '\(move.from)'"
                }
            }
            return nil
        }
    }

    /// Records that `moves` ran, in order: each from where its VM runs now, and the placement
    /// after it judged by the validator against the one before (a step may add or worsen no
    /// violation), in every hour of the profiles, or of a drain's `window` only. All of them,
    /// with `advice` as it now stands, in one commit; or nothing.
    func apply(_ moves: [RebalanceAdvice.Move], recording advice: RebalanceAdvice, window: (start: Int64, seconds: Int64)?) throws(DeskError) {
        var problem = problem()
        if let window, problem.buckets == 168 || problem.buckets == 24 {
            let scheme: BucketScheme = problem.buckets == 168 ? .hourOfWeek : .hourOfDay
            problem = problem.selecting(scheme.buckets(covering: window.start, seconds: window.seconds))
        }
        var hostOf = problem.vms.map { $0.currentHost }
        func placement() -> Placement {
            Placement(problem.vms.indices.compactMap { v in hostOf[v].map { Placement.Entry(vm: problem.vms[v].id, host: $0) } })
        }
        var before = Set(PlanValidator.violations(of: placement(), in: problem))
        for move in moves {
            let step = "step \(move.step) (\(move.vm) from '\(move.from)' to '\(move.to)')"
            guard let v = problem.vm(named: move.vm) else { throw .conflict("\(step): vm '\(move.vm)' is gone: nothing was applied", vm: move.vm) }
            guard hostOf[v] == move.from else {
                throw .conflict("\(step): vm '\(move.vm)' runs on " + (hostOf[v].map { "'\($0)'" } ?? "no host") + ": nothing was applied", vm: move.vm)
            }
            guard problem.host(named: move.to) != nil else { throw .conflict("\(step): host '\(move.to)' is gone: nothing was applied", vm: move.vm) }
            hostOf[v] = move.to
            let after = PlanValidator.violations(of: placement(), in: problem)
            if let broken = after.added(since: before).first {
                throw .conflict("\(step) breaks a rule on the load as it is now: \(broken.message); nothing was applied", rule: broken.rule, vm: move.vm)
            }
            before = Set(after)
        }
        let moved = Dictionary(moves.map { ($0.vm, problem.vm(named: $0.vm)!) }, uniquingKeysWith: { a, _ in a })
        var change = ServiceStore.Change()
        change.placements = moved.sorted { $0.key < $1.key }.map { ($0.key, hostOf[$0.value]) }
        do { change.advice = (advice.id, advice.seq, try ServiceStore.json(advice)) } catch { throw .storeFailed("\(error)") }
        try commit(change, .reshaped) { c in
            for (id, v) in moved { c.setHost(of: id, hostOf[v]) }
        }
    }
}
