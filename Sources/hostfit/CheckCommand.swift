import ArgumentParser
import Hostfit

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a placement against the inventory and headroom.",
        discussion: """
        Checks capacity with headroom per resource, that every VM is placed at most once,
        that every id is known and that hosts are active and within max_vms. Exits 0 when
        the plan is valid, 1 with each violation listed when it is not.

        Example:
          hostfit check --hosts hosts.csv --vms vms.csv --plan plan/placements.csv
        """
    )

    @OptionGroup var inventory: InventoryOptions

    @OptionGroup var demand: TraceOptions

    @Option(help: ArgumentHelp("The placements.csv to check (columns vm,host).", valueName: "file"))
    var plan: String

    func run() throws {
        let problem = try inventory.loadProblem(demand: demand)
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
