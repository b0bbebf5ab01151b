import ArgumentParser
import HostfitCommandLine
import Foundation
import Hostfit
import HostfitScenarios

struct WhatIfCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whatif",
        abstract: "Plan what-if scenarios and compare them in one CSV.",
        usage: "hostfit whatif --scenarios <file> --out <dir> [<options>]",
        discussion: """
        Reads a scenarios YAML file: base: names the inventory (hosts, vms, \
        models, traces, headroom, sizing), and each scenario starts from base or \
        from: an earlier one, then applies its changes in order: add_vms (like: \
        and count:, or file:), remove_vms, fail_hosts, drain_hosts, add_hosts \
        (model:, count:), buy (catalog models), replace_model (from:, to:), \
        growth (percent_per_year:, months:; or trend: true, months: to grow \
        each VM on its own traced trend), headroom, sizing, percentile, \
        vcpu_ratio, memory_ratio, reserve, right_size.

        Writes DIR/whatif.csv, one row per scenario: hosts, utilization, \
        limiting resource, cost, power, migrations, and months until the \
        scenario's hosts run out, at its growth rate or, where it gives none, \
        on each VM's trend in the traces (months_basis says which; a trend is \
        the Theil-Sen slope of daily means where Mann-Kendall finds a rise at \
        the 5% level on 14 days or more). DIR/SCENARIO/ holds the plan's files \
        and its changed inventory: hostfit check --plan \
        DIR/SCENARIO/placements.csv re-checks it. Nothing is written unless \
        every scenario's plan passes the validator.

        Example:
          hostfit whatif --scenarios SampleData/scenarios.yaml --out whatif/
        """
    )

    @Option(help: ArgumentHelp("The scenarios YAML file.", valueName: "file"))
    var scenarios: String

    @Option(help: ArgumentHelp("Folder for whatif.csv and one folder per scenario.", valueName: "dir"))
    var out: String

    @Option(name: .customLong("replay-traces"), help: ArgumentHelp(
        "Later traces to replay every scenario's plan on (repeatable): adds overload_pct, the share of host-intervals over capacity.",
        valueName: "path"))
    var replayTraces: [String] = []

    @Option(help: ArgumentHelp("auto, ilp or heuristic, as for plan.", valueName: "auto|ilp|heuristic"))
    var solver: SolverChoice = .auto

    @Option(help: EffortHelp.text)
    var effort: Effort?

    @Option(name: .customLong("time-limit"), help: ArgumentHelp(
        "Wall-clock seconds per scenario at most, a safety cap. Default: 20, or four times --effort when that is more. The effort per scenario defaults to quick.", valueName: "seconds"))
    var timeLimitOption: Double?

    var timeLimit: Double { timeLimitOption ?? max(20, 4 * (effort?.seconds ?? 0)) }

    /// Scenarios plan quick unless told (many plans in one run), within a tenth of their limit.
    var scenarioEffort: Effort { effort ?? Effort(seconds: min(Effort.quick.seconds, timeLimit / 10)) }

    @Option(help: ArgumentHelp(
        "Licence prices CSV for every scenario, as for plan (or base: licences: in the scenarios file; this flag wins).",
        valueName: "file"))
    var licences: String?

    @Option(help: "Seed for randomized steps; the same seed gives the same plans.")
    var seed: UInt64 = 1

    func validate() throws {
        guard timeLimit.isFinite, timeLimit > 0 else { throw ValidationError("--time-limit must be a positive number of seconds") }
    }

    func run() throws {
        let started = Date()
        var file = try reportingInputErrors { try ScenarioFile.read(scenarios) }
        if let licences {
            file.base.rules.licences = try reportingInputErrors { try LicenceFile.load(licences) }.items
            file.base.paths.append(("licences", licences))
        }
        let states = try reportingInputErrors { try WhatIf.states(file.scenarios, base: file.base, file: scenarios) }
        let cache = DemandCache(traces: file.base.traces, coreMHz: file.coreMHz, inventory: file.base.vms)
        var base = RunRecord()
        base.add("scenarios", scenarios)
        for (role, path) in file.base.paths { base.add(role, path) }
        if let mhz = file.coreMHz { base.options["core-mhz"] = Resource.number(mhz) }
        var options = PlanOptions(solver: solver, timeLimit: timeLimit, effort: scenarioEffort, seed: seed)
        Interrupt.stopOnCtrlC(options.stop)
        options.progress = nil
        var rows: [WhatIfReport.Row] = []
        var folders = Set<String>()
        for (k, (scenario, state)) in zip(file.scenarios, states).enumerated() {
            Terminal.status("scenario \(k + 1)/\(states.count): \(scenario.name)...")
            let outcome: WhatIf.Outcome
            do {
                outcome = try WhatIf.plan(scenario.name, state, demand: cache.demand, options: options)
            } catch let error as PlanningInputError {
                throw CLIFailure(code: 2, message: "\(scenarios):\(scenario.line): scenario '\(scenario.name)': \(error.message)")
            } catch let error as PlanRejected {
                throw CLIFailure(code: 3, message: "scenario '\(scenario.name)': \(error.description)")
            } catch let error as InputError {
                throw CLIFailure(code: 2, message: error.description)
            }
            var folder = WhatIfReport.folder(for: scenario.name)
            if folder.isEmpty || folders.contains(folder) { folder = "scenario-\(k + 1)" }
            folders.insert(folder)
            var overload: Double?
            if !replayTraces.isEmpty {
                let plan = outcome.plan
                let hosts = Replay.plannedHosts(plan.placement, owned: outcome.state.hosts, catalog: outcome.state.catalog)
                let replay = try reportingInputErrors {
                    try Replay.stream(plan.placement, hosts: hosts, traces: replayTraces, headroom: outcome.state.headroom,
                                      inventory: outcome.state.vms, coreMHz: file.coreMHz).result
                }
                overload = replay.overCapacityShare * 100
            }
            for note in outcome.notes { Terminal.note("\(scenario.name): \(note)") }
            rows.append(WhatIfReport.Row(scenario: scenario.name, folder: folder, outcome: outcome, overloadPercent: overload))
        }
        Terminal.clearStatus()
        let report = WhatIfReport(rows: rows, base: base)
        do {
            try report.write(to: out)
        } catch {
            throw CLIFailure(code: 2, message: "\(out): cannot write the scenarios: \(error.localizedDescription)")
        }
        let width = max(8, rows.map(\.scenario.count).max() ?? 0)
        func cells(_ values: [String]) -> String {
            values[0].padding(toLength: width, withPad: " ", startingAt: 0)
                + values.dropFirst().map { String(repeating: " ", count: max(0, 10 - $0.count)) + $0 }.joined()
        }
        print(cells(["scenario", "hosts", "vms", "unplaced", "cost", "power_w", "months", "by"]))
        for row in rows {
            let s = PlanReport(row.outcome.plan).summary
            let months = row.outcome.monthsToExhaustion.map { $0.isInfinite ? ">120" : Resource.number($0) } ?? "-"
            print(cells([row.scenario, String(s.hostsUsed), String(s.vms), String(s.vmsUnplaced), s.cost.map(Resource.number) ?? "-",
                         s.powerW.map(Resource.number) ?? "-", months, row.outcome.exhaustionBasis ?? "-"]))
        }
        print("months: until the VMs no longer fit on the scenario's hosts (owned and bought), by the scenario's growth rate or each VM's trend")
        print("Wrote whatif.csv, report.html and \(rows.count) scenario folders to \(out) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }
}

/// Traces read once per sizing and percentile, whatever number of scenarios use them.
final class DemandCache: @unchecked Sendable {
    let traces: [String]
    let coreMHz: Double?
    let inventory: [VM]
    private var read: [String: TracedDemand] = [:]
    private let lock = NSLock()

    init(traces: [String], coreMHz: Double?, inventory: [VM]) {
        self.traces = traces
        self.coreMHz = coreMHz
        self.inventory = inventory
    }

    @Sendable func demand(_ sizing: DemandSizing, _ percentile: Double, _ vms: [VM]) throws -> TracedDemand? {
        guard !traces.isEmpty else { return nil }
        let key = "\(sizing.rawValue)/\(percentile)"
        if let cached = lock.withLock({ read[key] }) { return cached }
        let demand = try TracedDemand.read(traces, sizing: sizing, percentile: percentile, coreMHz: coreMHz, inventory: inventory)
        lock.withLock { read[key] = demand }
        return demand
    }
}
