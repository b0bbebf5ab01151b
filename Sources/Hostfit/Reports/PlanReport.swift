import Foundation

/// The files `hostfit plan --out DIR` writes: placements.csv, hosts.csv, unplaced.csv and
/// summary.json, made from a validated plan only.
public struct PlanReport {
    public let plan: ValidatedPlan
    /// Version, inputs and options, for summary.json (and `hostfit check` from it).
    public let record: RunRecord
    /// Computed once: the report's CSV and the headline both use it.
    public let migrationOrder: MigrationOrder
    /// Each VM's allocation against its use; sizing.csv when given.
    public let sizing: RightSizing?
    /// What the caller adds to summary.json's notes (a what-if scenario's own).
    public let extraNotes: [String]
    /// The same VMs on static sizes (`SizingComparison`), for report.html and summary.json.
    public var comparison: SizingComparison?
    /// The page's title in report.html.
    public var title = "Consolidation plan"

    public init(_ plan: ValidatedPlan, record: RunRecord = RunRecord(), sizing: RightSizing? = nil, notes: [String] = []) {
        self.plan = plan
        self.record = record
        self.migrationOrder = plan.migrationOrder
        self.sizing = sizing
        self.extraNotes = notes
    }

    /// Whether some VM names its cost centre (then chargeback.csv is written).
    public var hasCostCenters: Bool { plan.problem.vms.contains { $0.costCenter != nil } }

    public func write(to directory: String) throws {
        try AtomicFile.writeAll(files(), into: directory)
    }

    /// The files by name, for writers that add their own to the same atomic set.
    public func files() -> [(name: String, contents: String)] {
        var files = [
            ("placements.csv", placementsCSV()),
            ("hosts.csv", hostsCSV()),
            ("unplaced.csv", unplacedCSV()),
            ("summary.json", summaryJSON()),
        ]
        if let migrations = migrationsCSV() { files.append(("migrations.csv", migrations)) }
        if let sizing { files.append(("sizing.csv", Self.sizingCSV(sizing))) }
        if hasCostCenters { files.append(("chargeback.csv", Self.chargebackCSV(Chargeback(plan)))) }
        files.append(("report.html", html(title: title)))
        return files
    }

    /// Whether the inventory says where VMs run today.
    public var hasCurrentPlacement: Bool { plan.problem.vms.contains { $0.currentHost != nil } }

    /// `vm,host`, one row per placed VM; with a current placement, `current_host,moved` too.
    public func placementsCSV() -> String {
        guard hasCurrentPlacement else {
            var csv = CSVWriter(header: ["vm", "host"])
            for entry in plan.placement.entries { csv.append([entry.vm, entry.host]) }
            return csv.text
        }
        var csv = CSVWriter(header: ["vm", "host", "current_host", "moved"])
        let problem = plan.problem
        for entry in plan.placement.entries {
            let current = problem.vm(named: entry.vm).flatMap { problem.vms[$0].currentHost }
            csv.append([entry.vm, entry.host, current ?? "", current.map { $0 == entry.host ? "no" : "yes" } ?? "new"])
        }
        return csv.text
    }

    /// `step,vm,from,to,kind`: the migrations in a safe one-at-a-time order (`MigrationOrder`);
    /// kind is `migrate`, `park` (a temporary move that breaks a cycle) or `unsafe` (no safe
    /// place in the order). nil without a current placement.
    public func migrationsCSV() -> String? {
        guard hasCurrentPlacement else { return nil }
        var csv = CSVWriter(header: ["step", "vm", "from", "to", "kind"])
        let order = migrationOrder
        let unsafe = Set(order.unsafe)
        for step in order.steps {
            csv.append([String(step.step), step.vm, step.from, step.to, step.parking ? "park" : unsafe.contains(step.vm) ? "unsafe" : "migrate"])
        }
        return csv.text
    }

    /// One row per host: VMs, peak and mean utilization per resource (percent of full
    /// capacity), the limiting resource, then descriptive columns.
    public func hostsCSV() -> String {
        let resources = plan.problem.resources
        var header = ["host", "vms"]
        for resource in resources { header += ["\(resource.name)_peak_pct", "\(resource.name)_mean_pct"] }
        header += ["limiting_resource", "cluster", "model", "state", "power_w"]
        let priced = !plan.problem.licensing.licences.isEmpty
        if priced { header += ["licence_cost", "licences"] }
        let paid = Dictionary(grouping: plan.licencesPaid, by: \.host)
        var csv = CSVWriter(header: header)
        for usage in plan.usage where usage.vms > 0 || !plan.problem.purchasable.contains(usage.host) {
            let host = plan.problem.hosts[usage.host]
            var row = [host.id, String(usage.vms)]
            for r in resources.indices {
                row += [CSVWriter.number(usage.peakPercent[r]), CSVWriter.number(usage.meanPercent[r])]
            }
            row += [usage.limitingResource?.name ?? "", host.cluster, host.model, host.state.rawValue, CSVWriter.number(usage.watts, digits: 0)]
            if priced {
                let here = paid[usage.host] ?? []
                row += [usage.vms > 0 ? CSVWriter.number(here.reduce(0) { $0 + $1.cost }) : "", here.map(\.licence.name).joined(separator: ";")]
            }
            csv.append(row)
        }
        return csv.text
    }

    /// One row per VM: allocated, used at the percentile (memory also at its peak),
    /// recommended, the data's confidence and the verdict, for the VM and per resource.
    public static func sizingCSV(_ sizing: RightSizing) -> String {
        var csv = CSVWriter(header: ["vm", "vcpus", "memory_mb", "cpu_used_mhz", "cpu_used_pct", "memory_used_mb", "recommended_vcpus",
                                     "recommended_memory_mb", "confidence_stars", "verdict", "reason", "cost_center",
                                     "memory_peak_mb", "cpu_verdict", "memory_verdict"])
        for row in sizing.rows {
            csv.append([row.vm, String(row.vcpus), CSVWriter.number(row.memoryMB), CSVWriter.number(row.cpuUsedMHz), CSVWriter.number(row.cpuUsedPercent, digits: 1),
                        CSVWriter.number(row.memoryUsedMB), String(row.recommendedVCPUs), CSVWriter.number(row.recommendedMemoryMB),
                        row.confidenceStars.map(String.init) ?? "", row.verdict.rawValue, row.reason, row.costCenter ?? "",
                        CSVWriter.number(row.memoryPeakMB), row.cpuVerdict.rawValue, row.memoryVerdict.rawValue])
        }
        return csv.text
    }

    /// One row per cost centre: its VMs, the hosts' worth they fill, and that share of cost and power.
    public static func chargebackCSV(_ chargeback: Chargeback) -> String {
        var csv = CSVWriter(header: ["cost_center", "vms", "host_share", "cost", "power_w", "vcpus", "memory_mb"])
        for line in chargeback.lines {
            csv.append([line.costCenter, String(line.vms), CSVWriter.number(line.hostShare, digits: 3), CSVWriter.number(line.cost),
                        CSVWriter.number(line.watts, digits: 0), String(line.vcpus), CSVWriter.number(line.memoryMB)])
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
        let available = (0..<problem.hostCount).count { problem.acceptsVMs($0) && !problem.purchasable.contains($0) }
        let headroom = Dictionary(uniqueKeysWithValues: problem.resources.map { ($0.name, problem.headroom.fraction(for: $0) * 100) })
        let fitNoHost = (0..<problem.vmCount).count { v in !(0..<problem.hostCount).contains { problem.fitsEmpty(v, $0) } }
        let bought = plan.usage.filter { $0.vms > 0 && problem.purchasable.contains($0.host) }
        let buy: [String: Int] = Dictionary(grouping: bought, by: { problem.hosts[$0.host].model }).mapValues(\.count)
        let gap: Double? = outcome.gap.map { ($0 * 10_000).rounded() / 10_000 }
        var seen = Set<String>()
        let notes = (problem.notes + outcome.notes.map(\.message) + extraNotes).filter { seen.insert($0).inserted }
        return PlanSummary(
            hostsUsed: plan.hostsUsed, hostsAvailable: available,
            lowerBound: outcome.lowerBound.hosts, lowerBoundMethod: outcome.lowerBound.description,
            solver: outcome.solver, status: outcome.status.rawValue, gap: gap, cost: plan.cost,
            powerW: plan.watts.map { $0.rounded() }, migrations: plan.migrations,
            runTimeS: (outcome.seconds * 1000).rounded() / 1000, vms: problem.vmCount,
            vmsPlaced: outcome.assignment.placedCount, vmsUnplaced: outcome.assignment.unplacedCount,
            resources: problem.resources.map(\.name), headroomPct: headroom, notes: notes,
            objective: problem.objective.rawValue, unmeasuredResources: problem.unmeasuredResources.map(\.name),
            vmsFitNoHost: fitNoHost, buy: buy,
            rightSizing: sizing.map(RightSizingSummary.init),
            comparedSizing: comparison?.rows.map { ComparedSizing(sizing: $0.sizing, hosts: $0.hosts, cost: $0.cost, vmsUnplaced: $0.unplaced, status: $0.status) },
            effort: outcome.work.effort.description, workS: (outcome.work.seconds * 1000).rounded() / 1000,
            stoppedByTimeLimit: outcome.work.stoppedByClock,
            hostfitVersion: record.version, inputs: record.inputs, options: record.options,
            hardwareCost: plan.licenceCost == nil ? nil : plan.hardwareCost, licenceCost: plan.licenceCost,
            licences: plan.licenceCost == nil ? nil : LicenceSummary.lines(plan),
            costLowerBound: outcome.costBound.map { ($0 * 100).rounded() / 100 })
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
    /// Resources no trace measures for any VM (planned on allocations instead).
    public var unmeasuredResources: [String] = []
    /// VMs that no host could take even empty (too large, or their rules exclude every host).
    public var vmsFitNoHost: Int = 0
    /// Hosts to buy per catalog model.
    public var buy: [String: Int] = [:]
    /// What right-sizing found (sizing.csv), when it ran.
    public var rightSizing: RightSizingSummary? = nil
    /// The same VMs planned on static sizes (sum of p95, sum of peaks), when demand has time.
    public var comparedSizing: [ComparedSizing]? = nil
    /// The effort the plan was given (`--effort`); nil in files of earlier versions.
    public var effort: String? = nil
    /// The work it did, in reference seconds: the same on every machine, unlike `runTimeS`.
    public var workS: Double? = nil
    /// The time limit, not the effort, ended a phase: on another machine, or under other
    /// load, the same command may plan differently.
    public var stoppedByTimeLimit: Bool? = nil
    public var hostfitVersion: String = HostfitVersion.current
    public var inputs: [RunRecord.Input] = []
    public var options: [String: String] = [:]
    /// With --licences: the hosts' own cost and the licences', which `cost` adds up.
    public var hardwareCost: Double? = nil
    public var licenceCost: Double? = nil
    /// Each licence: the hosts that pay it and what.
    public var licences: [LicenceSummary]? = nil
    /// Plans that minimize cost: the bound their gap is measured against.
    public var costLowerBound: Double? = nil

    /// The answer in one line, never contradicting itself: bought hosts are not "of" the
    /// owned ones, a plan that places nothing is not "optimal", and a bound for placing
    /// every VM is not set against a plan that could not.
    public var headline: String {
        let bought = buy.values.reduce(0, +)
        let hosts = bought > 0 ? "\(hostsUsed) hosts (\(hostsUsed - bought) of \(hostsAvailable) owned, \(bought) to buy)"
            : hostsAvailable > 0 ? "\(hostsUsed) of \(hostsAvailable) hosts" : "\(hostsUsed) hosts"
        let cheapest = objective == "cost" ? ", cheapest first" : ""
        let time = String(format: "%.2f", runTimeS)
        guard vmsPlaced > 0 else {
            return "Placed 0 of \(vms) VMs: \(vmsFitNoHost == vms ? "none fits any host, even empty" : "no host has room for any of them"); \(time) s"
        }
        let bound = costLowerBound.map { "cost lower bound \(Resource.number($0))" } ?? "lower bound \(lowerBound), \(lowerBoundMethod)"
        let quality: String
        if let gap, vmsUnplaced <= vmsFitNoHost {
            let status = self.status == "optimal" ? "optimal" : "\(self.status), gap \(String(format: "%.1f", gap * 100))%"
            quality = vmsFitNoHost > 0 ? "\(status) for the \(vms - vmsFitNoHost) VMs that fit a host (\(bound)); \(vmsFitNoHost) fit no host"
                : "\(status) (\(bound))"
        } else {
            // Hosts ran out: the bound says what placing every VM that fits a host would take.
            quality = "not every VM fits: \(vmsUnplaced - vmsFitNoHost) need room no host has left; placing all that fit a host needs at least \(lowerBound) hosts (\(lowerBoundMethod))"
                + (vmsFitNoHost > 0 ? "; \(vmsFitNoHost) fit no host" : "")
        }
        let cut = stoppedByTimeLimit == true ? "; stopped by the time limit: another machine may plan differently (a longer --time-limit or a lower --effort makes the plan reproducible)" : ""
        return "Placed \(vmsPlaced) of \(vms) VMs on \(hosts)\(cheapest): \(quality); \(solver), \(time) s\(cut)"
    }

    /// The run's record, as `hostfit check` reads it back.
    public var record: RunRecord { RunRecord(version: hostfitVersion, inputs: inputs, options: options) }

    enum CodingKeys: String, CodingKey {
        case hostsUsed = "hosts_used", hostsAvailable = "hosts_available", lowerBound = "lower_bound"
        case lowerBoundMethod = "lower_bound_method", solver, status, gap, cost, powerW = "power_w", migrations
        case runTimeS = "run_time_s", vms, vmsPlaced = "vms_placed", vmsUnplaced = "vms_unplaced", resources
        case headroomPct = "headroom_pct", notes, objective, buy
        case unmeasuredResources = "unmeasured_resources", hostfitVersion = "hostfit_version", inputs, options
        case vmsFitNoHost = "vms_fit_no_host", rightSizing = "right_sizing", comparedSizing = "compared_sizing"
        case effort, workS = "work_s", stoppedByTimeLimit = "stopped_by_time_limit"
        case hardwareCost = "hardware_cost", licenceCost = "licence_cost", licences, costLowerBound = "cost_lower_bound"
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
        try c.encodeIfPresent(hardwareCost, forKey: .hardwareCost)
        try c.encodeIfPresent(licenceCost, forKey: .licenceCost)
        try c.encodeIfPresent(licences, forKey: .licences)
        try c.encodeIfPresent(costLowerBound, forKey: .costLowerBound)
        try c.encode(powerW, forKey: .powerW)
        try c.encode(migrations, forKey: .migrations)
        try c.encode(runTimeS, forKey: .runTimeS)
        try c.encode(effort, forKey: .effort)
        try c.encode(workS, forKey: .workS)
        try c.encode(stoppedByTimeLimit, forKey: .stoppedByTimeLimit)
        try c.encode(vms, forKey: .vms)
        try c.encode(vmsPlaced, forKey: .vmsPlaced)
        try c.encode(vmsUnplaced, forKey: .vmsUnplaced)
        try c.encode(resources, forKey: .resources)
        try c.encode(headroomPct, forKey: .headroomPct)
        try c.encode(notes, forKey: .notes)
        try c.encode(objective, forKey: .objective)
        try c.encode(buy, forKey: .buy)
        try c.encode(unmeasuredResources, forKey: .unmeasuredResources)
        try c.encode(vmsFitNoHost, forKey: .vmsFitNoHost)
        try c.encodeIfPresent(rightSizing, forKey: .rightSizing)
        try c.encodeIfPresent(comparedSizing, forKey: .comparedSizing)
        try c.encode(hostfitVersion, forKey: .hostfitVersion)
        try c.encode(inputs, forKey: .inputs)
        try c.encode(options, forKey: .options)
    }
}

/// summary.json's line for one licence: per host, its units times the price.
public struct LicenceSummary: Codable, Sendable, Equatable {
    public var licence: String
    public var per: String
    public var price: Double
    /// Hosts that pay it.
    public var hosts: Int
    public var units: Int
    public var cost: Double
    /// What each host pays for it.
    public var byHost: [String: Double]

    enum CodingKeys: String, CodingKey { case licence, per, price, hosts, units, cost, byHost = "by_host" }

    static func lines(_ plan: ValidatedPlan) -> [LicenceSummary] {
        let paid = plan.licencesPaid
        return plan.problem.licensing.licences.map { licence in
            let rows = paid.filter { $0.licence.name == licence.name }
            return LicenceSummary(licence: licence.name, per: licence.per.rawValue, price: licence.price, hosts: rows.count,
                                  units: rows.reduce(0) { $0 + $1.units }, cost: rows.reduce(0) { $0 + $1.cost },
                                  byHost: Dictionary(rows.map { (plan.problem.hosts[$0.host].id, $0.cost) }, uniquingKeysWith: +))
        }
    }
}

/// summary.json's line for one static sizing the plan was compared with.
public struct ComparedSizing: Codable, Sendable, Equatable {
    public var sizing: String
    public var hosts: Int
    public var cost: Double?
    public var vmsUnplaced: Int
    public var status: String

    enum CodingKeys: String, CodingKey { case sizing, hosts, cost, vmsUnplaced = "vms_unplaced", status }
}

/// summary.json's account of right-sizing.
public struct RightSizingSummary: Codable, Sendable, Equatable {
    public var idle: Int
    public var oversized: Int
    public var undersized: Int
    public var right: Int
    public var unknown: Int
    public var reclaimableVCPUs: Int
    public var reclaimableMemoryMB: Double
    public var percentile: Double
    public var comfort: Double
    public var memoryBuffer: Double

    public init(_ sizing: RightSizing) {
        idle = sizing.count(.idle)
        oversized = sizing.count(.oversized)
        undersized = sizing.count(.undersized)
        right = sizing.count(.right)
        unknown = sizing.count(.unknown)
        reclaimableVCPUs = sizing.reclaimableVCPUs
        reclaimableMemoryMB = sizing.reclaimableMemoryMB
        percentile = sizing.options.percentile
        comfort = sizing.options.comfort
        memoryBuffer = sizing.options.memoryBuffer
    }

    enum CodingKeys: String, CodingKey {
        case idle, oversized, undersized, right, unknown, percentile, comfort
        case memoryBuffer = "memory_buffer"
        case reclaimableVCPUs = "reclaimable_vcpus", reclaimableMemoryMB = "reclaimable_memory_mb"
    }
}
