/// Fewer migrations at the same host count, after packing (the second objective):
/// 1. Hosts that are interchangeable (same capacities, limits, cost, tags, cluster) may swap
///    their whole load: each class's loads go to the hosts their VMs already run on,
///    greatest overlap first (a greedy assignment).
/// 2. A VM still away from its current host goes back when that host is in the plan and
///    has room.
/// Pinned VMs and affinity units are respected; no host is added. O(V + H^2 per class).
enum MigrationRepair {
    static func run(_ assignment: Assignment, _ problem: PlacementProblem) -> Assignment {
        guard problem.vms.contains(where: { $0.currentHost != nil }) else { return assignment }
        let current = problem.vms.map { vm in vm.currentHost.flatMap { problem.hostIndex[$0] } ?? -1 }
        var result = relabel(assignment, problem, current: current)
        var state = PackingState(problem, from: result)
        var tally = LicenceTally(problem, result)
        let items = PackingItem.items(problem, vms: result.hostOf.indices.filter { result.hostOf[$0] >= 0 })
        for item in items where item.pinnedHost < 0 {
            let targets = Set(item.vms.map { current[$0] })
            guard targets.count == 1, let home = targets.first, home >= 0,
                  state.assignment.hostOf[item.vms[0]] != home, state.loads.count[home] > 0 else { continue }
            let from = state.assignment.hostOf[item.vms[0]]
            // Going home must not make the plan dearer in licences.
            if problem.licensing.placementMatters, tally.added(item.vms, on: home) > tally.saved(item.vms, from: from) { continue }
            state.unplace(item)
            if state.loads.fits(item.vms, on: home) {
                state.place(item, on: home)
                if problem.rules.reserve > 0, !problem.rules.clusters.indices.allSatisfy({ state.loads.reserveRatio(cluster: $0) <= 1 }) {
                    state.unplace(item)
                    state.place(item, on: from)
                } else {
                    for v in item.vms { tally.remove(v, from: from); tally.add(v, to: home) }
                }
            } else {
                state.place(item, on: from)
            }
        }
        state.closeEmptyHosts()
        result = state.assignment
        return result
    }

    private static func relabel(_ assignment: Assignment, _ problem: PlacementProblem, current: [Int]) -> Assignment {
        var byClass: [String: [Int]] = [:]
        for h in 0..<problem.hostCount where problem.accepting[h] { byClass[AssignmentModel.classKey(problem, h), default: []].append(h) }
        var mapping = Array(0..<problem.hostCount)
        for hosts in byClass.values where hosts.count > 1 {
            // overlap[a][b]: VMs planned on a that run on b today.
            let members = Set(hosts)
            var overlap: [Int: [Int: Int]] = [:]
            for (v, h) in assignment.hostOf.enumerated() where h >= 0 && members.contains(h) && current[v] >= 0 && members.contains(current[v]) {
                overlap[h, default: [:]][current[v], default: 0] += 1
            }
            let pairs = overlap.flatMap { a, row in row.map { (a, $0.key, $0.value) } }.sorted { ($0.2, -$0.0, -$0.1) > ($1.2, -$1.0, -$1.1) }
            var usedFrom = Set<Int>(), usedTo = Set<Int>()
            var local: [Int: Int] = [:]
            for (a, b, _) in pairs where !usedFrom.contains(a) && !usedTo.contains(b) {
                local[a] = b; usedFrom.insert(a); usedTo.insert(b)
            }
            let restFrom = hosts.filter { !usedFrom.contains($0) }, restTo = hosts.filter { !usedTo.contains($0) }
            for (a, b) in zip(restFrom, restTo) { local[a] = b }
            for (a, b) in local { mapping[a] = b }
        }
        // A pinned VM must keep its host: leave classes with pinned VMs as they are.
        var result = assignment
        for (v, h) in assignment.hostOf.enumerated() where h >= 0 { result.hostOf[v] = mapping[h] }
        let pinnedMoved = problem.rules.pinnedHost.enumerated().contains { v, p in p >= 0 && result.hostOf[v] >= 0 && result.hostOf[v] != p }
        return pinnedMoved ? assignment : result
    }
}
