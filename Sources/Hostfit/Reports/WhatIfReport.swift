import Foundation

/// The files of `hostfit whatif`: whatif.csv (one row per scenario) and, per scenario, a
/// folder with its plan (as `hostfit plan` writes it) and its changed inventory, so that
/// `hostfit check --plan DIR/SCENARIO/placements.csv` re-checks it alone.
public struct WhatIfReport {
    public struct Row: Sendable {
        public var scenario: String
        public var folder: String
        public var outcome: WhatIf.Outcome
        /// Share of host-intervals over capacity on the replay traces, in percent.
        public var overloadPercent: Double?

        public init(scenario: String, folder: String, outcome: WhatIf.Outcome, overloadPercent: Double? = nil) {
            self.scenario = scenario
            self.folder = folder
            self.outcome = outcome
            self.overloadPercent = overloadPercent
        }
    }

    public var rows: [Row]
    public var base: RunRecord

    public init(rows: [Row], base: RunRecord) {
        self.rows = rows
        self.base = base
    }

    /// A folder name from a scenario name: letters, digits, '-' and '_'.
    public static func folder(for name: String) -> String {
        let cleaned = String(name.lowercased().replacingOccurrences(of: "+", with: "-plus-").map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" })
        return cleaned.split(separator: "-", omittingEmptySubsequences: true).joined(separator: "-")
    }

    /// Every scenario folder and whatif.csv, as one set: all written or none changed.
    public func write(to directory: String) throws {
        var files: [(path: String, data: Data)] = []
        for row in rows {
            let dir = (directory as NSString).appendingPathComponent(row.folder)
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for (name, text) in scenarioFiles(row, in: dir) { files.append(((dir as NSString).appendingPathComponent(name), Data(text.utf8))) }
        }
        files.append(((directory as NSString).appendingPathComponent("whatif.csv"), Data(csv().utf8)))
        files.append(((directory as NSString).appendingPathComponent("report.html"), Data(html().utf8)))
        try AtomicFile.writeAll(files)
    }

    func scenarioFiles(_ row: Row, in dir: String) -> [(String, String)] {
        let state = row.outcome.state
        var record = RunRecord(version: base.version, inputs: [], options: [:])
        var files: [(String, String)] = []
        // The scenario's inventory, written beside its plan: `check` reads it back.
        func input(_ role: String, _ name: String, _ text: String) {
            let path = (dir as NSString).appendingPathComponent(name)
            files.append((name, text))
            record.inputs.append(RunRecord.Input(role: role, path: path, absolutePath: URL(fileURLWithPath: path).standardizedFileURL.path,
                                                 bytes: text.utf8.count))
        }
        input("hosts", "inventory-hosts.csv", InventoryFiles.hostsCSV(state.hosts))
        input("vms", "inventory-vms.csv", InventoryFiles.vmsCSV(state.vms))
        let buyable = state.catalog.filter { state.buyable.contains($0.id) }
        if !buyable.isEmpty { input("models", "inventory-models.csv", InventoryFiles.hostsCSV(buyable, keyedBy: "model")) }
        record.inputs += base.inputs.filter { $0.role == "traces" }
        record.options = base.options.filter { ["core-mhz", "buckets"].contains($0.key) }
        record.options["scenario"] = row.scenario
        record.options["headroom"] = state.headroom.description
        record.options["reserve"] = String(state.rules.reserve)
        if let r = state.rules.vcpusPerCore { record.options["vcpu-ratio"] = Resource.number(r) }
        if let r = state.rules.memoryRatio { record.options["memory-ratio"] = Resource.number(r) }
        if record.inputs.contains(where: { $0.role == "traces" }) {
            record.options["sizing"] = state.sizing.rawValue
            record.options["percentile"] = Resource.number(state.percentile)
        }
        if state.demandFactor != 1 { record.options["demand-factor"] = String(state.demandFactor) }
        if state.trendMonths > 0 { record.options["trend-months"] = Resource.number(state.trendMonths) }
        var report = PlanReport(row.outcome.plan, record: record, sizing: row.outcome.sizing, notes: row.outcome.notes)
        report.title = "What-if scenario: \(row.scenario)"
        return files + report.files().map { ($0.name, $0.contents) }
    }

    public static let columns = ["scenario", "hosts_used", "hosts_available", "vms", "unplaced", "cpu_util_mean_pct", "cpu_util_peak_pct",
                                 "memory_util_mean_pct", "memory_util_peak_pct", "limiting_resource", "cost", "power_w", "migrations",
                                 "months_to_exhaustion"]

    public func csv() -> String {
        var csv = CSVWriter(header: header)
        for row in rows { csv.append(fields(row)) }
        return csv.text
    }

    var replayed: Bool { rows.contains { $0.overloadPercent != nil } }
    /// Licences priced: cost splits into hosts and licences.
    var licensed: Bool { rows.contains { !$0.outcome.plan.problem.licensing.licences.isEmpty } }

    /// whatif.csv's columns: the contract's, then overload_pct with replay, then the rest.
    var header: [String] {
        Self.columns + (replayed ? ["overload_pct"] : []) + (licensed ? ["hardware_cost", "licence_cost"] : [])
            + ["status", "gap", "buy", "demand_factor", "trend_months", "months_basis", "reclaimable_vcpus", "reclaimable_memory_mb", "folder"]
    }

    /// One scenario's cells, as whatif.csv and report.html both show them.
    func fields(_ row: Row) -> [String] {
        let replayed = self.replayed
        let plan = row.outcome.plan, problem = plan.problem
        let summary = PlanReport(plan).summary
        let used = plan.usage.filter { $0.vms > 0 }
        func util(_ resource: Resource) -> (mean: Double?, peak: Double?) {
            guard let r = problem.resources.firstIndex(of: resource) else { return (nil, nil) }
            let means = used.compactMap { $0.meanPercent[r] }, peaks = used.compactMap { $0.peakPercent[r] }
            return (means.isEmpty ? nil : means.reduce(0, +) / Double(means.count), peaks.max())
        }
        let cpu = util(.cpu), memory = util(.memory)
        let limiting = Dictionary(grouping: used.compactMap(\.limitingResource), by: { $0 })
            .max { $0.value.count != $1.value.count ? $0.value.count < $1.value.count : $0.key > $1.key }?.key
        let months = row.outcome.monthsToExhaustion.map { $0.isInfinite ? ">120" : CSVWriter.number($0, digits: 1) } ?? ""
        var fields = [row.scenario, String(summary.hostsUsed), String(summary.hostsAvailable), String(summary.vms), String(summary.vmsUnplaced),
                      CSVWriter.number(cpu.mean, digits: 1), CSVWriter.number(cpu.peak, digits: 1),
                      CSVWriter.number(memory.mean, digits: 1), CSVWriter.number(memory.peak, digits: 1),
                      limiting?.name ?? "", CSVWriter.number(summary.cost), CSVWriter.number(summary.powerW, digits: 0),
                      String(summary.migrations), months]
        if replayed { fields.append(CSVWriter.number(row.overloadPercent, digits: 3)) }
        if licensed { fields += [CSVWriter.number(plan.hardwareCost), CSVWriter.number(plan.licenceCost)] }
        fields += [summary.status, CSVWriter.number(summary.gap, digits: 4),
                   summary.buy.sorted { $0.key < $1.key }.map { "\($0.value) x \($0.key)" }.joined(separator: "; "),
                   CSVWriter.number(row.outcome.state.demandFactor, digits: 4),
                   row.outcome.state.trendMonths > 0 ? Resource.number(row.outcome.state.trendMonths) : "", row.outcome.exhaustionBasis ?? "", String(row.outcome.sizing.reclaimableVCPUs),
                   CSVWriter.number(row.outcome.sizing.reclaimableMemoryMB, digits: 0), row.folder]
        return fields
    }
}
