extension Rebalancer {
    /// The chosen moves in an order that is safe at every step (`MigrationOrder`, with
    /// parking; the quietest VMs first where several are safe), each at its VM's quietest
    /// hour after the traces end, and no earlier than the step before it ends. Every step
    /// is judged by `PlanValidator` on the view: a step may not add or worsen a violation.
    mutating func finish() throws -> RebalancePlan {
        let after = Assignment(hostOf: hostOf)
        let last = Dictionary(chosen.map { ($0.vm, $0) }, uniquingKeysWith: { _, b in b })
        let scheme: BucketScheme = forecast.shape == .hourOfWeek ? .hourOfWeek : .hourOfDay
        var quiet = [[Int]](repeating: [], count: problem.vmCount)
        var priority = [Double](repeating: .infinity, count: problem.vmCount)
        for v in last.keys {
            quiet[v] = quietHours(v, scheme)
            priority[v] = Double(next(quiet[v].first ?? 0, scheme))
        }
        var judge = StepJudge(problem, from: initial)
        var walk = HostLoads(problem)
        for (v, h) in initial.enumerated() where h >= 0 { walk.add(v, to: h) }
        var clock = forecast.end
        var moves: [RebalanceMove] = []
        for step in safeOrder(after: after, priority: priority) {
            let (v, from, to) = (step.vm, step.from, step.to)
            try judge.move(v, to: to, step: moves.count + 1)
            let memory = problem.vms[v].memoryMB
            let seconds = options.cost.seconds(memoryMB: memory)
            let at = max(clock, start(v, from, to, quiet[v], scheme, walk))
            walk.remove(v, from: from)
            walk.add(v, to: to)
            clock = at + Int64(seconds.rounded(.up))
            let made = last[v]
            moves.append(RebalanceMove(step: moves.count + 1, vm: problem.vms[v].id, from: problem.hosts[from].id, to: problem.hosts[to].id,
                                       kind: step.parking ? .park : (made?.kind ?? .fix), at: at, memoryMB: memory, seconds: seconds,
                                       benefit: step.parking ? 0 : (made?.benefit ?? 0),
                                       reason: step.parking ? Self.parkingReason : (made?.reason ?? "")))
        }
        return RebalancePlan(goal: options.goal, moves: moves, problem: problem, forecast: forecast, before: Assignment(hostOf: initial), after: after,
                             overloadBefore: tally(initial), overloadAfter: tally(hostOf), unresolved: unresolved, powerOff: powerOff, notes: notes)
    }

    static let parkingReason = "parked so that a cycle of moves can run safely; moves on later"

    /// The VM's hours (of the day, or of the week) from the quietest: lowest mean CPU over
    /// the recent slots, then lowest mean memory.
    func quietHours(_ v: Int, _ scheme: BucketScheme) -> [Int] {
        var sum = [Double](repeating: 0, count: scheme.count), count = sum
        let r = problem.resources.firstIndex(of: .cpu) ?? problem.resources.firstIndex(of: .memory) ?? 0
        for t in 0..<forecast.slots {
            let k = scheme.bucket(forecast.start + Int64(t) * forecast.step)
            sum[k] += problem.demand(v, r, t)
            count[k] += 1
        }
        let mean = (0..<scheme.count).map { count[$0] > 0 ? sum[$0] / count[$0] : .infinity }
        return (0..<scheme.count).sorted { mean[$0] != mean[$1] ? mean[$0] < mean[$1] : $0 < $1 }
    }

    /// The first start of hour `key` at or after the traces end.
    func next(_ key: Int, _ scheme: BucketScheme) -> Int64 {
        var t = (forecast.end + 3599) / 3600 * 3600
        while scheme.bucket(t) != key { t += 3600 }
        return t
    }

    /// When to run a move: the quietest hour in which both hosts have a core spare within
    /// full capacity at their busiest recent moment of that hour (the copy's CPU); the
    /// quietest hour when none has.
    private func start(_ v: Int, _ from: Int, _ to: Int, _ hours: [Int], _ scheme: BucketScheme, _ walk: HostLoads) -> Int64 {
        guard let r = problem.resources.firstIndex(of: .cpu) else { return next(hours.first ?? 0, scheme) }
        for key in hours {
            var fits = true
            for h in [from, to] {
                let spare = problem.fullCapacity(h, r) - options.cost.cpuOverhead(on: problem.hosts[h])
                for t in 0..<forecast.slots where scheme.bucket(forecast.start + Int64(t) * forecast.step) == key {
                    var load = walk.load(h, r, t)
                    if h == to { load += problem.demand(v, r, t) }
                    if load > spare { fits = false; break }
                }
                if !fits { break }
            }
            if fits { return next(key, scheme) }
        }
        return next(hours.first ?? 0, scheme)
    }
}
