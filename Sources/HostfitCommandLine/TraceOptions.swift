import ArgumentParser
import Foundation
import Hostfit

/// The flags of commands that plan on traces or profiles: reading them, and --sizing.
package struct TraceOptions: ParsableArguments {
    package init() {}

    @OptionGroup package var read: TraceReadOptions

    @Option(help: ArgumentHelp("Profiles CSV written by `hostfit profile`, instead of --traces.", valueName: "file"))
    package var profiles: String?

    @Option(help: ArgumentHelp(
        "How traces become demand (plan and check).",
        discussion: "history (default): the demand at every interval of the trace, so a host's VMs must fit together at every moment, not their summed peaks; profile: the --percentile of each hour of the day or week; percentile: each VM's --percentile over its whole trace, as one static figure; peak: each VM's maximum; allocation: what each VM was given.",
        valueName: "history|profile|percentile|peak|allocation"))
    package var sizing: DemandSizing?

    package func validate() throws {
        if profiles != nil && !traces.isEmpty { throw ValidationError("give --traces or --profiles, not both") }
        if profiles != nil, let sizing, sizing != .profile {
            throw ValidationError("--profiles plans on the profiles; --sizing \(sizing.rawValue) needs --traces")
        }
    }

    /// The inputs and options of these flags, for summary.json.
    package func record(into record: inout RunRecord) {
        for path in traces { record.add("traces", path) }
        if let profiles { record.add("profiles", profiles) }
        guard !traces.isEmpty || profiles != nil else { return }
        record.options["sizing"] = (sizing ?? (profiles != nil ? .profile : .history)).rawValue
        record.options["percentile"] = Resource.number(percentile)
        record.options["buckets"] = buckets.rawValue
        if let coreMHz { record.options["core-mhz"] = Resource.number(coreMHz) }
        if let from = read.from { record.options["from"] = from }
        if let until = read.until { record.options["until"] = until }
        if let label = read.label { record.options["label"] = label }
    }

    /// Fills what was not given on the command line from a run's record (`hostfit check`).
    package mutating func fill(from record: RunRecord) throws {
        if traces.isEmpty && profiles == nil {
            traces = record.paths("traces")
            profiles = record.paths("profiles").first
        }
        if sizing == nil, let raw = record.options["sizing"] { sizing = DemandSizing(rawValue: raw) }
        if percentileOption == nil { percentileOption = record.options["percentile"].flatMap(Double.init) }
        if bucketsOption == nil { bucketsOption = record.options["buckets"].flatMap(BucketScheme.init(rawValue:)) }
        if coreMHz == nil { coreMHz = record.options["core-mhz"].flatMap(Double.init) }
        if read.from == nil { read.from = record.options["from"] }
        if read.until == nil { read.until = record.options["until"] }
        if read.label == nil { read.label = record.options["label"] }
    }

    /// What the traces (or a profiles file) say each VM needs, per --sizing; nil without either.
    package func demand(inventory: [VM]) throws -> TracedDemand? {
        if let profiles { return TracedDemand(profiles: try reportingInputErrors { try ProfileFile.read(profiles) }) }
        guard !traces.isEmpty else { return nil }
        let show: (@Sendable (TraceProgress) -> Void)? = Terminal.isInteractive ? TraceReadOptions.showProgress : nil
        let demand = try reportingInputErrors {
            try TracedDemand.read(traces, sizing: sizing ?? .history, percentile: percentile, scheme: buckets, coreMHz: coreMHz,
                                  inventory: inventory, period: read.period, entityLabel: read.label, progress: show)
        }
        Terminal.clearStatus()
        if let quality = demand.quality { try read.report(quality) }
        return demand
    }

    /// Profiles to fit trends on: those of `traced` when it holds profiles, else the
    /// traces read once more as profiles; nil without traces or profiles.
    package func trendProfiles(_ traced: TracedDemand?, inventory: [VM]) throws -> ProfileSet? {
        if let traced, case .profiles(let set) = traced.source { return set }
        guard !traces.isEmpty else { return nil }
        let demand = try reportingInputErrors {
            try TracedDemand.read(traces, sizing: .profile, percentile: percentile, scheme: buckets, coreMHz: coreMHz,
                                  inventory: inventory, period: read.period, entityLabel: read.label)
        }
        guard case .profiles(let set) = demand.source else { return nil }
        return set
    }

    // The reading flags, as if they were this group's own.
    package var traces: [String] { get { read.traces } set { read.traces = newValue } }
    package var buckets: BucketScheme { read.buckets }
    package var percentile: Double { read.percentile }
    package var percentileOption: Double? { get { read.percentileOption } set { read.percentileOption = newValue } }
    package var bucketsOption: BucketScheme? { get { read.bucketsOption } set { read.bucketsOption = newValue } }
    package var coreMHz: Double? { get { read.coreMHz } set { read.coreMHz = newValue } }
}

/// The flags of every command that reads performance traces (profile, plan, check).
package struct TraceReadOptions: ParsableArguments {
    package init() {}

    @Option(name: .customLong("traces"), help: ArgumentHelp(
        "Trace file or folder (repeatable; plain or gzip).",
        discussion: "Formats are detected from the header: native long (timestamp,entity,metric,value), native wide (timestamp,entity,cpu_mhz,...), Bitbrains GWA-T-12, PlanetLab/CoMon, perfmon/typeperf and esxtop (PDH-CSV 4.0), sar (sadf -d), Azure v1 (vm_cpu_readings, vmtable), Alibaba 2018 (machine_usage, machine_meta), Prometheus query_range answers (JSON: node_exporter, windows_exporter, Proxmox and libvirt exporters, or series named as Hostfit metrics), Proxmox VE rrddata (JSON, one guest per file, named by the file).",
        valueName: "path"))
    package var traces: [String] = []

    @Option(name: .customLong("buckets"), help: ArgumentHelp("How profiles fold time (UTC; default hour-of-week).", valueName: "hour-of-day|hour-of-week"))
    package var bucketsOption: BucketScheme?
    package var buckets: BucketScheme { bucketsOption ?? .hourOfWeek }

    @Option(name: .customLong("percentile"), help: ArgumentHelp("The percentile each time bucket keeps (default 95); plan and check with --sizing percentile plan on it.", valueName: "pct"))
    package var percentileOption: Double?
    package var percentile: Double { percentileOption ?? 95 }

    @Option(name: .customLong("core-mhz"), help: ArgumentHelp(
        "Clock of one core, to turn CPU percentages into MHz where a trace gives no capacity.", valueName: "MHz"))
    package var coreMHz: Double?

    @Option(help: ArgumentHelp("Use samples from this time on (2013-07-15, an ISO 8601 time in UTC, or epoch seconds).", valueName: "time"))
    package var from: String?

    @Option(help: ArgumentHelp("Use samples before this time: plan on --until D, then replay --from D.", valueName: "time"))
    package var until: String?

    /// The period --from and --until give.
    package var period: TracePeriod {
        TracePeriod(from: from.flatMap(TracePeriod.time), until: until.flatMap(TracePeriod.time))
    }

    @Option(help: ArgumentHelp(
        "Prometheus answers: the label that names each VM or host (default: the first of vm, domain, name, id, instance a series has).",
        discussion: "instance loses its :port. A series without the label is skipped and counted in the data-quality report.",
        valueName: "name"))
    package var label: String?

    @Flag(help: "Treat any unreadable row in a trace as an error (exit 2) instead of counting and reporting it.")
    package var strict = false

    package func validate() throws {
        guard percentile > 0, percentile <= 100 else { throw ValidationError("--percentile must be above 0 and at most 100") }
        if let coreMHz, !(coreMHz > 0 && coreMHz.isFinite) { throw ValidationError("--core-mhz must be a positive number") }
        for (flag, value) in [("--from", from), ("--until", until)] {
            if let value, TracePeriod.time(value) == nil { throw ValidationError("\(flag) \(value): not a time (give 2013-07-15, 2013-07-15T12:00:00Z or epoch seconds)") }
        }
        if let a = period.from, let b = period.until, a >= b { throw ValidationError("--from must come before --until") }
    }

    /// Reads the traces, reports data quality on stderr, and builds profiles.
    package func profiles(inventory: [VM] = []) throws -> ProfileSet {
        let show: (@Sendable (TraceProgress) -> Void)? = Terminal.isInteractive ? Self.showProgress : nil
        let paths = traces, scheme = buckets
        let period = period
        let label = label
        let read = try reportingInputErrors { try TraceLoader.read(paths, scheme: scheme, period: period, entityLabel: label, progress: show) }
        Terminal.clearStatus()
        try report(TraceQuality(read))
        let sizes = Dictionary(inventory.map { ($0.id, EntityAllocation(cores: $0.vcpus, memoryMB: $0.memoryMB)) }, uniquingKeysWith: { a, _ in a })
        let set = ProfileBuilder.build(read, options: ProfileBuilder.Options(percentile: percentile, coreMHz: coreMHz, inventory: sizes))
        for note in set.notes { Terminal.note(note) }
        return set
    }

    @Sendable package static func showProgress(_ p: TraceProgress) {
        let rate = Double(p.bytes) / 1e6 / max(p.seconds, 0.001)
        Terminal.status("reading traces: \(p.filesDone)/\(p.files) files, \(p.rows) rows, \(Int(rate)) MB/s")
    }

    /// Bad rows never pass silently: counted per file, first examples shown.
    package func report(_ read: TraceQuality) throws {
        for issues in read.issues where issues.badRows > 0 {
            if strict, let first = issues.firstError {
                throw CLIFailure(code: 2, message: "\(first) (--strict: \(issues.badRows) unreadable rows in this file)")
            }
            let kinds = issues.kinds.sorted { $0.value.count > $1.value.count }
            Terminal.note("\(issues.file): \(issues.badRows) of \(issues.rows) rows not read: " + kinds.map { "\($0.value.count) \($0.key)" }.joined(separator: ", "))
            for example in kinds.flatMap(\.value.examples).prefix(FileIssues.examplesKept) { Terminal.note("  \(example)") }
        }
        for issues in read.issues { for note in issues.notes { Terminal.note("\(issues.file): \(note)") } }
        var skipped: [String: Int] = [:]
        for issues in read.issues { for (why, n) in issues.skipped { skipped[why, default: 0] += n } }
        for (why, n) in skipped.sorted(by: { $0.key < $1.key }) { Terminal.note("skipped \(n) \(why)") }
        if read.duplicates > 0 { Terminal.note("\(read.duplicates) samples repeated their entity's previous timestamp: ignored") }
        if read.outOfOrder > 0 { Terminal.note("\(read.outOfOrder) samples came out of time order: used") }
        if !read.ignored.isEmpty {
            Terminal.note("\(read.ignored.count) files in the trace folders are not traces and were skipped (\(read.ignored.prefix(3).map { ($0 as NSString).lastPathComponent }.joined(separator: ", "))\(read.ignored.count > 3 ? ", ..." : ""))")
        }
    }
}
