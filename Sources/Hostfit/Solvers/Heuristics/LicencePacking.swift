/// Greedy packing when VMs need licences that their host pays for (`LicenceCosts`).
///
/// Size-ordered packing scatters the VMs that need a licence, and each host one lands on
/// pays for it. Here they go first, grouped by the licences they need (the dearest group
/// first, then by decreasing size), each onto the open host where it adds the least
/// licence cost (first fit among equals), and onto a new host only when buying or running
/// it costs less than licensing one already open. The VMs that need nothing follow, first
/// fit decreasing, into the room left. O(V log V + V x H x R x B), deterministic.
enum LicencePacking {
    static func solve(_ problem: PlacementProblem, vms: [Int]) -> Assignment {
        var state = PackingState(problem)
        var tally = LicenceTally(problem)
        func place(_ item: PackingItem, on h: Int) {
            state.place(item, on: h)
            for v in item.vms { tally.add(v, to: h) }
        }
        let items = PackingItem.items(problem, vms: vms)
        for item in items where item.pinnedHost >= 0 && state.loads.fits(item.vms, on: item.pinnedHost) {
            place(item, on: item.pinnedHost)
        }
        let needs = problem.licensing.needs, H = max(problem.hostCount, 1)
        // A licence's weight: its price averaged over hosts; a group's, its licences' sum.
        let meanPrice = problem.licensing.licences.indices.map { l in
            (0..<problem.hostCount).reduce(0.0) { $0 + problem.licensing.price($1, l) } / Double(H)
        }
        let free = items.filter { $0.pinnedHost < 0 }
        let signature = free.map { Array(Set($0.vms.flatMap { needs[$0] })).sorted() }
        let weight = signature.map { $0.reduce(0.0) { $0 + meanPrice[$1] } }
        let ordered = FirstFitDecreasing.itemOrder(problem, free)
        let position = Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($1.vms[0], $0) })
        let order = free.indices.sorted { a, b in
            let (wa, wb) = (weight[a], weight[b])
            if wa != wb { return wa > wb }
            if signature[a] != signature[b] { return signature[a].lexicographicallyPrecedes(signature[b]) }
            return position[free[a].vms[0]]! < position[free[b].vms[0]]!
        }
        for k in order {
            let item = free[k]
            var best = -1, bestCost = Double.infinity
            for h in state.open where state.loads.fits(item.vms, on: h) {
                let added = tally.added(item.vms, on: h)
                if added < bestCost { best = h; bestCost = added }
                if added == 0 { break }
            }
            if bestCost > 0, let h = state.closed.first(where: { state.loads.fits(item.vms, on: $0) }),
               problem.cost(h) + tally.added(item.vms, on: h) < bestCost {
                best = h
            }
            if best >= 0 { place(item, on: best) }
        }
        if problem.rules.reserve > 0 { ReserveRepair.run(&state, items: items) }
        return state.assignment
    }
}
