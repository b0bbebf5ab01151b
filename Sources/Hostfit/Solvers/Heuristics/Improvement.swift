/// The improvement phase after packing, in the order of the objectives:
///
/// 1. Fewer hosts: empty the least-loaded host by moving its items, first fit, onto the
///    others; keep the move when every item finds a place (the "eliminate the weakest bin"
///    step of Fleszar & Hindi's perturbation search for bin packing, C&OR 2002).
/// 2. Balance: repack onto the hosts kept, each item (largest first) onto the host whose
///    fullest resource at its fullest moment stays lowest: Graham's LPT rule (1969), on
///    vectors over time, when it places everything; then local search: move an item off
///    the fullest host whenever that lowers it and leaves the destination below where the
///    source was, host after host, until no move helps. A plan that fills its hosts evenly
///    leaves each the same room for demand it has not seen.
/// 3. Swaps of two items between hosts, under the squared-load objective of the moves,
///    kept only when they lower it in each half of the history separately: a swap that pays
///    off in one half only fits a coincidence of that period, which held-out demand does
///    not repeat (the hold-out test of cross-validation, applied to each step).
///
/// Pinned items stay put. Deterministic. On large problems each item looks at a bounded
/// set of candidate hosts (the least loaded), so a pass is O(V x K x R x B), and every phase
/// stops at its deadline.
enum Improvement {
    /// Candidate hosts per item in the balancing moves.
    static let candidates = 24
    /// Weakest hosts tried when emptying.
    static let emptyingAttempts = 32

    static func emptyHosts(_ assignment: Assignment, _ problem: PlacementProblem, allowance: Allowance = .unlimited()) -> Assignment {
        let fit = WorkMeter.fitCost(problem)
        let sizes = FirstFitDecreasing.sizes(problem)
        var state = PackingState(problem, from: assignment)
        let items = PackingItem.items(problem, vms: assignment.hostOf.indices.filter { assignment.hostOf[$0] >= 0 })
        let itemsOf = Dictionary(grouping: items.indices, by: { assignment.hostOf[items[$0].vms[0]] })
        var itemsOn = itemsOf.mapValues { $0.map { items[$0] } }
        var tried = Set<Int>()
        while tried.count < emptyingAttempts, !allowance.expired,
              let weakest = state.open.filter({ !tried.contains($0) && state.loads.count[$0] > 0 })
            .min(by: { (state.loads.utilization($0), $0) < (state.loads.utilization($1), $1) }) {
            tried.insert(weakest)
            let moving = itemsOn[weakest] ?? []
            allowance.spend(Double(moving.count * state.open.count) * fit)
            guard moving.allSatisfy({ $0.pinnedHost < 0 }) else { continue }
            var trial = state
            for item in moving { trial.unplace(item) }
            var moved: [(PackingItem, Int)] = []
            for item in FirstFitDecreasing.itemOrder(problem, moving, sizes: sizes) {
                guard let h = trial.open.first(where: { $0 != weakest && trial.loads.count[$0] > 0 && trial.loads.fits(item.vms, on: $0) }) else { break }
                trial.place(item, on: h)
                moved.append((item, h))
            }
            guard moved.count == moving.count, problem.rules.reserve == 0 || reserveHolds(trial) else { continue }
            state = trial
            itemsOn[weakest] = []
            for (item, h) in moved { itemsOn[h, default: []].append(item) }
        }
        return state.assignment
    }

    /// `staying`: VMs that keep their host, as if pinned (those already on their current host,
    /// when fewer migrations come first: moving only VMs that move anyway adds none).
    static func balance(_ assignment: Assignment, _ problem: PlacementProblem, allowance: Allowance = .unlimited(),
                        staying: [Bool]? = nil, swaps: SwapAcceptance = .eachHalf) -> Assignment {
        let used = Array(Set(assignment.hostOf.filter { $0 >= 0 })).sorted()
        guard used.count > 1 else { return assignment }
        var items = PackingItem.items(problem, vms: assignment.hostOf.indices.filter { assignment.hostOf[$0] >= 0 })
        if let staying {
            for k in items.indices where items[k].pinnedHost < 0 && items[k].vms.contains(where: { staying[$0] }) {
                items[k].pinnedHost = assignment.hostOf[items[k].vms[0]]
            }
        }
        let sizes = FirstFitDecreasing.sizes(problem)
        // The full repack looks at every host for every item: for moderate problems only.
        let small = Double(items.count) * Double(used.count) * Double(problem.buckets * problem.resourceCount) < 2e8
        // Every item against every host: a fit test and its peak with the item (measured: five
        // times a scan on Bitbrains' July).
        if small { allowance.spend(Double(items.count * used.count) * 5 * (WorkMeter.fitCost(problem) + WorkMeter.scanCost(problem))) }
        var state = (small ? repackLPT(items, onto: used, problem, sizes: sizes) : nil) ?? PackingState(problem, from: assignment)
        if problem.rules.reserve > 0 && !reserveHolds(state) { state = PackingState(problem, from: assignment) }
        complementaryMoves(&state, items: items, hosts: used, sizes: sizes, allowance: allowance)
        localMoves(&state, items: items, hosts: used, allowance: allowance)
        if swaps != .none { complementarySwaps(&state, items: items, hosts: used, allowance: allowance, eachHalf: swaps == .eachHalf) }
        return state.assignment
    }

    /// Local search on the sum over hosts, resources and time buckets of squared normalized
    /// load. Moving item x from s to d changes it by sum_{r,t} (2 L_d x + x^2) / C_d^2 +
    /// (x^2 - 2 L_s x) / C_s^2: negative exactly when x runs against d's load more than
    /// against its own host's, so VMs that peak at different times end up together.
    private static func complementaryMoves(_ state: inout PackingState, items: [PackingItem], hosts: [Int], sizes: [Double],
                                           allowance: Allowance) {
        let problem = state.loads.problem
        let fit = WorkMeter.fitCost(problem), scan = WorkMeter.scanCost(problem)
        let R = problem.resourceCount, B = problem.buckets
        let movable = FirstFitDecreasing.itemOrder(problem, items.filter { $0.pinnedHost < 0 }, sizes: sizes)
        func delta(_ item: PackingItem, from s: Int, to d: Int) -> Double {
            var total = 0.0
            for r in 0..<R {
                let cs = problem.capacity(s, r), cd = problem.capacity(d, r)
                guard cs.isFinite, cd.isFinite, cs > 0, cd > 0 else { continue }
                let ks = 1 / (cs * cs), kd = 1 / (cd * cd)
                let sb = (s * R + r) * B, db = (d * R + r) * B
                for b in 0..<B {
                    var x = 0.0
                    for v in item.vms { x += problem.demand[(v * R + r) * B + b] }
                    if x == 0 { continue }
                    total += (2 * state.loads.load[db + b] * x + x * x) * kd + (x * x - 2 * (state.loads.load[sb + b]) * x) * ks
                }
            }
            return total
        }
        for _ in 0..<20 {
            var improved = false
            // On large problems, each item looks at the least loaded hosts only.
            let targets = hosts.count <= candidates ? hosts
                : Array(hosts.sorted { (state.loads.utilization($0), $0) < (state.loads.utilization($1), $1) }.prefix(candidates))
            for (k, item) in movable.enumerated() {
                if k % 64 == 0, allowance.expired { return }
                let source = state.assignment.hostOf[item.vms[0]]
                // (Its delta scans the item's demand against each target; measured 1.8 times the scan.)
                allowance.spend(Double(targets.count) * (fit + 1.8 * scan * Double(item.vms.count)))
                var best = -1, bestDelta = -1e-12
                for h in targets where h != source && state.loads.count[h] > 0 && state.loads.fits(item.vms, on: h) {
                    let d = delta(item, from: source, to: h)
                    if d < bestDelta { best = h; bestDelta = d }
                }
                guard best >= 0 else { continue }
                state.unplace(item)
                state.place(item, on: best)
                if problem.rules.reserve > 0 && !reserveHolds(state) {
                    state.unplace(item)
                    state.place(item, on: source)
                    continue
                }
                improved = true
            }
            if !improved { return }
        }
    }

    /// Swaps between the fullest hosts and the others. Swapping a on s with b on d changes the
    /// squared-load objective, per resource and bucket, by (2 L_s e + e^2) / C_s^2 +
    /// (e^2 - 2 L_d e) / C_d^2 with e = b - a; the sum must fall in both halves of the buckets.
    static func complementarySwaps(_ state: inout PackingState, items: [PackingItem], hosts: [Int], allowance: Allowance = .unlimited(),
                                   eachHalf: Bool = true, sources sourceCount: Int = 4) {
        let problem = state.loads.problem
        let scan = WorkMeter.scanCost(problem)
        let R = problem.resourceCount, B = problem.buckets
        let movable = items.filter { $0.pinnedHost < 0 }
        guard hosts.count > 1, movable.count > 1 else { return }
        let halves = B >= 2 && eachHalf ? [0..<(B / 2), (B / 2)..<B] : [0..<B]
        var itemsOn: [Int: [Int]] = [:]  // host -> indices into movable
        for (i, item) in movable.enumerated() { itemsOn[state.assignment.hostOf[item.vms[0]], default: []].append(i) }
        // Demand of an item, per resource and bucket, computed once.
        var demand: [Int: [Double]] = [:]
        func vector(_ i: Int) -> [Double] {
            if let known = demand[i] { return known }
            var x = [Double](repeating: 0, count: R * B)
            for v in movable[i].vms { for k in 0..<(R * B) { x[k] += problem.demand[v * R * B + k] } }
            demand[i] = x
            return x
        }
        func gains(_ a: [Double], on s: Int, _ b: [Double], on d: Int) -> Bool {
            for half in halves {
                var total = 0.0
                for r in 0..<R {
                    let cs = problem.capacity(s, r), cd = problem.capacity(d, r)
                    guard cs.isFinite, cd.isFinite, cs > 0, cd > 0 else { continue }
                    let ks = 1 / (cs * cs), kd = 1 / (cd * cd)
                    let sb = (s * R + r) * B, db = (d * R + r) * B, xb = r * B
                    for t in half {
                        let e = b[xb + t] - a[xb + t]
                        if e == 0 { continue }
                        total += (2 * state.loads.load[sb + t] * e + e * e) * ks + (e * e - 2 * state.loads.load[db + t] * e) * kd
                    }
                }
                if total >= -1e-9 { return false }
            }
            return true
        }
        for _ in 0..<10 {
            var swapped = false
            let byLoad = hosts.filter { state.loads.count[$0] > 0 }
                .sorted { (state.loads.utilization($0), $1) > (state.loads.utilization($1), $0) }
            for s in byLoad.prefix(sourceCount) {
                for i in itemsOn[s] ?? [] {
                    if allowance.expired { return }
                    // Each candidate host's items are weighed against this one, in each half.
                    let weighed = byLoad.suffix(2 * candidates).reduce(0) { $0 + (itemsOn[$1]?.count ?? 0) }
                    allowance.spend(Double(weighed) * 1.8 * scan)
                    let a = vector(i)
                    // The least loaded hosts first (on large problems, only they).
                    search: for d in byLoad.suffix(2 * candidates).reversed() where d != s {
                        for j in itemsOn[d] ?? [] where gains(a, on: s, vector(j), on: d) {
                            let x = movable[i], y = movable[j]
                            state.unplace(x)
                            state.unplace(y)
                            var ok = state.loads.fits(x.vms, on: d)
                            if ok { state.place(x, on: d); ok = state.loads.fits(y.vms, on: s); if !ok { state.unplace(x) } }
                            if ok { state.place(y, on: s); ok = problem.rules.reserve == 0 || reserveHolds(state); if !ok { state.unplace(x); state.unplace(y) } }
                            if !ok {
                                state.place(x, on: s)
                                state.place(y, on: d)
                                continue
                            }
                            itemsOn[s]!.removeAll { $0 == i }
                            itemsOn[d]!.removeAll { $0 == j }
                            itemsOn[s]!.append(j)
                            itemsOn[d]!.append(i)
                            swapped = true
                            break search
                        }
                    }
                }
            }
            if !swapped { return }
        }
    }

    private static func repackLPT(_ items: [PackingItem], onto used: [Int], _ problem: PlacementProblem, sizes: [Double]) -> PackingState? {
        var state = PackingState(problem)
        for item in items where item.pinnedHost >= 0 { state.place(item, on: item.pinnedHost) }
        for item in FirstFitDecreasing.itemOrder(problem, items.filter { $0.pinnedHost < 0 }, sizes: sizes) {
            var best = -1, bestPeak = Double.infinity
            for h in used where state.loads.fits(item.vms, on: h) {
                let peak = state.loads.utilization(h, adding: item.vms)
                if peak < bestPeak { best = h; bestPeak = peak }
            }
            guard best >= 0 else { return nil }  // the even spread does not fit
            state.place(item, on: best)
        }
        return state
    }

    private static func localMoves(_ state: inout PackingState, items: [PackingItem], hosts: [Int], allowance: Allowance) {
        let problem = state.loads.problem
        let fit = WorkMeter.fitCost(problem), scan = WorkMeter.scanCost(problem)
        let movable = items.filter { $0.pinnedHost < 0 }
        var stuck = Set<Int>()
        var moves = 0
        while moves < 20 * max(items.count, 1) {
            if allowance.expired { return }
            let sources = hosts.filter { !stuck.contains($0) && state.loads.count[$0] > 0 }
            guard let source = sources.max(by: { (state.loads.utilization($0), $1) < (state.loads.utilization($1), $0) }) else { return }
            let level = state.loads.utilization(source)
            var best: (item: PackingItem, to: Int, peak: Double)?
            let targets = hosts.count <= candidates ? hosts
                : Array(hosts.sorted { (state.loads.utilization($0), $0) < (state.loads.utilization($1), $1) }.prefix(candidates))
            let onSource = movable.count { state.assignment.hostOf[$0.vms[0]] == source }
            // The hosts sorted by load, the items scanned for the source's, then each of its
            // items against each target.
            allowance.spend(Double(hosts.count) * 0.05 + Double(movable.count) * 0.002 + Double(onSource * targets.count) * (fit + 3.6 * scan))
            for item in movable where state.assignment.hostOf[item.vms[0]] == source {
                state.unplace(item)
                let after = state.loads.utilization(source)
                for h in targets where h != source && state.loads.count[h] > 0 && state.loads.fits(item.vms, on: h) {
                    let peak = max(after, state.loads.utilization(h, adding: item.vms))
                    if peak < level - 1e-9, peak < (best?.peak ?? .infinity) { best = (item, h, peak) }
                }
                state.place(item, on: source)
            }
            guard let move = best else { stuck.insert(source); continue }
            state.unplace(move.item)
            state.place(move.item, on: move.to)
            if problem.rules.reserve > 0 && !reserveHolds(state) {
                state.unplace(move.item)
                state.place(move.item, on: source)
                stuck.insert(source)
                continue
            }
            stuck.removeAll()
            moves += 1
        }
    }

    static func reserveHolds(_ state: PackingState) -> Bool {
        state.loads.problem.rules.clusters.indices.allSatisfy { state.loads.reserveRatio(cluster: $0) <= 1 }
    }
}
