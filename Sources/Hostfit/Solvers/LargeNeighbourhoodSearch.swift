/// Large-neighbourhood search (Shaw, "Using constraint programming and local search methods
/// to solve vehicle routing problems", CP 1998): take a few hosts, free their VMs, and
/// repack them into fewer of those hosts; keep the plan when that works.
///
/// Neighbourhoods: the least-loaded hosts plus randomly chosen others (biased to light ones,
/// whose VMs are easiest to move), growing after repeated failures. Each repack tries the
/// greedy packer first, then GLPK on the assignment model with the current packing as the
/// incumbent and a short limit. Time-bucketed demand goes to GLPK on the busiest buckets
/// only; the answer is checked on every bucket and the buckets it breaks are added (rows
/// generated lazily), so the result holds on the whole history.
///
/// Before the repacks, ejection chains (`EjectionSearch`) try to take a host out with two
/// thirds of the allowance left: room spread thinly over every host is out of reach of a
/// few-host repack. Every limit is a share of the allowance's work (its time only as a cap),
/// so the search goes the same way on any machine.
///
/// Same rules as the engine, through the restricted problem; skipped under an N+k reserve,
/// which couples every host of a cluster.
enum LargeNeighbourhoodSearch {
    struct Result {
        var assignment: Assignment
        var attempts = 0
        var improvements = 0
        /// Hosts saved by ejection chains (`EjectionSearch`).
        var ejections = 0
    }

    /// At most this many time buckets go to GLPK at first.
    static let initialBuckets = 48

    static func run(_ problem: PlacementProblem, start: Assignment, bound: Int, allowance: Allowance, seed: UInt64,
                    control: SearchControl = SearchControl(), progress: (Int) -> Void = { _ in }) -> Result {
        var result = Result(assignment: start)
        guard problem.settings.reserve == 0 else { return result }
        var rng = SeededGenerator(seed: seed)
        var size = 3, failures = 0
        let R = problem.resourceCount
        // Many repacks in a row that save nothing: the neighbourhoods are exhausted.
        var ejectionFailedAt = Int.max
        while result.assignment.hostsUsed > bound, !allowance.expired, failures < 100 {
            // Ejection chains first, with two thirds of the allowance left: they gather room from every host.
            if result.assignment.hostsUsed < ejectionFailedAt {
                let dropped = EjectionSearch.dropHost(problem, start: result.assignment, allowance: allowance.share(2.0 / 3),
                                                       seed: seed &+ UInt64(result.ejections))
                if let fewer = dropped,
                   fewer.hostsUsed < result.assignment.hostsUsed {
                    result.assignment = fewer
                    result.ejections += 1
                    result.improvements += 1
                    progress(fewer.hostsUsed)
                    continue
                }
                ejectionFailedAt = result.assignment.hostsUsed
                continue
            }
            var members: [Int: [Int]] = [:]
            for (v, h) in result.assignment.hostOf.enumerated() where h >= 0 { members[h, default: []].append(v) }
            guard members.count >= 2 else { break }
            // Lightest first: summed peaks against capacity.
            var weight: [Int: Double] = [:]
            for (h, vms) in members {
                var w = 0.0
                for r in 0..<R {
                    let c = problem.capacity(h, r)
                    guard c.isFinite, c > 0 else { continue }
                    w += vms.reduce(0.0) { $0 + problem.peakDemand($1, r) } / c
                }
                weight[h] = w
            }
            let used = members.keys.sorted { (weight[$0]!, $0) < (weight[$1]!, $1) }
            let k = min(size, used.count)
            var chosen: [Int] = [used[Int.random(in: 0..<min(2, used.count), using: &rng)]]
            while chosen.count < k {
                // Rank drawn with a bias to light hosts (the square of a uniform draw).
                let u = Double.random(in: 0..<1, using: &rng)
                let h = used[min(used.count - 1, Int(u * u * Double(used.count)))]
                if !chosen.contains(h) { chosen.append(h) }
            }
            chosen.sort()
            let freed = chosen.flatMap { members[$0]! }.sorted()
            result.attempts += 1
            allowance.spend(Double(members.count * R) * 0.01)
            // A quarter of what is left, between 0.2 and 2 reference seconds (and within it).
            let share = allowance.upTo(min(max(200_000, allowance.workLeft / 4), 2_000_000))
            let repacked = repack(problem, hosts: chosen, vms: freed, current: result.assignment, allowance: share, control: control)
            if let moves = repacked {
                for (v, h) in moves { result.assignment.hostOf[v] = h }
                result.improvements += 1
                failures = 0
                size = 3
                progress(result.assignment.hostsUsed)
            } else if let moves = shift(problem, hosts: chosen, vms: freed, weight: weight, allowance: allowance) {
                // No host saved, but load moved off the lightest one: the next repack starts closer.
                for (v, h) in moves { result.assignment.hostOf[v] = h }
                if result.assignment.hostsUsed < members.count {
                    result.improvements += 1
                    progress(result.assignment.hostsUsed)
                }
                failures += 1
                if failures % 8 == 0 { size = min(size + 1, 8) }
            } else {
                failures += 1
                if failures % 8 == 0 { size = min(size + 1, 8) }
            }
        }
        return result
    }

    /// New hosts for `vms` among `hosts`, using fewer of them; nil when none was found.
    static func repack(_ problem: PlacementProblem, hosts: [Int], vms: [Int], current: Assignment, allowance: Allowance,
                       control: SearchControl = SearchControl()) -> [(Int, Int)]? {
        let k = hosts.count
        var buckets: [Int]? = nil
        if problem.buckets > initialBuckets { buckets = busiestBuckets(problem, vms: vms) }
        let incumbent = Assignment(hostOf: vms.map { hosts.firstIndex(of: current.hostOf[$0]) ?? Assignment.unplaced })
        for _ in 0..<4 {
            let sub = problem.restricted(hosts: hosts, vms: vms, buckets: buckets)
            allowance.spend(Double(vms.count) * (WorkMeter.scanCost(sub) + Double(k) * WorkMeter.fitCost(sub)))
            var packed = FirstFitDecreasing.solve(sub, rule: .ffdSum)
            if packed.placedCount < vms.count || packed.hostsUsed >= k {
                guard !allowance.expired else { return nil }
                packed = Planner.improve(sub, Array(0..<vms.count), incumbent, allowance: allowance, control: control).assignment
            }
            guard packed.placedCount == vms.count, packed.hostsUsed < k else { return nil }
            let moves = vms.enumerated().map { ($0.element, hosts[packed.hostOf[$0.offset]]) }
            guard let subset = buckets else { return moves }
            // Check every bucket; add those broken and solve again.
            allowance.spend(Double(vms.count) * WorkMeter.scanCost(problem))
            let broken = brokenBuckets(problem, moves)
            if broken.isEmpty { return moves }
            buckets = Array(Set(subset).union(broken)).sorted()
        }
        return nil
    }

    /// Plateau moves: first fit over the neighbourhood's hosts with the lightest last, kept
    /// when the summed squares of the hosts' loads grow (load concentrates, the lightest host
    /// empties), the potential of Fleszar & Hindi's bin-packing local search ("New heuristics
    /// for one-dimensional bin-packing", Computers & OR 29, 2002). nil when it does not.
    static func shift(_ problem: PlacementProblem, hosts: [Int], vms: [Int], weight: [Int: Double], allowance: Allowance) -> [(Int, Int)]? {
        guard let target = hosts.min(by: { (weight[$0]!, $0) < (weight[$1]!, $1) }) else { return nil }
        let order = hosts.filter { $0 != target }.sorted { (weight[$0]!, $1) > (weight[$1]!, $0) } + [target]
        let sub = problem.restricted(hosts: order, vms: vms)
        allowance.spend(Double(vms.count) * (WorkMeter.scanCost(sub) + Double(hosts.count) * WorkMeter.fitCost(sub)))
        let packed = FirstFitDecreasing.solve(sub, rule: .ffdSum)
        guard packed.placedCount == vms.count else { return nil }
        let R = problem.resourceCount
        var after = [Double](repeating: 0, count: order.count)
        for (i, v) in vms.enumerated() {
            let k = packed.hostOf[i], h = order[k]
            for r in 0..<R {
                let c = problem.capacity(h, r)
                if c.isFinite, c > 0 { after[k] += problem.peakDemand(v, r) / c }
            }
        }
        let before = hosts.reduce(0.0) { $0 + weight[$1]! * weight[$1]! }
        guard after.reduce(0.0, { $0 + $1 * $1 }) > before * (1 + 1e-9), after[order.count - 1] < weight[target]! - 1e-12 else { return nil }
        return vms.enumerated().map { ($0.element, order[packed.hostOf[$0.offset]]) }
    }

    /// Per resource, the buckets where the VMs' summed demand is highest.
    static func busiestBuckets(_ problem: PlacementProblem, vms: [Int]) -> [Int] {
        let B = problem.buckets, R = problem.resourceCount
        var chosen = Set<Int>()
        let perResource = max(1, initialBuckets / max(R, 1))
        for r in 0..<R {
            var total = [Double](repeating: 0, count: B)
            for v in vms {
                let base = (v * R + r) * B
                for b in 0..<B { total[b] += problem.demand[base + b] }
            }
            for b in total.indices.sorted(by: { total[$0] > total[$1] }).prefix(perResource) { chosen.insert(b) }
        }
        return chosen.sorted()
    }

    /// For each host and resource over capacity somewhere, its worst bucket.
    static func brokenBuckets(_ problem: PlacementProblem, _ moves: [(Int, Int)]) -> [Int] {
        let B = problem.buckets, R = problem.resourceCount
        var broken = Set<Int>()
        let byHost = Dictionary(grouping: moves, by: \.1)
        for (h, list) in byHost {
            for r in 0..<R {
                let c = problem.capacity(h, r)
                guard c.isFinite else { continue }
                var load = [Double](repeating: 0, count: B)
                for (v, _) in list {
                    let base = (v * R + r) * B
                    for b in 0..<B { load[b] += problem.demand[base + b] }
                }
                if let worst = load.indices.max(by: { load[$0] < load[$1] }), load[worst] > c * (1 + 1e-12) { broken.insert(worst) }
            }
        }
        return broken.sorted()
    }
}
