/// Bin-centric greedy packing: one host at a time, filled by repeatedly taking the VM
/// that fits it best (by the rule's score: the dot product of demand and room, or the room
/// left), until none fits; then the next host. Where first fit places each VM on the first
/// host with room and leaves every host a little short in some resource, filling one host
/// with the VMs that complement its room packs several resources far tighter: on Panigrahy's
/// 3-D classes 6 and 7 (500 items) 2% and 6% fewer hosts than FFD-Sum, as Panigrahy, Talwar,
/// Uyeda & Wieder ("Heuristics for Vector Bin Packing", MSR 2011) found for the bin-centric
/// family, and as the benchmark's own summary of heuristics (its "BC" column) shows.
///
/// Same rules as the other packers: pinned items first, every placement passes `HostLoads`,
/// hosts opened in `FirstFitDecreasing.hostOrder`, an N+k reserve met afterwards.
///
/// Complexity: O(V² x R x B) in the worst case (each host scans the VMs left), so the
/// planner runs it only where that is a small part of the work budget
/// (`BinCentricPacking.fitTests`). Deterministic: ties go to the earlier item in size order.
enum BinCentricPacking {
    static func solve(_ problem: PlacementProblem, vms: [Int], rule: PackingRule) -> Assignment {
        var state = PackingState(problem)
        let items = PackingItem.items(problem, vms: vms)
        for item in items where item.pinnedHost >= 0 {
            if state.loads.fits(item.vms, on: item.pinnedHost) { state.place(item, on: item.pinnedHost) }
        }
        let scale = FirstFitDecreasing.scale(problem)
        var left = FirstFitDecreasing.itemOrder(problem, items.filter { $0.pinnedHost < 0 }, sizes: rule.sizes(problem))
        // Hosts already holding pinned VMs are filled first, then the closed ones in order.
        for host in state.open + state.closed {
            guard !left.isEmpty else { break }
            while true {
                var best = -1, bestScore = -Double.infinity
                for (i, item) in left.enumerated() where state.loads.fits(item.vms, on: host) {
                    let score = rule.score(item.vms, on: host, state.loads, scale: scale)
                    if score > bestScore { best = i; bestScore = score }
                }
                guard best >= 0 else { break }
                state.place(left.remove(at: best), on: host)
            }
        }
        if problem.rules.reserve > 0 { ReserveRepair.run(&state, items: items) }
        return state.assignment
    }

    /// About how many fit tests a run makes on `vms` VMs: each placement scans the VMs left,
    /// each host once more when it is full.
    static func fitTests(vms: Int, hosts: Int) -> Double {
        Double(vms) * Double(vms) / 2 + Double(min(vms, hosts)) * Double(vms) / 2
    }
}
