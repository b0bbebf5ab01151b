import ArgumentParser
import HostfitCommandLine
import Foundation
import Hostfit

struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Turn performance traces into workload profiles.",
        usage: "hostfit profile --traces <path> ... [<options>] --out <file>",
        discussion: """
        Writes one row per entity and resource: mean, p50, p90, p95, p99 and max; the \
        trend (change of the daily mean per 30 days, Theil-Sen); a data confidence of 1 to \
        5 stars from the share of expected samples present; and the chosen percentile of \
        every hour of the day or week (UTC). `hostfit plan --profiles` plans from the file.

        Rows that cannot be read are counted and reported per file with the first few \
        file:line examples; --strict makes them an error.

        With --prometheus URL and --query (repeatable), the samples come from a \
        Prometheus server's query_range API, from --from to --until (default: the \
        week before now) every --step seconds, read as a query_range file would be: \
        ask for the exporters' raw series (counters are turned into rates here).

        Examples:
          hostfit profile --traces traces/ --buckets hour-of-week --out profiles.csv
          hostfit profile --prometheus http://prometheus:9090 --label domain \\
            --query libvirt_domain_info_cpu_time_seconds_total \\
            --query libvirt_domain_info_virtual_cpus \\
            --query libvirt_domain_info_memory_usage_bytes --out profiles.csv
        """
    )

    @OptionGroup var traceOptions: TraceReadOptions

    @Option(help: ArgumentHelp("VM inventory CSV: vcpus and memory_mb give percentages a capacity.", valueName: "file"))
    var vms: String?

    @Option(help: ArgumentHelp("A Prometheus server to read samples from (its query_range API), with --query.", valueName: "url"))
    var prometheus: String?

    @Option(help: ArgumentHelp("A PromQL query whose series are the samples (repeatable; with --prometheus).", valueName: "promql"))
    var query: [String] = []

    @Option(help: ArgumentHelp("Seconds between the points asked of --prometheus (default 300).", valueName: "seconds"))
    var step: Int64 = 300

    @Option(help: ArgumentHelp("The profiles CSV to write.", valueName: "file"))
    var out: String

    func validate() throws {
        guard !traceOptions.traces.isEmpty || prometheus != nil else { throw ValidationError("give at least one --traces file or folder, or --prometheus with --query") }
        if prometheus != nil && query.isEmpty { throw ValidationError("--prometheus needs at least one --query") }
        if prometheus == nil && !query.isEmpty { throw ValidationError("--query needs --prometheus: the server to ask") }
        guard step > 0 else { throw ValidationError("--step must be a positive number of seconds") }
    }

    /// The traces to read: those given, and the answers of --prometheus kept in `folder`.
    func traces(fetchingInto folder: String) throws -> TraceReadOptions {
        guard let prometheus else { return traceOptions }
        var options = traceOptions
        let until = options.period.until ?? Int64(Date().timeIntervalSince1970)
        let from = options.period.from ?? until - 7 * 86_400
        if Terminal.isInteractive { Terminal.status("asking \(prometheus) for \(query.count) quer\(query.count == 1 ? "y" : "ies")...") }
        let files = try reportingInputErrors { try PrometheusFetch.fetch(server: prometheus, queries: query, from: from, until: until, step: step, into: folder) }
        Terminal.clearStatus()
        options.traces += files
        return options
    }

    func run() throws {
        let clock = ContinuousClock(), start = clock.now
        let inventory = try vms.map { path in try reportingInputErrors { try VMInventoryFile.read(path) } } ?? []
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hostfit-prometheus-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let set = try traces(fetchingInto: folder).profiles(inventory: inventory)
        guard !set.profiles.isEmpty else {
            // An empty profiles file with exit 0 would pass a misread in silence.
            let why = set.notes.isEmpty ? "the traces hold no CPU, memory, disk or network samples" : set.notes.joined(separator: "; ")
            Terminal.error("no profiles: \(why); nothing written")
            throw ExitCode(1)
        }
        do {
            try AtomicFile.write(Data(ProfileReport.csv(set).utf8), to: out)
        } catch {
            throw CLIFailure(code: 2, message: "\(out): cannot write the profiles: \(error.localizedDescription)")
        }
        let seconds = Double((clock.now - start).components.attoseconds) / 1e18 + Double((clock.now - start).components.seconds)
        let resources = set.profiles.reduce(0) { $0 + $1.resources.count }
        print("Profiled \(set.profiles.count) entities (\(resources) resource profiles, \(set.scheme.rawValue) p\(Resource.number(set.percentile))) in \(String(format: "%.2f", seconds)) s; wrote \(out)")
    }
}
