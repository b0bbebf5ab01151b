/// First-fit decreasing for vector bin packing with the "sum" size measure: VMs in order of
/// their demand summed over resources (each normalized by the largest usable capacity) and
/// over time buckets, each onto the first open host where it fits in every resource and
/// bucket, opening the next host (largest first) when none does.
///
/// One-dimensional FFD uses at most 11/9 OPT + 6/9 hosts (Dósa 2007); the vector variants
/// are compared in Panigrahy, Talwar, Uyeda & Wieder, "Heuristics for Vector Bin Packing",
/// Microsoft Research 2011, where FFD-Sum is among the best of the simple rules.
///
/// Rules: an affinity group is placed as one item; pinned VMs go first, onto their host;
/// anti-affinity, tags, clusters and max_vms are part of every fit test; an N+k reserve is
/// met afterwards by bringing more hosts of the cluster into the plan (`ReserveRepair`).
///
/// Complexity: O(V log V + V x H x R x B). Deterministic: ties go to the earlier index.
public enum FirstFitDecreasing {
    /// `rule` picks the item order and the host (first fit, or best fit by a score).
    public static func solve(_ problem: PlacementProblem, vms: [Int]? = nil, rule: PackingRule = .ffdSum) -> Assignment {
        if rule.isBinCentric { return BinCentricPacking.solve(problem, vms: vms ?? Array(0..<problem.vmCount), rule: rule) }
        var state = PackingState(problem)
        let items = PackingItem.items(problem, vms: vms ?? Array(0..<problem.vmCount))
        // Pinned items first: they have one host or none.
        for item in items where item.pinnedHost >= 0 {
            if state.loads.fits(item.vms, on: item.pinnedHost) { state.place(item, on: item.pinnedHost) }
        }
        let scale = self.scale(problem)
        for item in itemOrder(problem, items.filter { $0.pinnedHost < 0 }, sizes: rule.sizes(problem)) {
            if rule.isBestFit {
                var best = -1, bestScore = -Double.infinity, seen = 0
                for h in state.open.reversed() where state.loads.fits(item.vms, on: h) {
                    let score = rule.score(item.vms, on: h, state.loads, scale: scale)
                    if score > bestScore { best = h; bestScore = score }
                    seen += 1
                    if seen == PackingRule.candidates { break }
                }
                if best >= 0 { state.place(item, on: best); continue }
            } else if let h = state.open.first(where: { state.loads.fits(item.vms, on: $0) }) {
                state.place(item, on: h)
                continue
            }
            if let h = state.closed.first(where: { state.loads.fits(item.vms, on: $0) }) {
                state.place(item, on: h)
            }
        }
        if problem.rules.reserve > 0 { ReserveRepair.run(&state, items: items) }
        return state.assignment
    }

    /// Largest usable capacity per resource over hosts that take VMs (nil where untracked).
    static func scale(_ problem: PlacementProblem) -> [Double?] {
        (0..<problem.resourceCount).map { r in
            let caps = (0..<problem.hostCount).filter(problem.acceptsVMs).map { problem.capacity($0, r) }.filter(\.isFinite)
            return caps.max().flatMap { $0 > 0 ? $0 : nil }
        }
    }

    /// Normalized size of each VM: demand over resources and buckets, each resource scaled
    /// by the largest usable capacity.
    static func sizes(_ problem: PlacementProblem) -> [Double] {
        let scale = scale(problem), B = Double(problem.buckets)
        return (0..<problem.vmCount).map { v in
            (0..<problem.resourceCount).reduce(0.0) { sum, r in
                guard let s = scale[r] else { return sum }
                var total = 0.0
                for b in 0..<problem.buckets { total += problem.demand(v, r, b) }
                return sum + total / (s * B)
            }
        }
    }

    /// VMs by decreasing normalized size; ties by index.
    static func vmOrder(_ problem: PlacementProblem, vms: [Int]) -> [Int] {
        let size = sizes(problem)
        return vms.sorted { size[$0] != size[$1] ? size[$0] > size[$1] : $0 < $1 }
    }

    static func itemOrder(_ problem: PlacementProblem, _ items: [PackingItem], sizes given: [Double]? = nil) -> [PackingItem] {
        let size = given ?? sizes(problem)
        let itemSize = items.map { $0.vms.reduce(0) { $0 + size[$1] } }
        return items.indices.sorted { itemSize[$0] != itemSize[$1] ? itemSize[$0] > itemSize[$1] : items[$0].vms[0] < items[$1].vms[0] }.map { items[$0] }
    }

    /// Hosts that take VMs, largest normalized capacity first (cheapest capacity first when
    /// the objective is cost), identical hosts kept together.
    static func hostOrder(_ problem: PlacementProblem) -> [Int] {
        let scale = scale(problem), R = problem.resourceCount
        let hosts = (0..<problem.hostCount).filter(problem.acceptsVMs)
        let size = Dictionary(uniqueKeysWithValues: hosts.map { h in
            (h, (0..<R).reduce(0.0) { sum, r in scale[r].map { sum + min(problem.capacity(h, r), $0) / $0 } ?? sum })
        })
        let byCost = problem.objective == .cost
        return hosts.sorted { a, b in
            if byCost {
                let ca = problem.cost(a) / max(size[a]!, 1e-9), cb = problem.cost(b) / max(size[b]!, 1e-9)
                if ca != cb { return ca < cb }
            }
            if size[a]! != size[b]! { return size[a]! > size[b]! }
            for r in 0..<R where problem.capacity(a, r) != problem.capacity(b, r) {
                return problem.capacity(a, r) > problem.capacity(b, r)
            }
            return a < b
        }
    }
}

/// What a heuristic places in one step: an affinity unit (its VMs go together) or one VM.
struct PackingItem {
    var vms: [Int]
    var pinnedHost: Int

    /// The items covering `vms`; a unit appears once, and only if all of it is in `vms`.
    static func items(_ problem: PlacementProblem, vms: [Int]) -> [PackingItem] {
        let rules = problem.rules
        let wanted = Set(vms)
        var seenUnits = Set<Int>()
        var items: [PackingItem] = []
        for v in vms.sorted() where rules.impossible[v] == nil {
            let u = rules.unitOf[v]
            if u >= 0 {
                guard seenUnits.insert(u).inserted, rules.units[u].allSatisfy(wanted.contains) else { continue }
                let members = rules.units[u]
                items.append(PackingItem(vms: members, pinnedHost: members.map { rules.pinnedHost[$0] }.max() ?? -1))
            } else {
                items.append(PackingItem(vms: [v], pinnedHost: rules.pinnedHost[v]))
            }
        }
        return items
    }
}
