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

        With --spark MASTER (local[N], or a cluster's URL), Apache Spark spreads the \
        files over tasks that each run this hostfit on their share (--partial) and \
        joins their profiles (--merge): the same profiles.csv. Files cut by time with \
        every entity in each (Azure's vm_cpu_readings; --cut time) are read into samples \
        (--samples-out) that Spark regroups by entity first. See docs/scale.md.

        Examples:
          hostfit profile --traces traces/ --buckets hour-of-week --out profiles.csv
          hostfit profile --spark 'local[2]' --traces bitbrains/ --out profiles.csv
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
    var out: String?

    @Option(help: ArgumentHelp("Run on Apache Spark: local[N] or a cluster's master URL (pyspark or SPARK_HOME needed).", valueName: "master"))
    var spark: String?

    @Option(help: ArgumentHelp("With --spark: how the trace files are cut, by entity (each file holds whole entities) or by time (each holds a period of every entity; the default for Azure's vm_cpu_readings).", valueName: "entity|time"))
    var cut: SparkJob.Cut?

    @Flag(help: "Write partial profiles: a share of a job's entities, with each series' timing, for --merge (what each Spark task writes).")
    var partial = false

    @Option(help: ArgumentHelp("Partial profiles to join into --out (repeatable): expected samples and stars are judged over the whole study window.", valueName: "file"))
    var merge: [String] = []

    @Option(name: .customLong("samples-out"), help: ArgumentHelp("Write the samples as read, in the native long layout, instead of profiles (what Spark regroups by entity).", valueName: "file"))
    var samplesOut: String?

    func validate() throws {
        if !merge.isEmpty {
            guard traceOptions.traces.isEmpty, prometheus == nil, spark == nil else { throw ValidationError("--merge joins partial profiles: give no --traces, --prometheus or --spark with it") }
            guard out != nil else { throw ValidationError("--merge needs --out: the profiles CSV to write") }
            return
        }
        guard (out != nil) != (samplesOut != nil) else { throw ValidationError(samplesOut == nil ? "--out is needed: the profiles CSV to write" : "give --out or --samples-out, not both") }
        if spark != nil, prometheus != nil || partial || samplesOut != nil { throw ValidationError("--spark reads --traces files: not with --prometheus, --partial or --samples-out") }
        if cut != nil, spark == nil { throw ValidationError("--cut says how --spark spreads the files: give --spark") }
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
        if !merge.isEmpty { return try joinPartials(start: start) }
        if let spark { return try SparkJob.profile(master: spark, cut: cut, arguments: Array(CommandLine.arguments.dropFirst(2)), traces: traceOptions.traces) }
        if let samplesOut {
            let options = traceOptions
            let read = try reportingInputErrors { try LongSamples.write(options.traces, period: options.period, entityLabel: options.label, to: samplesOut) }
            try traceOptions.report(TraceQuality(read))
            return
        }
        let out = out!
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
            try AtomicFile.write(Data(ProfileReport.csv(set, partial: partial).utf8), to: out)
        } catch {
            throw CLIFailure(code: 2, message: "\(out): cannot write the profiles: \(error.localizedDescription)")
        }
        let seconds = Double((clock.now - start).components.attoseconds) / 1e18 + Double((clock.now - start).components.seconds)
        let resources = set.profiles.reduce(0) { $0 + $1.resources.count }
        print("Profiled \(set.profiles.count) entities (\(resources) resource profiles, \(set.scheme.rawValue) p\(Resource.number(set.percentile))) in \(String(format: "%.2f", seconds)) s; wrote \(out)")
    }

    /// --merge: partial profiles joined into one profiles.csv.
    private func joinPartials(start: ContinuousClock.Instant) throws {
        let out = out!
        let merged = try reportingInputErrors { try ProfileMerge.merge(try merge.map { path throws(InputError) in try CSVTable(contentsOf: path) }) }
        for note in merged.notes { Terminal.note(note) }
        do {
            try AtomicFile.write(Data(merged.csv.utf8), to: out)
        } catch {
            throw CLIFailure(code: 2, message: "\(out): cannot write the profiles: \(error.localizedDescription)")
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("Joined \(merge.count) partial profiles: \(merged.entities) entities (\(merged.series) resource profiles) in \(String(format: "%.2f", seconds)) s; wrote \(out)")
    }
}
