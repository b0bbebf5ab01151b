import Foundation

/// The files `hostfit plan --out DIR` writes: placements.csv, hosts.csv, unplaced.csv and
/// summary.json, made from a validated plan only.
public struct PlanReport {
    public let plan: ValidatedPlan

    public init(_ plan: ValidatedPlan) {
        self.plan = plan
    }

    public func write(to directory: String) throws {
        try AtomicFile.writeAll([
            ("placements.csv", placementsCSV()),
            ("hosts.csv", hostsCSV()),
            ("unplaced.csv", unplacedCSV()),
            ("summary.json", summaryJSON()),
        ], into: directory)
    }

    /// `vm,host`, one row per placed VM.
    public func placementsCSV() -> String {
        var csv = CSVWriter(header: ["vm", "host"])
        for entry in plan.placement.entries { csv.append([entry.vm, entry.host]) }
        return csv.text
    }

    /// One row per host: VMs, peak and mean utilization per resource (percent of full
    /// capacity), the limiting resource, then descriptive columns.
    public func hostsCSV() -> String {
        let resources = plan.problem.resources
        var header = ["host", "vms"]
        for resource in resources { header += ["\(resource.name)_peak_pct", "\(resource.name)_mean_pct"] }
        header += ["limiting_resource", "cluster", "model", "state", "power_w"]
        var csv = CSVWriter(header: header)
        for usage in plan.usage where usage.vms > 0 || !plan.problem.purchasable.contains(usage.host) {
            let host = plan.problem.hosts[usage.host]
            var row = [host.id, String(usage.vms)]
            for r in resources.indices {
                row += [CSVWriter.number(usage.peakPercent[r]), CSVWriter.number(usage.meanPercent[r])]
            }
            row += [usage.limitingResource?.name ?? "", host.cluster, host.model, host.state.rawValue, CSVWriter.number(usage.watts, digits: 0)]
            csv.append(row)
        }
        return csv.text
    }

    /// `vm,reason`, one row per VM without a host.
    public func unplacedCSV() -> String {
        var csv = CSVWriter(header: ["vm", "reason"])
        for item in plan.unplaced { csv.append([item.vm, item.reason]) }
        return csv.text
    }

    public var summary: PlanSummary {
        let outcome = plan.outcome, problem = plan.problem
        return PlanSummary(
            hostsUsed: plan.hostsUsed,
            hostsAvailable: (0..<problem.hostCount).count { problem.acceptsVMs($0) && !problem.purchasable.contains($0) },
            lowerBound: outcome.lowerBound.hosts,
            lowerBoundMethod: outcome.lowerBound.description,
            solver: outcome.solver,
            status: outcome.status.rawValue,
            gap: outcome.gap.map { ($0 * 10_000).rounded() / 10_000 },
            cost: plan.cost,
            powerW: plan.watts.map { $0.rounded() },
            migrations: plan.migrations,
            runTimeS: (outcome.seconds * 1000).rounded() / 1000,
            vms: problem.vmCount,
            vmsPlaced: outcome.assignment.placedCount,
            vmsUnplaced: outcome.assignment.unplacedCount,
            resources: problem.resources.map(\.name),
            headroomPct: Dictionary(uniqueKeysWithValues: problem.resources.map { ($0.name, problem.headroom.fraction(for: $0) * 100) }),
            notes: problem.notes + outcome.notes.map(\.message),
            objective: problem.objective.rawValue,
            buy: Dictionary(grouping: plan.usage.filter { $0.vms > 0 && problem.purchasable.contains($0.host) }, by: { problem.hosts[$0.host].model })
                .mapValues(\.count))
    }

    public func summaryJSON() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding a struct of plain values cannot fail.
        return String(decoding: try! encoder.encode(summary), as: UTF8.self) + "\n"
    }
}

/// summary.json. `gap` is (hosts used - lower bound) / hosts used, 0 when proven optimal,
/// null when VMs were left unplaced (the bound is then for placing them all).
public struct PlanSummary: Codable, Sendable, Equatable {
    public var hostsUsed: Int
    public var hostsAvailable: Int
    public var lowerBound: Int
    public var lowerBoundMethod: String
    public var solver: String
    public var status: String
    public var gap: Double?
    public var cost: Double?
    public var powerW: Double?
    public var migrations: Int
    public var runTimeS: Double
    public var vms: Int
    public var vmsPlaced: Int
    public var vmsUnplaced: Int
    public var resources: [String]
    public var headroomPct: [String: Double]
    public var notes: [String]
    /// "hosts" or "cost": what the plan minimized first.
    public var objective: String = "hosts"
    /// Hosts to buy per catalog model.
    public var buy: [String: Int] = [:]

    enum CodingKeys: String, CodingKey {
        case hostsUsed = "hosts_used", hostsAvailable = "hosts_available", lowerBound = "lower_bound"
        case lowerBoundMethod = "lower_bound_method", solver, status, gap, cost, powerW = "power_w", migrations
        case runTimeS = "run_time_s", vms, vmsPlaced = "vms_placed", vmsUnplaced = "vms_unplaced", resources
        case headroomPct = "headroom_pct", notes, objective, buy
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(hostsUsed, forKey: .hostsUsed)
        try c.encode(hostsAvailable, forKey: .hostsAvailable)
        try c.encode(lowerBound, forKey: .lowerBound)
        try c.encode(lowerBoundMethod, forKey: .lowerBoundMethod)
        try c.encode(solver, forKey: .solver)
        try c.encode(status, forKey: .status)
        try c.encode(gap, forKey: .gap)
        try c.encode(cost, forKey: .cost)        // null, not absent, when unknown
        try c.encode(powerW, forKey: .powerW)
        try c.encode(migrations, forKey: .migrations)
        try c.encode(runTimeS, forKey: .runTimeS)
        try c.encode(vms, forKey: .vms)
        try c.encode(vmsPlaced, forKey: .vmsPlaced)
        try c.encode(vmsUnplaced, forKey: .vmsUnplaced)
        try c.encode(resources, forKey: .resources)
        try c.encode(headroomPct, forKey: .headroomPct)
        try c.encode(notes, forKey: .notes)
        try c.encode(objective, forKey: .objective)
        try c.encode(buy, forKey: .buy)
    }
}
