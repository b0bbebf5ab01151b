/// Meets an N+k reserve after packing: while a cluster could not lose its k largest used
/// hosts and still hold its demand, the next host of that cluster joins the plan and takes
/// items from the fullest hosts until it is as loaded as they are. Adding a host adds its
/// capacity to what survives a failure; spreading keeps it from being the largest. When the
/// cluster has no host left, its largest items leave it (for another cluster, or unplaced)
/// until the reserve holds: the plan stays valid whatever the cluster sizes.
enum ReserveRepair {
    static func run(_ state: inout PackingState, items: [PackingItem]) {
        let problem = state.loads.problem
        let itemOf = Dictionary(items.enumerated().flatMap { k, item in item.vms.map { ($0, k) } }, uniquingKeysWith: { a, _ in a })
        let size = FirstFitDecreasing.sizes(problem)
        var evicted = Set<Int>()
        var changed = true
        while changed {
            changed = false
            for c in problem.rules.clusters.indices {
                while state.loads.reserveRatio(cluster: c) > 1 {
                    if let spare = state.closed.first(where: { problem.rules.clusterOf[$0] == c }) {
                        state.openHost(spare)
                        spread(&state, onto: spare, cluster: c, items: items, itemOf: itemOf)
                        continue
                    }
                    // No host left to add: the largest movable item leaves the cluster.
                    let inCluster = Set(state.assignment.hostOf.indices.filter {
                        state.assignment.hostOf[$0] >= 0 && problem.rules.clusterOf[state.assignment.hostOf[$0]] == c
                    }.compactMap { itemOf[$0] }).filter { !evicted.contains($0) && items[$0].pinnedHost < 0 }
                    guard let k = inCluster.max(by: { a, b in
                        let sa = items[a].vms.reduce(0) { $0 + size[$1] }, sb = items[b].vms.reduce(0) { $0 + size[$1] }
                        return sa != sb ? sa < sb : a > b
                    }) else { break }
                    evicted.insert(k)
                    state.unplace(items[k])
                    let elsewhere = (state.open + state.closed).first { problem.rules.clusterOf[$0] != c && state.loads.fits(items[k].vms, on: $0) }
                    if let h = elsewhere { state.place(items[k], on: h) }
                    changed = true
                }
            }
        }
        // Pinned items the reserve could not keep go too (their host is fixed).
        for c in problem.rules.clusters.indices where state.loads.reserveRatio(cluster: c) > 1 {
            for item in items where item.vms.contains(where: { state.assignment.hostOf[$0] >= 0 && problem.rules.clusterOf[state.assignment.hostOf[$0]] == c }) {
                state.unplace(item)
            }
        }
        state.closeEmptyHosts()
    }

    /// Moves movable items from the fullest hosts of the cluster onto `target` while that
    /// lowers the fullest host's load.
    private static func spread(_ state: inout PackingState, onto target: Int, cluster c: Int, items: [PackingItem], itemOf: [Int: Int]) {
        let problem = state.loads.problem
        for _ in 0..<problem.vmCount {
            let hosts = state.open.filter { problem.rules.clusterOf[$0] == c && $0 != target && state.loads.count[$0] > 0 }
            guard let fullest = hosts.max(by: { state.loads.utilization($0) < state.loads.utilization($1) }) else { return }
            let before = state.loads.utilization(fullest)
            guard state.loads.utilization(target) < before else { return }
            let movable = Set(state.assignment.hostOf.indices.filter { state.assignment.hostOf[$0] == fullest }.compactMap { itemOf[$0] })
                .map { items[$0] }.filter { $0.pinnedHost < 0 }
                .sorted { $0.vms[0] < $1.vms[0] }
            var moved = false
            for item in movable {
                state.unplace(item)
                if state.loads.fits(item.vms, on: target) && state.loads.utilization(target) < before {
                    state.place(item, on: target)
                    if state.loads.utilization(target) <= before { moved = true; break }
                    state.unplace(item)
                }
                state.place(item, on: fullest)
            }
            if !moved { return }
        }
    }
}
