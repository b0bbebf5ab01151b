extension Rebalancer {
    /// `drain`: empty `options.drain` for `options.window`, judged on the forecast of the
    /// window's hours only (both halves' envelopes for each hour it covers), then bring every
    /// VM back. The evacuation runs in a safe order ending when the window starts; the
    /// return moves, the same steps reversed, start when it ends. A VM with no place for the
    /// window (or pinned) stays, said in `unresolved`. The plan's `after` is the placement
    /// during the window.
    func drainPlan() throws -> RebalancePlan {
        guard !options.drain.isEmpty else { throw PlanningInputError("--goal drain needs --hosts-to-drain: the hosts to empty") }
        guard let window = options.window, window.seconds > 0 else {
            throw PlanningInputError("--goal drain needs --window START/DURATION: when the hosts must be empty (2013-07-23T20:00:00Z/8h)")
        }
        // Every name is a host: `plan` checked them before learning the forecast.
        let drained = Set(options.drain.compactMap { problem.host(named: $0) })
        guard forecast.forecastBuckets > 0 else {
            throw PlanningInputError("--goal drain judges hosts on the forecast of its window: give at least two days of traces (one per half)")
        }
        let scheme: BucketScheme = forecast.shape == .hourOfWeek ? .hourOfWeek : .hourOfDay
        let keys = scheme.buckets(covering: window.start, seconds: window.seconds)
        let F = forecast.forecastBuckets
        let buckets = (0..<2).flatMap { half in keys.map { forecast.slots + half * F + $0 } }
        var inner = Rebalancer(view: problem.selecting(buckets), forecast: forecast, options: options)
        var unresolved: [(host: String, reason: String)] = []
        for h in drained.sorted() {
            let vms = (0..<problem.vmCount).filter { inner.hostOf[$0] == h }.sorted { a, b in
                problem.vms[a].memoryMB != problem.vms[b].memoryMB ? problem.vms[a].memoryMB > problem.vms[b].memoryMB : a < b
            }
            for v in vms {
                guard !problem.vms[v].pinned else { unresolved.append((problem.hosts[h].id, "VM \(problem.vms[v].id) is pinned to it")); continue }
                guard inner.chosen.count < options.maxMoves else { unresolved.append((problem.hosts[h].id, "--max-moves \(options.maxMoves) reached")); break }
                // Maintenance comes first: a host the VM left in an earlier round takes it
                // for the window where no other can (it comes back after).
                guard let target = inner.targets(for: v, from: h).first(where: { !drained.contains($0) })
                    ?? inner.targets(for: v, from: h, revisiting: true).first(where: { !drained.contains($0) }) else {
                    unresolved.append((problem.hosts[h].id, "no other host has room for VM \(problem.vms[v].id) in every forecast hour of the window"))
                    continue
                }
                inner.move(v, to: target, kind: .drain, benefit: 0, reason: "empties \(problem.hosts[h].id) for the window; \(problem.hosts[target].id) holds it within headroom in every forecast hour of the window")
            }
        }
        let during = Assignment(hostOf: inner.hostOf)
        let forward = inner.safeOrder(after: during)
        // Out, each step adding nothing; back, the same states in reverse, none worse than the start.
        var judge = StepJudge(inner.problem, from: initial)
        var moves: [RebalanceMove] = []
        let reasons = Dictionary(inner.chosen.map { ($0.vm, $0.reason) }, uniquingKeysWith: { _, b in b })
        func seconds(_ v: Int) -> Double { options.cost.seconds(memoryMB: problem.vms[v].memoryMB) }
        var clock = window.start - forward.reduce(Int64(0)) { $0 + Int64(seconds($1.vm).rounded(.up)) }
        for step in forward {
            try judge.move(step.vm, to: step.to, step: moves.count + 1)
            moves.append(RebalanceMove(step: moves.count + 1, vm: problem.vms[step.vm].id, from: problem.hosts[step.from].id, to: problem.hosts[step.to].id,
                                       kind: step.parking ? .park : .drain, at: clock, memoryMB: problem.vms[step.vm].memoryMB, seconds: seconds(step.vm),
                                       benefit: 0, reason: step.parking ? Self.parkingReason : reasons[step.vm] ?? ""))
            clock += Int64(seconds(step.vm).rounded(.up))
        }
        clock = window.start + window.seconds
        for step in forward.reversed() {
            try judge.move(step.vm, to: step.from, step: moves.count + 1, againstStart: true)
            moves.append(RebalanceMove(step: moves.count + 1, vm: problem.vms[step.vm].id, from: problem.hosts[step.to].id, to: problem.hosts[step.from].id,
                                       kind: step.parking ? .park : .return, at: clock, memoryMB: problem.vms[step.vm].memoryMB, seconds: seconds(step.vm),
                                       benefit: 0, reason: "back after the window"))
            clock += Int64(seconds(step.vm).rounded(.up))
        }
        var notes = self.notes
        notes.append("drained for \(Self.duration(window.seconds)) from \(ReplayReport.iso(window.start)), judged on the forecast of the \(keys.count) \(scheme.rawValue) hours the window covers; placements.csv is the placement during the window")
        return RebalancePlan(goal: .drain, moves: moves, problem: problem, forecast: forecast, before: Assignment(hostOf: initial), after: during,
                             overloadBefore: tally(initial), overloadAfter: tally(during.hostOf), unresolved: unresolved, notes: notes)
    }
}
