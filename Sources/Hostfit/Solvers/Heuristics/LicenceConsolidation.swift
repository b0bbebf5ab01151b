/// After packing, hosts that pay a licence for few VMs: move those VMs onto hosts that pay
/// for it already, where they fit and the move saves more than it adds (the licence here
/// against anything the targets would start paying). Repeats until no host gives one up.
/// Pinned VMs and affinity units stay whole; no host is opened. O(passes x V x H x R x B).
enum LicenceConsolidation {
    static func run(_ assignment: Assignment, _ problem: PlacementProblem, allowance: Allowance = .unlimited()) -> Assignment {
        guard problem.licensing.placementMatters else { return assignment }
        var state = PackingState(problem, from: assignment)
        var tally = LicenceTally(problem, assignment)
        let items = PackingItem.items(problem, vms: assignment.hostOf.indices.filter { assignment.hostOf[$0] >= 0 })
        let L = problem.licensing.licences.count, needs = problem.licensing.needs
        let fit = WorkMeter.fitCost(problem)
        var improved = true, passes = 0
        while improved, passes < 20, !allowance.expired {
            improved = false
            passes += 1
            // Cheapest to give up first: the fewest VMs holding the licence on the host.
            var candidates: [(host: Int, licence: Int, holders: [PackingItem])] = []
            // The licensed items on each host, grouped once per pass: O(V), not O(H x L x V).
            var licensedOn: [Int: [PackingItem]] = [:]
            for item in items where item.vms.contains(where: { !needs[$0].isEmpty }) {
                licensedOn[state.assignment.hostOf[item.vms[0]], default: []].append(item)
            }
            for h in state.open {
                for l in 0..<L where tally.pays(h, l) {
                    candidates.append((h, l, (licensedOn[h] ?? []).filter { $0.vms.contains { needs[$0].contains(l) } }))
                }
            }
            candidates.sort { ($0.holders.count, $0.host, $0.licence) < ($1.holders.count, $1.host, $1.licence) }
            for (h, l, holders) in candidates where tally.pays(h, l) && holders.allSatisfy({ $0.pinnedHost < 0 }) {
                if allowance.expired { break }
                guard holders.allSatisfy({ state.assignment.hostOf[$0.vms[0]] == h }) else { continue }
                allowance.spend(Double(holders.count * state.open.count) * fit)
                // Moves in place, undone when they do not pay (a copy of the loads per
                // candidate would cost more than the search).
                var moved: [(item: PackingItem, to: Int)] = [], gain = 0.0, complete = true
                for item in holders {
                    gain += tally.saved(item.vms, from: h)
                    state.unplace(item)
                    for v in item.vms { tally.remove(v, from: h) }
                    let target = state.open.filter { $0 != h && state.loads.count[$0] > 0 && tally.pays($0, l) && state.loads.fits(item.vms, on: $0) }
                        .min { (tally.added(item.vms, on: $0), $0) < (tally.added(item.vms, on: $1), $1) }
                    guard let target else {
                        state.place(item, on: h)
                        for v in item.vms { tally.add(v, to: h) }
                        complete = false
                        break
                    }
                    gain -= tally.added(item.vms, on: target)
                    state.place(item, on: target)
                    for v in item.vms { tally.add(v, to: target) }
                    moved.append((item, target))
                }
                // Emptying the host saves its own cost too.
                if complete, state.loads.count[h] == 0 { gain += problem.cost(h) }
                if complete, gain > 1e-9, problem.rules.reserve == 0 || Improvement.reserveHolds(state) {
                    state.closeEmptyHosts()
                    improved = true
                    continue
                }
                for (item, target) in moved.reversed() {
                    state.unplace(item)
                    for v in item.vms { tally.remove(v, from: target) }
                    state.place(item, on: h)
                    for v in item.vms { tally.add(v, to: h) }
                }
            }
        }
        return state.assignment
    }
}
