/// Who pays: each host's cost and power split among its VMs by their share of the host's
/// limiting resource, then summed per cost centre (showback).
///
/// Why the limiting resource: it is the one that filled the host, so it is what made the
/// host necessary; a VM heavy in a resource the host has plenty of did not cause the host to
/// be bought. This is the FinOps Foundation's "proportional to consumption of the driving
/// resource" allocation of shared cost, with the driver chosen per host. A host whose VMs
/// use none of it splits evenly. The same rule charges cost centres in a plan
/// (chargeback.csv) and tenants in the estate as it runs (the service's GET /chargeback).
public struct Chargeback: Sendable {
    public struct Line: Sendable {
        public var costCenter: String
        public var vms: Int
        /// Hosts' worth: the summed shares of the hosts its VMs fill.
        public var hostShare: Double
        public var cost: Double
        public var watts: Double
        public var vcpus: Int
        public var memoryMB: Double
    }

    /// VMs without a cost centre are charged to this one.
    public static let unassigned = "(none)"

    public var lines: [Line]

    /// A plan's hosts charged to the cost centres of their VMs.
    public init(_ plan: ValidatedPlan) {
        self.init(problem: plan.problem, hostOf: plan.outcome.assignment.hostOf, usage: plan.usage) { $0.costCenter }
    }

    /// The placement as it stands (each VM on its `currentHost`), charged to `payer(vm)`
    /// (nil: `unassigned`).
    public init(standing problem: PlacementProblem, payer: (VM) -> String?) {
        let hostOf = problem.vms.map { vm in vm.currentHost.flatMap { problem.host(named: $0) } ?? Assignment.unplaced }
        self.init(problem: problem, hostOf: hostOf, usage: ValidatedPlan.usage(problem, Assignment(hostOf: hostOf)), payer: payer)
    }

    /// Each used host's cost and power, split among its VMs' payers.
    public var hosts: [(host: String, cost: Double, watts: Double)] = []

    init(problem: PlacementProblem, hostOf: [Int], usage hostUsage: [ValidatedPlan.HostUsage], payer: (VM) -> String?) {
        var lines: [String: Line] = [:]
        var members = [[Int]](repeating: [], count: problem.hostCount)
        for (v, h) in hostOf.enumerated() where h >= 0 { members[h].append(v) }
        let licensing = problem.licensing
        for (h, vms) in members.enumerated() where !vms.isEmpty {
            let usage = hostUsage[h]
            let r = usage.limitingResource.flatMap { problem.resources.firstIndex(of: $0) }
            let weights = vms.map { v in r.map { problem.peakDemand(v, $0) } ?? 0 }
            let total = weights.reduce(0, +)
            // A licence the host pays for its VMs is theirs alone: split among the VMs that
            // need it, by the same weights (evenly where they weigh nothing).
            var licenceShare = [Double](repeating: 0, count: vms.count)
            var licences = 0.0
            for l in licensing.licences.indices {
                let needing = vms.indices.filter { licensing.needs[vms[$0]].contains(l) }
                guard !needing.isEmpty else { continue }
                let price = licensing.price(h, l), weight = needing.reduce(0.0) { $0 + weights[$1] }
                licences += price
                for k in needing { licenceShare[k] += price * (weight > 0 ? weights[k] / weight : 1 / Double(needing.count)) }
            }
            hosts.append((problem.hosts[h].id, problem.cost(h) + licences, usage.watts ?? 0))
            for (k, v) in vms.enumerated() {
                let vm = problem.vms[v]
                let share = total > 0 ? weights[k] / total : 1 / Double(vms.count)
                let centre = payer(vm) ?? Self.unassigned
                var line = lines[centre] ?? Line(costCenter: centre, vms: 0, hostShare: 0, cost: 0, watts: 0, vcpus: 0, memoryMB: 0)
                line.vms += 1
                line.hostShare += share
                line.cost += share * problem.cost(h) + licenceShare[k]
                line.watts += share * (usage.watts ?? 0)
                line.vcpus += vm.vcpus
                line.memoryMB += vm.memoryMB
                lines[centre] = line
            }
        }
        self.lines = lines.values.sorted { $0.cost != $1.cost ? $0.cost > $1.cost : $0.costCenter < $1.costCenter }
    }
}
