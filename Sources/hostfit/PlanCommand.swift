import ArgumentParser
import HostfitCommandLine
import Foundation
import Hostfit

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Place every VM on as few hosts as possible.",
        discussion: """
        Writes DIR/placements.csv (vm,host), DIR/hosts.csv (utilization per host \
        and resource), DIR/unplaced.csv (vm,reason) and DIR/summary.json (hosts \
        used, lower bound, solver, status optimal|feasible|heuristic, gap, cost, \
        power, migrations, run time). Nothing is written unless the plan passes \
        the validator.

        Objectives, in order: fewest hosts (lowest cost with --models), fewest \
        migrations from the vms.csv host column, then even load (moves and swaps \
        that pair VMs peaking at different times; a VM that can stay on its \
        current host is never moved for balance).

        Status is 'optimal' only when proven: a lower bound (volume, \
        Martello-Toth L2, the column-generation LP, a search showing that the \
        volume bound cannot be met, or GLPK's branch and bound) equals the \
        hosts used. Otherwise 'gap' says how far from the bound the plan may be.

        Example:
          hostfit plan --hosts hosts.csv --vms vms.csv --headroom cpu=75 --out plan/
        """
    )

    @OptionGroup var inventory: InventoryOptions

    @OptionGroup var demand: TraceOptions

    @Option(help: ArgumentHelp("Folder for the plan's files (created if missing).", valueName: "dir"))
    var out: String

    @Option(help: ArgumentHelp("Plan each cluster on its own hosts as one Apache Spark task: local[N] or a cluster's master URL; the plans are joined and checked (docs/scale.md).", valueName: "master"))
    var spark: String?

    @Option(help: ArgumentHelp(
        "auto: the heuristic plan first, then while the lower bound is not met: column generation (static demand; a strong bound and plans from it, after a search for plans that fill hosts as tightly as the volume bound demands), GLPK on the whole model when small, and large-neighbourhood search (ejection chains that take a host out, moving VMs from host to host to make room, then GLPK repacking a few hosts at a time). ilp: GLPK on the whole model whatever its size. heuristic: the greedy packer and its improvement only. Ctrl-C stops the search and writes the best plan so far.",
        valueName: "auto|ilp|heuristic"))
    var solver: SolverChoice = .auto

    @Option(help: ArgumentHelp(
        "How the heuristic packs: ffd-sum (first fit, VMs by summed demand), ffd-l2 (by its L2 norm), bfd-dot (best fit by the dot product of demand and room over time), bfd-l2 (best fit leaving the least room), bc-dot and bc-l2 (bin-centric: one host at a time, filled with the VM that fits it best). Default: ffd-sum and bfd-dot, and the bin-centric rules where they are cheap, keeping the best plan.",
        valueName: "rule"))
    var packing: PackingRule?

    @Option(help: EffortHelp.text)
    var effort: Effort?

    @Option(name: .customLong("time-limit"), help: ArgumentHelp(
        "Wall-clock seconds at most, a safety cap: when it, not the effort, ends the search, the plan says so. Default: 60, or four times --effort when that is more.",
        valueName: "seconds"))
    var timeLimitOption: Double?

    var timeLimit: Double { timeLimitOption ?? Effort.standardTimeLimit(for: effort) }

    @Option(help: "Seed for randomized steps; the same seed gives the same plan.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Right-sizing: recommended CPU = used at --percentile x this factor; memory stands on its peak (sizing.csv).", valueName: "factor"))
    var comfort: Double = 1.3

    func validate() throws {
        guard timeLimit.isFinite, timeLimit > 0 else { throw ValidationError("--time-limit must be a positive number of seconds") }
        guard comfort.isFinite, comfort >= 1 else { throw ValidationError("--comfort must be 1 or more (1.3 adds 30% to what was used)") }
    }

    func run() throws {
        if let spark { return try planOnSpark(spark) }
        let (problem, traced) = try inventory.loadPlanning(demand: demand)
        for note in problem.notes { Terminal.note(note) }
        var options = PlanOptions(solver: solver, timeLimit: timeLimit, effort: effort, seed: seed)
        options.packing = packing
        Terminal.progress("planning \(problem.vmCount) VMs on \(problem.hostCount) hosts (effort \(options.resolvedEffort), time limit \(Resource.number(timeLimit)) s; Ctrl-C keeps the best plan so far)...")
        Interrupt.stopOnCtrlC(options.stop)
        if ProcessInfo.processInfo.environment["HOSTFIT_GLPK_TRACE"] != nil {
            options.glpkTrace = { FileHandle.standardError.write(Data($0.utf8)) }
        }
        let line = ProgressLine()
        options.progress = { line.update($0) }
        let outcome = Planner.plan(problem, options: options)
        line.finish()
        let plan: ValidatedPlan
        do {
            plan = try ValidatedPlan(outcome, for: problem)
        } catch {
            throw CLIFailure(code: 3, message: error.description)
        }
        var record = RunRecord()
        inventory.record(into: &record)
        demand.record(into: &record)
        record.options["solver"] = solver.rawValue
        record.options["time-limit"] = Resource.number(timeLimit)
        record.options["effort"] = options.resolvedEffort.description
        record.options["seed"] = String(seed)
        if let packing { record.options["packing"] = packing.rawValue }
        record.options["headroom"] = problem.headroom.description
        record.options["comfort"] = Resource.number(comfort)
        var sizingOptions = RightSizing.Options()
        sizingOptions.percentile = demand.percentile
        sizingOptions.comfort = comfort
        let sizing = RightSizing(vms: problem.vms, demand: traced, mhzPerCore: { vm in
            vm.currentHost.flatMap { problem.host(named: $0) }.map { problem.hosts[$0].cpuMHzPerCore } ?? problem.mhzPerVCPU
        }, options: sizingOptions)
        var report = PlanReport(plan, record: record, sizing: sizing)
        if problem.buckets > 1 {
            Terminal.progress("comparing with plans on static sizes (sum of p95, sum of peaks) for the report...")
            report.comparison = SizingComparison.compare(plan, options: options)
            Terminal.clearStatus()
        }
        do {
            try report.write(to: out)
        } catch {
            throw CLIFailure(code: 2, message: "\(out): cannot write the plan: \(error.localizedDescription)")
        }
        for note in outcome.notes { Terminal.note(note.message) }

        let summary = report.summary
        print(summary.headline)
        if !summary.buy.isEmpty {
            print("Buy: " + summary.buy.sorted { $0.key < $1.key }.map { "\($0.value) x \($0.key)" }.joined(separator: ", "))
        }
        if let licences = summary.licenceCost {
            print("Cost: \(Resource.number(summary.cost ?? 0)) (hosts \(Resource.number(summary.hardwareCost ?? 0)), licences \(Resource.number(licences)))")
        } else if let cost = summary.cost {
            print("Cost of hosts used: \(Resource.number(cost))")
        }
        if report.hasCurrentPlacement {
            let order = report.migrationOrder
            let parked = order.steps.count { $0.parking }
            print("Migrations from the current placement: \(summary.migrations), in a safe one-at-a-time order in migrations.csv"
                  + (parked > 0 ? " (\(parked) temporary parking moves break cycles)" : ""))
            if !order.unsafe.isEmpty {
                Terminal.note("no safe order exists for \(order.unsafe.count) migrations (\(order.unsafe.prefix(5).joined(separator: ", ")))): every host they could pass through is full; they are listed last in migrations.csv as unsafe")
            }
        }
        if let r = summary.rightSizing {
            print("Right-sizing: \(r.idle) idle, \(r.oversized) oversized, \(r.undersized) undersized, \(r.right) right"
                  + (r.unknown > 0 ? ", \(r.unknown) without use data" : "")
                  + "; \(r.reclaimableVCPUs) vCPUs and \(Resource.format(mb: r.reclaimableMemoryMB)) reclaimable (sizing.csv)")
        }
        if let comparison = report.comparison {
            print("Static sizing would need: " + comparison.rows.dropFirst().map { "\($0.sizing) \($0.hosts) hosts" }.joined(separator: ", ")
                  + " (the time-aware plan: \(summary.hostsUsed))")
        }
        let written = ["placements.csv", "hosts.csv", "unplaced.csv", "summary.json", "sizing.csv"]
            + (report.hasCurrentPlacement ? ["migrations.csv"] : []) + (report.hasCostCenters ? ["chargeback.csv"] : []) + ["report.html"]
        print("Wrote \(written.joined(separator: ", ")) to \(out)")
        if summary.vmsUnplaced > 0 {
            print("\(summary.vmsUnplaced) VMs could not be placed; reasons in \((out as NSString).appendingPathComponent("unplaced.csv")):")
            for item in plan.unplaced.prefix(5) { print("  \(item.vm): \(item.reason)") }
            if plan.unplaced.count > 5 { print("  ...") }
            let all = UnplacedReason.causesOverAll(in: problem, assignment: outcome.assignment)
                .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { "\($0.value) \($0.key)" }
            if !all.isEmpty {
                print("Hosts that could not take them, by cause, over all \(plan.unplaced.count): " + all.joined(separator: ", "))
            }
            throw ExitCode(1)
        }
    }

    /// --spark: the inventory cut by cluster, each cluster planned by a task of its own.
    private func planOnSpark(_ master: String) throws {
        guard inventory.models == nil else { throw CLIFailure(code: 2, message: "--spark plans each cluster on the hosts it has: not with --models") }
        guard let hosts = try inventory.readHosts(), let vms = try inventory.readVMs() else {
            throw CLIFailure(code: 2, message: "--spark needs --hosts and --vms: the clusters are cut from them")
        }
        try SparkJob.plan(master: master, hosts: hosts, vms: vms, vmsFile: inventory.vms ?? "vms", arguments: Array(CommandLine.arguments.dropFirst(2)), out: out)
    }
}
