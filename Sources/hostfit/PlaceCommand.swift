import ArgumentParser
import HostfitCommandLine
import Foundation
import Hostfit

struct PlaceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "place",
        abstract: "Rate every host 0 to 5 stars for new VMs, and place them.",
        discussion: """
        Rates each host for each VM of --new against the infrastructure as it is now: the \
        host column of --vms and the VMs' measured demand over time. 0 stars means the VM \
        cannot go there, with the rule and its numbers; above 0, half stars from a score \
        of room, of how well the VM's busy hours fall in the host's quiet ones, and of \
        balance (--goal balance) or of filling busy hosts (--goal consolidate).

        With several new VMs each is placed on its best host in turn and the next sees it. \
        Writes DIR/ratings.csv (every host for every VM), DIR/placements.csv (the new VMs \
        placed) and, with --apply, DIR/vms.csv (the inventory with them on their hosts).

        Example:
          hostfit place --hosts hosts.csv --vms vms.csv --traces traces/ \\
            --new new.csv --out place/
        """
    )

    @OptionGroup var inventory: InventoryOptions

    @OptionGroup var demand: TraceOptions

    @Option(name: .customLong("new"), help: ArgumentHelp(
        "The new VMs: a vms.csv (vm, vcpus, memory_mb; expected use in cpu_mhz, memory_used_mb, disk_iops, net_mbps, res_NAME) or an RVTools vInfo CSV.",
        valueName: "file"))
    var newVMs: String

    @Option(help: ArgumentHelp("balance (least and most evenly loaded host) or consolidate (tightest fit).", valueName: "goal"))
    var goal: PlacementGoal = .balance

    @Option(help: ArgumentHelp("Importance of each resource in the score (default 1 each).", valueName: "cpu=1,memory=1,..."))
    var weights: String?

    @Option(help: ArgumentHelp("Hosts shown per VM on the terminal.", valueName: "n"))
    var top: Int = 10

    @Flag(help: "Also write DIR/vms.csv: the inventory with the new VMs on their hosts.")
    var apply = false

    @Option(help: ArgumentHelp("Folder for ratings.csv and placements.csv (created if missing).", valueName: "dir"))
    var out: String

    func validate() throws {
        guard top > 0 else { throw ValidationError("--top must be at least 1") }
    }

    func run() throws {
        let fresh = try reportingInputErrors { try VMInventoryFile.load(newVMs) }
        for note in fresh.notes { Terminal.note(note) }
        // The new VMs join the inventory without a host: they are what gets placed.
        let newcomers = fresh.items.map { vm -> VM in var vm = vm; vm.currentHost = nil; vm.pinned = false; return vm }
        if let path = inventory.vms {
            let known = Set(try reportingInputErrors { try VMInventoryFile.load(path, includePoweredOff: inventory.includePoweredOff) }.items.map(\.id))
            if let clash = newcomers.first(where: { known.contains($0.id) }) {
                throw CLIFailure(code: 2, message: "\(newVMs):\(fresh.lines[clash.id] ?? 0): VM '\(clash.id)' is already in \(path): a new VM needs a new name")
            }
        }
        let problem = try inventory.loadProblem(demand: demand, adding: newcomers)
        for note in problem.notes { Terminal.note(note) }
        let weights = try parseWeights()
        // A weight for a resource the problem does not have is a typo, never a silent no-op.
        let names = problem.resources.map(\.name)
        if let unknown = weights.keys.first(where: { !problem.resources.contains($0) }) {
            throw CLIFailure(code: 2, message: "--weights: '\(unknown.name)' is not a resource here\(NameSuggestion.hint(for: unknown.name, among: names)); resources: \(names.joined(separator: ", "))")
        }
        var placer = IncrementalPlacer(problem)
        let newIndices = fresh.items.compactMap { problem.vm(named: $0.id) }
        let suggestions = placer.placeOneByOne(newIndices, goal: goal, weights: weights, everyRating: true).placed
        try validate(suggestions, problem)
        do {
            try RatingReport(suggestions, problem: problem).write(to: out, apply: apply)
        } catch {
            throw CLIFailure(code: 2, message: "\(out): cannot write the ratings: \(error.localizedDescription)")
        }
        for s in suggestions {
            print("\(s.vm) (\(goal.rawValue)):")
            for r in s.ratings.prefix(top) {
                print("  " + HostRater.drawn(r.stars) + "  " + r.host.padding(toLength: max(12, r.host.count), withPad: " ", startingAt: 0)
                      + "  " + String(format: "%5.1f", r.score) + "  " + r.reason)
            }
            if let host = s.host, let best = s.ratings.first {
                print("  -> \(host): \(best.reason)")
            } else {
                print("  -> no host can take it: \(s.ratings.first?.reason ?? "no hosts")")
            }
        }
        let placed = suggestions.count { $0.host != nil }
        print("Placed \(placed) of \(suggestions.count) new VMs; wrote ratings.csv, placements.csv\(apply ? ", vms.csv" : ""), report.html to \(out)")
        if placed < suggestions.count { throw ExitCode(1) }
    }

    func parseWeights() throws -> [Resource: Double] {
        guard let weights else { return [:] }
        var parsed: [Resource: Double] = [:]
        for part in weights.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, let value = Double(pair[1]), value >= 0, value.isFinite else {
                throw CLIFailure(code: 2, message: "--weights '\(part)': expected NAME=WEIGHT, a number of at least 0")
            }
            parsed[Resource.standard(named: pair[0]) ?? .counted(pair[0].lowercased())] = value
        }
        return parsed
    }

    /// The one validator sees the placement with the new VMs added: nothing it rejects, beyond
    /// what the current placement already breaks, is written.
    func validate(_ suggestions: [PlacementSuggestion], _ problem: PlacementProblem) throws {
        var entries = problem.vms.compactMap { vm in vm.currentHost.map { Placement.Entry(vm: vm.id, host: $0, line: nil) } }
        let before = Set(PlanValidator.violations(of: Placement(entries), in: problem))
        entries += suggestions.compactMap { s in s.host.map { Placement.Entry(vm: s.vm, host: $0, line: nil) } }
        let added = PlanValidator.violations(of: Placement(entries), in: problem).added(since: before)
        guard added.isEmpty else {
            throw CLIFailure(code: 3, message: "internal error: the placement failed validation, nothing was written:\n" + added.map { "  \($0)" }.joined(separator: "\n"))
        }
    }
}
