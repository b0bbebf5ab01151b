import ArgumentParser
import HostfitCommandLine
import Foundation
import Hostfit

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a plan against traces it was not made from.",
        discussion: """
        Sums the real demand of each host's VMs at every interval of the traces \
        and compares it with the host's capacity and headroom. Writes \
        DIR/overloads.csv (host,timestamp,resource,demand,capacity; every \
        interval over headroom, with 'over' saying headroom or capacity), \
        DIR/hosts.csv (each host's peak and mean per resource) and \
        DIR/summary.json (share of host-intervals over capacity and headroom, \
        the worst overload, the VMs involved, VMs the traces miss).

        The traces are read once and never kept: memory follows hosts x \
        resources x intervals, not samples. Each VM counts at its largest \
        sample in an interval; a gap holds its previous value.

        When the plan's folder holds the summary.json of hostfit plan, its \
        hosts, VMs and headroom are the defaults, and its --until is the \
        default --from. Exits 0 whatever the overloads (summary.json has \
        them), 1 with --fail-on-overload when some interval is over capacity.

        Example:
          hostfit plan --hosts hosts.csv --traces month/ --until 2013-07-15 --out plan/
          hostfit replay --plan plan/placements.csv --traces month/ --out replay/
        """
    )

    @OptionGroup var inventory: InventoryFileOptions

    @OptionGroup var read: TraceReadOptions

    @Option(help: ArgumentHelp("The placements.csv to replay (columns vm,host).", valueName: "file"))
    var plan: String

    @Option(help: ArgumentHelp("Folder for the replay's files (created if missing).", valueName: "dir"))
    var out: String

    @Option(help: ArgumentHelp("Length of an interval in seconds (default 300: each VM's peak within every 5 minutes).", valueName: "seconds"))
    var step: Int = 300

    @Flag(name: .customLong("fail-on-overload"), help: "Exit 1 when any host-interval is over capacity.")
    var failOnOverload = false

    func validate() throws {
        guard step > 0 else { throw ValidationError("--step must be a positive number of seconds") }
        guard !read.traces.isEmpty else { throw ValidationError("give --traces: the later traces to replay the plan on") }
    }

    func run() throws {
        let started = Date()
        var inventory = inventory, read = read
        let summaryPath = ((plan as NSString).deletingLastPathComponent as NSString).appendingPathComponent("summary.json")
        if let data = FileManager.default.contents(atPath: summaryPath),
           let summary = try? JSONDecoder().decode(PlanSummary.self, from: data) {
            inventory.fill(from: summary.record)
            if read.from == nil, let until = summary.record.options["until"] {
                read.from = until
                Terminal.note("replaying from \(until), where the plan's traces ended (--until of \(summaryPath)); --from changes it")
            }
            if read.coreMHz == nil { read.coreMHz = summary.record.options["core-mhz"].flatMap(Double.init) }
        }
        guard inventory.hosts != nil || inventory.models != nil else {
            throw CLIFailure(code: 2, message: "give --hosts (and --models if the plan bought hosts): the capacity to replay against")
        }
        let placement = try reportingInputErrors { try PlacementFile.read(plan) }
        let owned = try inventory.readHosts()?.items ?? [], catalog = try inventory.readCatalog()?.items ?? []
        let hosts = Replay.plannedHosts(placement, owned: owned, catalog: catalog)
        let known = Set(hosts.map(\.id))
        if let unknown = placement.entries.first(where: { !known.contains($0.host) }) {
            throw CLIFailure(code: 2, message: "\(plan):\(unknown.line ?? 0): host '\(unknown.host)' is not in \(inventory.hosts ?? inventory.models ?? "the inventory")\(NameSuggestion.hint(for: unknown.host, among: hosts.map(\.id)))")
        }
        let vms = try inventory.readVMs()
        for note in vms?.notes ?? [] { Terminal.note(note) }
        let headroom = try inventory.parsedHeadroom()
        let show: (@Sendable (TraceProgress) -> Void)? = Terminal.isInteractive ? TraceReadOptions.showProgress : nil
        let (result, quality) = try reportingInputErrors {
            try Replay.stream(placement, hosts: hosts, traces: read.traces, headroom: headroom, inventory: vms?.items ?? [],
                              coreMHz: read.coreMHz, step: Int64(step), period: read.period, entityLabel: read.label, progress: show)
        }
        Terminal.clearStatus()
        try read.report(quality)
        for note in result.notes { Terminal.note(note) }
        guard result.slots > 0, !result.hosts.isEmpty else {
            throw CLIFailure(code: 2, message: "\(read.traces.joined(separator: ", ")): no sample of a planned VM\(read.period.isAll ? "" : " in the period given"): nothing to replay")
        }
        var record = RunRecord()
        inventory.record(into: &record)
        record.add("plan", plan)
        for path in read.traces { record.add("traces", path) }
        record.options["headroom"] = headroom.description
        record.options["step"] = String(step)
        if let from = read.from { record.options["from"] = from }
        if let until = read.until { record.options["until"] = until }
        let report = ReplayReport(result, record: record, seconds: Date().timeIntervalSince(started), rows: quality.issues.reduce(0) { $0 + $1.rows })
        do {
            try report.write(to: out)
        } catch {
            throw CLIFailure(code: 2, message: "\(out): cannot write the replay: \(error.localizedDescription)")
        }
        let s = report.summary
        print("Replayed \(s.vms) VMs on \(s.hosts) hosts over \(s.intervals) intervals of \(step) s (\(s.from) to \(s.until)), \(s.rows) rows in \(String(format: "%.2f", s.seconds)) s")
        print("Over capacity: \(s.overCapacity) of \(s.hostIntervals) host-intervals (\(s.overCapacityPct)%) on \(s.hostsOverCapacity) hosts; over headroom: \(s.overHeadroom) (\(s.overHeadroomPct)%) on \(s.hostsOverHeadroom) hosts")
        if let w = s.worst {
            print("Worst: \(w.host) at \(w.timestamp), \(w.resource) \(Resource.number(w.demand)) of \(Resource.number(w.capacity)) (\(w.pctOfCapacity)% of capacity)")
        }
        if !s.vmsMissingFromTraces.isEmpty {
            Terminal.note("\(s.vmsMissingFromTraces.count) VMs of the plan have no samples in these traces (\(s.vmsMissingFromTraces.prefix(3).joined(separator: ", "))): they add nothing")
        }
        print("Wrote overloads.csv, hosts.csv, summary.json, report.html to \(out)")
        if failOnOverload && s.overCapacity > 0 { throw ExitCode(1) }
    }
}
