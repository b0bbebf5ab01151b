/// A plan that passed `PlanValidator`: the only kind of plan the report writers accept,
/// whichever solver made it.
public struct ValidatedPlan: Sendable {
    public struct HostUsage: Sendable {
        public var host: Int
        public var vms: Int
        /// Per resource, percent of full capacity (before headroom); nil where untracked.
        public var peakPercent: [Double?]
        public var meanPercent: [Double?]
        /// The resource closest to its headroom target, for hosts that run VMs.
        public var limitingResource: Resource?
        public var watts: Double?
    }

    public let problem: PlacementProblem
    public let outcome: PlanOutcome
    public let placement: Placement
    public let unplaced: [(vm: String, reason: String)]
    public let usage: [HostUsage]

    public init(_ outcome: PlanOutcome, for problem: PlacementProblem) throws(PlanRejected) {
        let placement = outcome.assignment.placement(in: problem)
        let violations = PlanValidator.violations(of: placement, in: problem)
        guard violations.isEmpty else { throw PlanRejected(solver: outcome.solver, violations: violations) }
        self.problem = problem
        self.outcome = outcome
        self.placement = placement
        self.unplaced = UnplacedReason.explainAll(in: problem, assignment: outcome.assignment)
        self.usage = Self.usage(problem, outcome.assignment)
    }

    static func usage(_ problem: PlacementProblem, _ assignment: Assignment) -> [HostUsage] {
        let R = problem.resourceCount, B = problem.buckets
        var load = [Double](repeating: 0, count: problem.hostCount * R * B)
        var count = [Int](repeating: 0, count: problem.hostCount)
        for (v, h) in assignment.hostOf.enumerated() where h >= 0 {
            count[h] += 1
            for r in 0..<R { for b in 0..<B { load[(h * R + r) * B + b] += problem.demand(v, r, b) } }
        }
        return (0..<problem.hostCount).map { h in
            var peak = [Double?](repeating: nil, count: R), mean = peak
            var limiting: (Resource, Double)?
            for r in 0..<R {
                let raw = problem.rawCapacity[h * R + r]
                let series = load[((h * R + r) * B)..<((h * R + r) * B + B)]
                let top = series.max() ?? 0, average = series.reduce(0, +) / Double(B)
                if raw.isFinite && raw > 0 {
                    peak[r] = top / raw * 100
                    mean[r] = average / raw * 100
                }
                let cap = problem.capacity(h, r)
                if count[h] > 0, cap.isFinite, cap > 0, top / cap > (limiting?.1 ?? -1) { limiting = (problem.resources[r], top / cap) }
            }
            let cpu = problem.resources.firstIndex(of: .cpu).flatMap { mean[$0] }
            let watts = count[h] > 0 ? problem.hosts[h].estimatedWatts(cpuUtilization: (cpu ?? 0) / 100) : nil
            return HostUsage(host: h, vms: count[h], peakPercent: peak, meanPercent: mean, limitingResource: limiting?.0, watts: watts)
        }
    }

    public var hostsUsed: Int { usage.count { $0.vms > 0 } }

    /// The live migrations from the current placement in a safe one-at-a-time order.
    public var migrationOrder: MigrationOrder { MigrationOrder(problem, plan: outcome.assignment) }

    /// What the plan costs: its hosts and their licences; nil when neither has a price.
    public var cost: Double? {
        guard let licences = licenceCost else { return hardwareCost }
        return (hardwareCost ?? 0) + licences
    }

    /// Summed cost of the hosts used; nil when no host has a cost.
    public var hardwareCost: Double? {
        let used = usage.filter { $0.vms > 0 }.map { problem.hosts[$0.host].cost }
        return used.contains { $0 != nil } ? used.reduce(0) { $0 + ($1 ?? 0) } : nil
    }

    /// One licence paid on one host: for the host itself (its hypervisor's) or for its VMs.
    public struct LicencePaid: Sendable {
        public var host: Int
        public var licence: Licence
        public var units: Int
        public var cost: Double
    }

    /// Every licence each used host pays, host by host in host order; empty without prices.
    public var licencesPaid: [LicencePaid] {
        let licensing = problem.licensing
        guard !licensing.licences.isEmpty else { return [] }
        let tally = LicenceTally(problem, outcome.assignment)
        var paid: [LicencePaid] = []
        for use in usage where use.vms > 0 {
            let host = problem.hosts[use.host]
            for (l, licence) in licensing.licences.enumerated() where host.licences.contains(licence.name) || tally.pays(use.host, l) {
                let units = licence.billedUnits(on: host)
                paid.append(LicencePaid(host: use.host, licence: licence, units: units, cost: Double(units) * licence.price))
            }
        }
        return paid
    }

    /// Summed licence cost of the hosts used; nil when no licence is priced.
    public var licenceCost: Double? {
        problem.licensing.licences.isEmpty ? nil : licencesPaid.reduce(0) { $0 + $1.cost }
    }

    /// Estimated draw of the hosts used (idle hosts are assumed off); nil without power figures.
    public var watts: Double? {
        let figures = usage.compactMap(\.watts)
        return figures.isEmpty ? nil : figures.reduce(0, +)
    }

    /// VMs that now run on a known host and would move.
    public var migrations: Int {
        outcome.assignment.hostOf.enumerated().count { v, h in
            guard h >= 0, let current = problem.vms[v].currentHost else { return false }
            return current != problem.hosts[h].id
        }
    }
}

/// A solver produced a plan the validator rejects: a bug, never written out.
public struct PlanRejected: Error, CustomStringConvertible {
    public var solver: String
    public var violations: [Violation]
    public var description: String {
        "internal error: the \(solver) plan failed validation, nothing was written:\n" + violations.map { "  \($0)" }.joined(separator: "\n")
    }
}
