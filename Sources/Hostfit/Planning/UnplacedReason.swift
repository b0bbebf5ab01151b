/// Why a VM has no host in a plan, in the words a capacity planner uses:
/// "needs 48 GB memory, the largest host offers 31 GB (90% of 34 GB)".
public enum UnplacedReason {
    /// Reasons for every VM the assignment leaves without a host, in VM order.
    public static func explainAll(in problem: PlacementProblem, assignment: Assignment) -> [(vm: String, reason: String)] {
        let unplaced = assignment.hostOf.indices.filter { assignment.hostOf[$0] < 0 }
        guard !unplaced.isEmpty else { return [] }
        var loads = HostLoads(problem)
        for (vm, h) in assignment.hostOf.enumerated() where h >= 0 { loads.add(vm, to: h) }
        loads.hostOf = assignment.hostOf
        return unplaced.map { v in
            let tally = causes(v, in: problem, loads: loads)
            return (problem.vms[v].id, explain(v, in: problem, loads: loads) + " (" + summary(tally, hosts: problem.hostCount) + ")")
        }
    }

    /// The causes of every unplaced VM, summed: what keeps the most VMs out, first.
    public static func causesOverAll(in problem: PlacementProblem, assignment: Assignment) -> [String: Int] {
        var loads = HostLoads(problem)
        for (vm, h) in assignment.hostOf.enumerated() where h >= 0 { loads.add(vm, to: h) }
        loads.hostOf = assignment.hostOf
        var total: [String: Int] = [:]
        for v in assignment.hostOf.indices where assignment.hostOf[v] < 0 {
            for (cause, n) in causes(v, in: problem, loads: loads) { total[cause, default: 0] += n }
        }
        return total
    }

    /// Why each host cannot take the VM, counted per cause as Kubernetes' scheduler says it
    /// ("0/7 nodes are available: 4 Insufficient cpu, 1 node(s) had taint..."): every
    /// resource that does not fit counts, as does each rule. Keys: a resource name, a host
    /// state, "tag NAME", "cluster", "pinned", "max_vms", "anti-affinity GROUP".
    public static func causes(_ v: Int, in problem: PlacementProblem, loads: HostLoads) -> [String: Int] {
        var tally: [String: Int] = [:]
        for h in 0..<problem.hostCount where !problem.isPurchasable(h) || problem.hosts[h].state == .active {
            for blocker in loads.blockers(v, on: h) { tally[blocker.key, default: 0] += 1 }
        }
        return tally
    }

    /// "0/7 hosts fit: 4 cpu, 2 memory, 1 maintenance", most common first.
    public static func summary(_ tally: [String: Int], hosts: Int, fitting: Int = 0) -> String {
        let parts = tally.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { "\($0.value) \($0.key)" }
        return "\(fitting)/\(hosts) hosts fit" + (parts.isEmpty ? "" : ": " + parts.joined(separator: ", "))
    }

    static func explain(_ v: Int, in problem: PlacementProblem, loads: HostLoads) -> String {
        if let violation = problem.rules.impossible[v] { return "[\(violation.rule.rawValue)] \(violation.message)" }
        guard (0..<problem.hostCount).contains(where: problem.acceptsVMs) else {
            return "no host is active (every host is in maintenance, failed or has max_vms 0)"
        }
        // Only the hosts its rules allow count.
        let active = (0..<problem.hostCount).filter { problem.acceptsVMs($0) && problem.rules.allows(v, $0) }
        let R = problem.resourceCount
        // Too big for any host, even an empty one.
        if !active.contains(where: { problem.fitsEmpty(v, $0) }) {
            // Every resource that no host can hold, each with the largest offer.
            let short = (0..<R).compactMap { r -> String? in
                let need = problem.peakDemand(v, r)
                guard let h = active.max(by: { problem.capacity($0, r) < problem.capacity($1, r) }), need > problem.capacity(h, r) else { return nil }
                return "needs \(problem.resources[r].format(need)), the largest host offers \(offer(problem, h, r, problem.capacity(h, r)))"
            }
            return short.isEmpty ? "no single host has room for all of it at once, even empty" : short.joined(separator: "; ")
        }
        // Fits an empty host, but every host that could take it is full.
        let full = (0..<R).compactMap { r -> String? in
            let need = problem.peakDemand(v, r)
            let free = active.map { h in (h, problem.capacity(h, r) - loads.peak(h, r)) }
            guard let best = free.max(by: { $0.1 < $1.1 }), best.1 < need else { return nil }
            return "needs \(problem.resources[r].format(need)), the most free on any host is \(problem.resources[r].format(max(0, best.1))) on '\(problem.hosts[best.0].id)'"
        }
        if !full.isEmpty { return full.joined(separator: "; ") }
        if let h = active.first(where: { h in problem.hosts[h].maxVMs.map { loads.count[h] >= $0 } ?? false }) {
            return "every host with room is at its max_vms (as '\(problem.hosts[h].id)')"
        }
        let rules = problem.rules
        let roomy = active.filter { h in (0..<R).allSatisfy { r in problem.capacity(h, r) - loads.peak(h, r) >= problem.peakDemand(v, r) } }
        let taken = { (g: Int) in Set(rules.antiAffinityGroups[g].vms.map { loads.hostOf[$0] }.filter { $0 >= 0 }) }
        if let g = rules.antiAffinityOf[v].first(where: { !roomy.isEmpty && Set(roomy).isSubset(of: taken($0)) }) {
            return "[anti-affinity] every host with room runs a VM of its group '\(rules.antiAffinityGroups[g].name)'"
        }
        if rules.unitOf[v] >= 0 {
            return "[affinity] no host has room for its whole affinity group (\(rules.units[rules.unitOf[v]].count) VMs) at once"
        }
        if problem.settings.reserve > 0 {
            return "[n-plus-k] no host has room once each cluster keeps its N+\(problem.settings.reserve) reserve"
        }
        return "no host has room for all of its demand at once"
    }

    private static func offer(_ problem: PlacementProblem, _ h: Int, _ r: Int, _ cap: Double) -> String {
        let resource = problem.resources[r]
        let fraction = problem.headroom.fraction(for: resource)
        let raw = problem.rawCapacity[h * problem.resourceCount + r]
        return fraction < 1 ? "\(resource.format(cap)) (\(Resource.number(fraction * 100))% of \(resource.format(raw)))" : resource.format(cap)
    }
}
