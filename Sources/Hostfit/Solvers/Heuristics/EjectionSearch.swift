/// One host fewer by ejection chains: take a host out, put its VMs in a pool, and place the
/// pool's VMs one at a time on the hosts kept, each time ejecting into the pool the cheapest
/// set of VMs that makes room (cheap: few and small, as the squares of their sizes say).
/// Recently ejected VMs may not go back to the host they left for a few steps (tabu), so
/// the chain moves on instead of cycling. An empty pool is a plan on one host fewer.
///
/// This is the partial-solution search of Buljubašić & Vasquez ("Consistent neighborhood
/// search for one-dimensional bin packing and two-dimensional vector packing", Computers &
/// OR 76, 2016), reduced to its insert-and-eject move. It works where repacking a few hosts
/// cannot: when room must be gathered from every host, as when demand over time leaves a
/// little on each at the peak. Same rules as the engine: every placement passes `HostLoads`.
enum EjectionSearch {
    /// A plan of `start` on one host fewer, or nil when none was found within the allowance or
    /// within `rounds` rounds (each host taken out in turn, four times more steps each round).
    static func dropHost(_ problem: PlacementProblem, start: Assignment, allowance: Allowance, seed: UInt64,
                         rounds: Int = 7) -> Assignment? {
        let placed = start.hostOf.indices.filter { start.hostOf[$0] >= 0 }
        let items = PackingItem.items(problem, vms: placed)
        guard items.count > 1 else { return nil }
        let R = problem.resourceCount
        let scale = FirstFitDecreasing.scale(problem)
        // An item's size: its peaks as shares of the largest capacity, summed over resources.
        let weight = items.map { item in
            item.vms.reduce(0.0) { sum, v in (0..<R).reduce(sum) { s, r in scale[r].map { s + problem.peakDemand(v, r) / $0 } ?? s } }
        }
        let hostOfItem = items.map { start.hostOf[$0.vms[0]] }
        let used = Array(Set(hostOfItem)).sorted()
        var load: [Int: Double] = [:]
        for (k, h) in hostOfItem.enumerated() { load[h, default: 0] += weight[k] }
        // Hosts to take out, lightest first; not those holding pinned VMs.
        let candidates = used.filter { h in !items.indices.contains { hostOfItem[$0] == h && items[$0].pinnedHost >= 0 } }
            .sorted { (load[$0]!, $0) < (load[$1]!, $1) }
        var random = SeededGenerator(seed: seed)
        let fit = WorkMeter.fitCost(problem), scan = WorkMeter.scanCost(problem)
        // Each host to take out gets a few steps, then the next one; each round allows four
        // times more (a chain stuck on one VM is often free when another host goes out).
        let firstSteps = max(200, items.count / 2)
        let tries = (0..<rounds).flatMap { round in candidates.map { (round, $0) } }
        for (round, out) in tries {
            if allowance.expired { return nil }
            allowance.spend(Double(placed.count) * scan)
            var state = PackingState(problem, from: start)
            var on = [[Int]](repeating: [], count: problem.hostCount)
            for (k, h) in hostOfItem.enumerated() { on[h].append(k) }
            var pool = on[out]
            for k in pool { state.unplace(items[k]) }
            on[out] = []
            let kept = used.filter { $0 != out }
            var tabu: [Int: Int] = [:]   // item * hostCount + host -> step until which it may not go back
            let limit = firstSteps << (2 * round)
            var step = 0
            while !pool.isEmpty, step < limit {
                step += 1
                if step & 63 == 0, allowance.expired { return nil }
                // Mostly the largest (hardest to place), sometimes any, to vary the chain.
                let pick = Double.random(in: 0..<1, using: &random) < 0.7
                    ? pool.indices.max { (weight[pool[$0]], pool[$0]) < (weight[pool[$1]], pool[$1]) }!
                    : Int.random(in: 0..<pool.count, using: &random)
                let k = pool.remove(at: pick)
                let item = items[k]
                // A fit test on each host kept; an ejection weighs the members of those it fits on
                // against the excess (a scan of each).
                allowance.spend(Double(kept.count) * fit + Double(pool.count) * 0.001)
                var moves: [(host: Int, eject: [Int], cost: Double)] = []
                var direct: Int? = nil, cheapest = Double.infinity
                for h in kept where (tabu[k * problem.hostCount + h] ?? 0) <= step {
                    if state.loads.fits(item.vms, on: h) { direct = h; break }
                    // Its excess (a scan of the item's demand), each member's relief on a sample
                    // of it, and the arrays they take: about a microsecond a host even when
                    // small (measured on Panigrahy class 2 and Bitbrains' July).
                    allowance.spend(0.8 + 6 * scan + Double(on[h].count) * 0.05)
                    if let eject = ejection(item, onto: h, members: on[h], items: items, weight: weight, state: state, costAbove: cheapest) {
                        let cost = eject.reduce(0.0) { $0 + weight[$1] * weight[$1] } + Double.random(in: 0..<1e-9, using: &random)
                        moves.append((h, eject, cost))
                        cheapest = min(cheapest, cost)
                    }
                }
                if let h = direct {
                    state.place(item, on: h)
                    on[h].append(k)
                    continue
                }
                var done = false
                for move in moves.sorted(by: { $0.cost < $1.cost }) {
                    for u in move.eject { state.unplace(items[u]) }
                    if state.loads.fits(item.vms, on: move.host) {
                        state.place(item, on: move.host)
                        on[move.host].removeAll { move.eject.contains($0) }
                        on[move.host].append(k)
                        for u in move.eject {
                            pool.append(u)
                            tabu[u * problem.hostCount + move.host] = step + 7 + Int.random(in: 0..<10, using: &random)
                        }
                        done = true
                        break
                    }
                    for u in move.eject { state.place(items[u], on: move.host) }   // rules other than capacity said no
                }
                if !done { pool.append(k) }
            }
            if pool.isEmpty { return state.assignment }
        }
        return nil
    }

    /// The VMs to take off `host` so that `item` fits there by capacity, chosen greedily by
    /// how much of the excess each removes; nil when no such set costs less than `costAbove`.
    private static func ejection(_ item: PackingItem, onto host: Int, members: [Int], items: [PackingItem], weight: [Double],
                                 state: PackingState, costAbove: Double) -> [Int]? {
        let problem = state.loads.problem, rules = problem.rules
        guard problem.accepting[host], item.pinnedHost < 0 || item.pinnedHost == host else { return nil }
        guard item.vms.allSatisfy({ rules.allows($0, host) && !rules.isImpossible[$0] }) else { return nil }
        let R = problem.resourceCount, B = problem.buckets
        var candidates = members.filter { items[$0].pinnedHost < 0 }
        var eject: [Int] = []
        var cost = 0.0
        func take(_ u: Int) -> Bool {
            eject.append(u)
            candidates.removeAll { $0 == u }
            cost += weight[u] * weight[u]
            return cost < costAbove
        }
        // Anti-affinity: members sharing a group with the item must go.
        let groups = Set(item.vms.flatMap { rules.antiAffinityOf[$0] })
        if !groups.isEmpty {
            for u in members where items[u].vms.contains(where: { !Set(rules.antiAffinityOf[$0]).isDisjoint(with: groups) }) {
                guard items[u].pinnedHost < 0, take(u) else { return nil }
            }
        }
        // The excess, where the item would overflow the host: (index into demand rows, amount).
        var excess: [(r: Int, b: Int, amount: Double)] = []
        for r in 0..<R {
            let cap = problem.capacity(host, r)
            guard cap.isFinite else { continue }
            let base = (host * R + r) * B
            for b in 0..<B {
                var total = state.loads.load[base + b]
                for v in item.vms { total += problem.demand[(v * R + r) * B + b] }
                for u in eject { for v in items[u].vms { total -= problem.demand[(v * R + r) * B + b] } }
                if total > cap * (1 + 1e-12) { excess.append((r, b, total - cap * (1 + 1e-12))) }
            }
        }
        while !excess.isEmpty {
            // Long excesses (hours of a busy period) are judged on a sample of them: the
            // choice is greedy anyway, and the loop below still removes the whole excess.
            func mostRelief(stride: Int) -> (Int, Double) {
                var best = -1, most = 0.0
                for u in candidates {
                    var relief = 0.0
                    for i in Swift.stride(from: 0, to: excess.count, by: stride) {
                        let e = excess[i]
                        var d = 0.0
                        for v in items[u].vms { d += problem.demand[(v * R + e.r) * B + e.b] }
                        relief += min(d, e.amount)
                    }
                    if relief > most || (relief == most && best >= 0 && weight[u] < weight[best]) { most = relief; best = u }
                }
                return (best, most)
            }
            var (best, most) = mostRelief(stride: max(1, excess.count / 64))
            if most <= 0 { (best, most) = mostRelief(stride: 1) }
            guard best >= 0, most > 0, take(best) else { return nil }
            excess = excess.compactMap { e in
                var d = 0.0
                for v in items[best].vms { d += problem.demand[(v * R + e.r) * B + e.b] }
                return e.amount - d > 0 ? (e.r, e.b, e.amount - d) : nil
            }
        }
        // A host's VM limit: the smallest others go too.
        let count = members.reduce(0) { $0 + items[$1].vms.count } - eject.reduce(0) { $0 + items[$1].vms.count }
        var over = count + item.vms.count - problem.vmLimit[host]
        for u in candidates.sorted(by: { weight[$0] < weight[$1] }) where over > 0 {
            guard take(u) else { return nil }
            over -= items[u].vms.count
        }
        return over > 0 || eject.isEmpty ? nil : eject
    }
}
