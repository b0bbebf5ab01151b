import ArgumentParser
import Hostfit

struct HostfitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hostfit",
        abstract: "Capacity planner and VM placement optimizer.",
        discussion: """
        Packs VMs onto hosts as a vector bin-packing problem: a fast heuristic first, then \
        GLPK's branch and cut to prove or improve it, and every plan checked by one \
        independent validator before it is written.

        Start with:
          hostfit plan --hosts hosts.csv --vms vms.csv --out plan/
          hostfit check --hosts hosts.csv --vms vms.csv --plan plan/placements.csv

        Exit codes: 0 success, 1 ran but could not place every VM (or check found \
        violations), 2 bad input or usage, 3 internal error.
        """,
        version: HostfitVersion.current,
        subcommands: [ProfileCommand.self, PlanCommand.self, PlaceCommand.self, WhatIfCommand.self, ReplayCommand.self, RebalanceCommand.self, CheckCommand.self, ServeCommand.self]
    )
}
