extension Rebalancer {
    /// Above this share of the usable capacity of the hosts left on, in some forecast hour,
    /// a host that was switched off must be on again: the top of DPM's 63 +/- 18% band.
    public static let powerOnAbove = 0.81

    /// `power`: hosts to switch off. The emptiest hosts first: each VM of one goes to
    /// another host that stays on and keeps it within headroom in every interval and
    /// forecast hour (the largest VM first, to the fullest such host); a host goes off only when all of its VMs have
    /// such a place, else nothing of it moves. Then, per forecast hour, how many of the
    /// hosts switched off the rest need back to stay under `powerOnAbove` (the last one
    /// switched off comes back first): the hours at which each must be on again.
    mutating func power() {
        var off: [Int] = []
        let candidates = (0..<problem.hostCount).filter { loads.count[$0] > 0 }.sorted { a, b in
            if loads.count[a] != loads.count[b] { return loads.count[a] < loads.count[b] }
            let x = loads.utilization(a), y = loads.utilization(b)
            return x != y ? x < y : a < b
        }
        for h in candidates {
            let stayingOn = (0..<problem.hostCount).count { loads.count[$0] > 0 && !off.contains($0) && $0 != h }
            guard stayingOn > 0 else { break }
            let vms = (0..<problem.vmCount).filter { hostOf[$0] == h }.sorted { a, b in
                problem.vms[a].memoryMB != problem.vms[b].memoryMB ? problem.vms[a].memoryMB > problem.vms[b].memoryMB : a < b
            }
            guard !vms.contains(where: { locked[$0] }), chosen.count + vms.count <= options.maxMoves else { continue }
            let saved = (loads, hostOf, chosen.count)
            var placed = true
            for v in vms {
                // Best fit: the fullest host that still holds it, so that the others keep room to empty.
                let fitting = targets(for: v, from: h).filter { loads.count[$0] > 0 && !off.contains($0) }
                guard let t = fitting.max(by: { a, b in
                    let x = loads.utilization(a, adding: [v]), y = loads.utilization(b, adding: [v])
                    return x != y ? x < y : a > b
                }) else { placed = false; break }
                move(v, to: t, kind: .power, benefit: 0,
                     reason: "empties \(problem.hosts[h].id) to switch it off; \(problem.hosts[t].id) keeps it within headroom at every interval and forecast hour")
            }
            if placed {
                off.append(h)
            } else {
                (loads, hostOf) = (saved.0, saved.1)
                chosen.removeLast(chosen.count - saved.2)
            }
        }
        if let planned = powerByPlan(greedyOn: (0..<problem.hostCount).count { loads.count[$0] > 0 }) { off = planned }
        let backIn = onAgain(off)
        powerOff = off.enumerated().map { i, h in (problem.hosts[h].id, backIn.enumerated().filter { $0.element > off.count - 1 - i }.map(\.offset)) }
        if !off.isEmpty {
            notes.append("\(off.count) hosts can be switched off; each must be on again in the forecast hours where the hosts left on would pass \(Self.percent(Self.powerOnAbove))% of their usable capacity (the last switched off first)")
        }
    }

    /// The planner on the same view (every recent interval and forecast hour, fewer moves
    /// after fewer hosts): emptying hosts one by one stops where no single host takes a VM,
    /// a plan repacks. Its moves replace the greedy ones when it needs fewer hosts on, moves
    /// no VM that must stay (pinned, moved within the dwell time, back to a host it left) and
    /// stays within --max-moves; the hosts it empties are switched off, the emptiest first.
    /// Nil where the greedy answer stands.
    private mutating func powerByPlan(greedyOn: Int) -> [Int]? {
        guard !initial.contains(where: { $0 < 0 }) else { return nil }  // the planner would place VMs that run nowhere
        // The work budget, not the clock, ends it (the same answer on any machine); the
        // time limit is only a safety cap.
        var settings = PlanOptions(effort: .quick, seed: 1)
        settings.timeLimit = 300
        let target = Planner.plan(problem, options: settings).assignment.hostOf
        guard !target.contains(where: { $0 < 0 }), Set(target).count < greedyOn else { return nil }
        let moving = (0..<problem.vmCount).filter { target[$0] != initial[$0] }
        guard moving.count <= options.maxMoves, moving.allSatisfy({ !locked[$0] && !left[$0].contains(target[$0]) }) else { return nil }
        var fresh = HostLoads(problem)
        for (v, h) in initial.enumerated() where h >= 0 { fresh.add(v, to: h) }
        let before = fresh.count
        (loads, hostOf) = (fresh, initial)
        chosen.removeAll()
        let used = Set(target).count
        for v in moving {
            move(v, to: target[v], kind: .power, benefit: 0,
                 reason: "a plan of \(used) hosts on for every recent interval and forecast hour; \(problem.hosts[target[v]].id) keeps it within headroom there")
        }
        notes.append("emptying hosts one at a time would leave \(greedyOn) on; a plan of the same intervals and forecast hours needs \(used): its \(moving.count) moves are taken")
        return (0..<problem.hostCount).filter { before[$0] > 0 && loads.count[$0] == 0 }.sorted { a, b in
            before[a] != before[b] ? before[a] < before[b] : a < b
        }
    }

    /// Per forecast hour (of the day or week): how many of `off` (from the last) must be on.
    private func onAgain(_ off: [Int]) -> [Int] {
        let F = forecast.forecastBuckets
        guard F > 0, !off.isEmpty else { return [] }
        let on = (0..<problem.hostCount).filter { loads.count[$0] > 0 }
        return (0..<F).map { k in
            var needed = 0
            for r in 0..<problem.resourceCount {
                var capacity = on.reduce(0.0) { $0 + problem.capacity($1, r) }
                guard capacity.isFinite, capacity > 0 else { continue }
                var demand = 0.0
                for half in 0..<2 {
                    demand = max(demand, on.reduce(0.0) { $0 + loads.load($1, r, forecast.slots + half * F + k) })
                }
                var back = 0
                while demand > Self.powerOnAbove * capacity, back < off.count {
                    back += 1
                    capacity += problem.capacity(off[off.count - back], r)
                }
                needed = max(needed, back)
            }
            return needed
        }
    }
}
