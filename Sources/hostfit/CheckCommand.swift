import ArgumentParser
import HostfitCommandLine
import Foundation
import Hostfit

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a placement against the inventory and headroom.",
        discussion: """
        Checks capacity with headroom per resource, that every VM is placed at most once, \
        that every id is known and that hosts are active and within max_vms. Exits 0 when \
        the plan is valid, 1 with each violation listed when it is not.

        When the plan's folder holds the summary.json that hostfit plan wrote, its inputs \
        and settings (sizing, headroom, percentile, reserve, ratios) are the defaults: \
        hostfit check --plan DIR/placements.csv alone re-checks a plan.

        Example:
          hostfit check --plan plan/placements.csv
          hostfit check --hosts hosts.csv --vms vms.csv --plan edited.csv
        """
    )

    @OptionGroup var inventory: InventoryOptions

    @OptionGroup var demand: TraceOptions

    @Option(help: ArgumentHelp("The placements.csv to check (columns vm,host).", valueName: "file"))
    var plan: String

    func run() throws {
        var inventory = inventory, demand = demand
        // The plan's own summary.json says how it was made: its inputs and options are the
        // defaults, so a plan re-checks with one command; flags given here win.
        let summaryPath = ((plan as NSString).deletingLastPathComponent as NSString).appendingPathComponent("summary.json")
        if let data = FileManager.default.contents(atPath: summaryPath),
           let summary = try? JSONDecoder().decode(PlanSummary.self, from: data) {
            inventory.fill(from: summary.record)
            try demand.fill(from: summary.record)
            // What shapes the check; the solver's settings do not.
            let solving: Set<String> = ["solver", "time-limit", "effort", "seed", "packing"]
            let shown = summary.record.options.filter { !solving.contains($0.key) }.sorted { $0.key < $1.key }
                .map { "--\($0.key) \($0.value)" }.joined(separator: " ")
            Terminal.note("checking with the inputs and settings of \(summaryPath) (flags given here win): \(shown)")
        }
        let problem = try inventory.loadProblem(demand: demand)
        for note in problem.notes { Terminal.note(note) }
        let placement = try reportingInputErrors { try PlacementFile.read(plan) }
        let violations = PlanValidator.violations(of: placement, in: problem)
        let placed = Set(placement.entries.map(\.vm)).filter { problem.vm(named: $0) != nil }.count
        let hosts = Set(placement.entries.map(\.host)).filter { problem.host(named: $0) != nil }.count
        guard violations.isEmpty else {
            for violation in violations {
                let prefix = violation.line.map { "\(plan):\($0)" } ?? plan
                print("\(prefix): [\(violation.rule.rawValue)] \(violation.message)")
            }
            print("\(violations.count) violation\(violations.count == 1 ? "" : "s"): the plan is not valid")
            throw ExitCode(1)
        }
        let missing = problem.vmCount - placed
        print("Valid: \(placed) VMs on \(hosts) hosts" + (missing > 0 ? "; \(missing) VMs of the inventory are not placed" : ""))
    }
}
