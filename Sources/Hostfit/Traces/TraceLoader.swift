import Foundation

/// Progress of a long read, for the CLI to show on a terminal.
public struct TraceProgress: Sendable {
    public var filesDone: Int
    public var files: Int
    public var rows: Int
    public var bytes: Int
    public var seconds: Double
}

/// What reading a set of trace paths gave: samples gathered per entity and metric, and an
/// account of every file.
public struct TraceRead {
    let collector: TraceCollector
    public let files: [(path: String, format: TraceFormat)]
    public let issues: [FileIssues]
    /// Files in folders that are not traces (READMEs, licences...), skipped.
    public let ignored: [String]
    public let seconds: Double

    public var entityCount: Int { collector.names.count }
    public var entities: [String] { collector.names }

    /// What the trace says the entity was given.
    public func profileAllocation(_ entity: String) -> EntityAllocation? {
        collector.allocations[entity]
    }

    /// The samples of one entity and metric in time order, when read with `keepSeries`.
    public func series(_ entity: String, _ metric: Metric) -> [(time: Int64, value: Double)]? {
        guard let e = collector.entityIndex[entity], let a = collector.accumulators[e][metric.rawValue],
              let times = a.seriesTimes, let values = a.seriesValues else { return nil }
        return zip(times, values).map { ($0, $1) }.sorted { $0.time < $1.time }
    }
    public var rows: Int { issues.reduce(0) { $0 + $1.rows } }
    /// Samples that repeated the previous timestamp of their entity and metric (ignored).
    public var duplicates: Int { collector.accumulators.joined().reduce(0) { $0 + ($1?.duplicates ?? 0) } }
    /// Samples older than one already read for their entity and metric (used).
    public var outOfOrder: Int { collector.accumulators.joined().reduce(0) { $0 + ($1?.outOfOrder ?? 0) } }
    public var badRows: Int { issues.reduce(0) { $0 + $1.badRows } }
}

public enum TraceLoader {
    /// Reads every trace under `paths` (files, or folders searched recursively), in parallel.
    /// A named file of an unknown format is an error; one found in a folder is skipped.
    /// `keepSeries` keeps every sample as well (memory then grows with them).
    /// Samples outside `period` are counted per file (`FileIssues.skipped`) and not used.
    /// `entityLabel` names the Prometheus label that says which entity a series is of.
    public static func read(_ paths: [String], scheme: BucketScheme, keepSeries: Bool = false, period: TracePeriod = TracePeriod(),
                            entityLabel: String? = nil, progress: (@Sendable (TraceProgress) -> Void)? = nil) throws(InputError) -> TraceRead {
        try load(paths, scheme: scheme, keepSeries: keepSeries, period: period, entityLabel: entityLabel, sinks: nil, progress: progress)
    }

    /// Reads like `read`, but hands every sample to a sink (one per worker, from `makeSink`)
    /// instead of keeping it: the read then holds only its account of the files.
    static func stream<Sink: SampleSink>(_ paths: [String], period: TracePeriod = TracePeriod(), entityLabel: String? = nil,
                                         into makeSink: @escaping () -> Sink,
                                         progress: (@Sendable (TraceProgress) -> Void)? = nil) throws(InputError) -> (read: TraceRead, sinks: [Sink]) {
        var made: [Sink] = []
        let loaded = try load(paths, scheme: .hourOfWeek, keepSeries: false, period: period, entityLabel: entityLabel, sinks: { let sink = makeSink(); made.append(sink); return sink },
                              progress: progress)
        return (loaded, made)
    }

    private static func load(_ paths: [String], scheme: BucketScheme, keepSeries: Bool, period: TracePeriod, entityLabel: String?,
                             sinks makeSink: (() -> SampleSink)?,
                             progress: (@Sendable (TraceProgress) -> Void)?) throws(InputError) -> TraceRead {
        let start = Date()
        var candidates: [(path: String, named: Bool)] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw InputError(file: path, "no such file or folder") }
            if isDirectory.boolValue {
                let found = try filesUnder(path)
                if found.isEmpty { throw InputError(file: path, "is an empty folder") }
                candidates += found.map { ($0, false) }
            } else {
                candidates.append((path, true))
            }
        }
        let files = candidates
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, files.count))
        let state = LoadState(workers: workers, scheme: scheme, count: candidates.count, keepSeries: keepSeries)
        for collector in state.collectors {
            collector.period = period
            collector.entityLabel = entityLabel
            if let makeSink { collector.sink = makeSink() }
        }
        let report = progress
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var k = worker
            while k < files.count {
                state.readFile(files[k].path, named: files[k].named, index: k, worker: worker)
                if let report { state.report(report, start: start) }
                k += workers
            }
        }
        if let error = state.firstError() { throw error }
        let merged = state.collectors[0]
        for other in state.collectors.dropFirst() { merged.merge(other) }
        let done = state.results.enumerated().compactMap { k, r in r.map { (candidates[k].path, $0.format, $0.issues) } }
        guard !done.isEmpty else {
            throw InputError(file: paths.joined(separator: ", "), "holds no trace file of a format Hostfit reads")
        }
        guard makeSink != nil || merged.accumulators.contains(where: { $0.contains { $0 != nil } }) else {
            if let (path, _, issues) = done.first(where: { $0.2.unplannable != nil }) {
                throw InputError(file: path, line: 1, issues.unplannable!)
            }
            throw InputError(file: paths.joined(separator: ", "), "holds no samples Hostfit can plan on (no CPU, memory, disk or network values)")
        }
        let read = TraceRead(collector: merged, files: done.map { ($0.0, $0.1) }, issues: done.map(\.2),
                             ignored: state.ignored.enumerated().compactMap { $1 ? candidates[$0].path : nil },
                             seconds: Date().timeIntervalSince(start))
        return read
    }

    /// The trace files a read of `paths` reads, in its order: files as named, and the files
    /// under folders whose first lines are a trace format (others a read skips). What a
    /// job that spreads a read over processes (`--spark`) hands out.
    public static func files(_ paths: [String]) throws(InputError) -> [String] {
        var result: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw InputError(file: path, "no such file or folder") }
            guard isDirectory.boolValue else { result.append(path); continue }
            let found = try filesUnder(path)
            if found.isEmpty { throw InputError(file: path, "is an empty folder") }
            for file in found {
                guard let head = try? TraceFile(path: file), TraceFormat.detect(firstLine: head.firstLine, head: head.head) != nil else { continue }
                result.append(file)
            }
        }
        return result
    }

    private static func filesUnder(_ folder: String) throws(InputError) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { throw InputError(file: folder, "cannot be read") }
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            let path = (folder as NSString).appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            guard !relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }),
                  FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            files.append(path)
        }
        return files.sorted()
    }
}

/// Shared state of one parallel read. Each worker fills only its own collector; the
/// per-file slots are written under the lock (arrays are not safe to mutate concurrently,
/// even at distinct indices).
private final class LoadState: @unchecked Sendable {
    let collectors: [TraceCollector]
    private(set) var results: [(format: TraceFormat, issues: FileIssues)?]
    private(set) var errors: [InputError?]
    private(set) var ignored: [Bool]
    private let lock = NSLock()
    private var filesDone = 0, rows = 0, bytes = 0
    private var lastReport = Date.distantPast

    init(workers: Int, scheme: BucketScheme, count: Int, keepSeries: Bool) {
        collectors = (0..<workers).map { _ in TraceCollector(scheme: scheme, file: "", keepSeries: keepSeries) }
        results = Array(repeating: nil, count: count)
        errors = Array(repeating: nil, count: count)
        ignored = Array(repeating: false, count: count)
    }

    func readFile(_ path: String, named: Bool, index: Int, worker: Int) {
        let collector = collectors[worker]
        do {
            let file = try TraceFile(path: path)
            if file.firstLine.hasPrefix("PAR1") {
                // Read where Spark is: a folder of traces may hold a Parquet part, skipped like any non-trace.
                guard named else { lock.withLock { ignored[index] = true }; return }
                throw InputError(file: path, "a Parquet file: Hostfit reads Parquet samples (timestamp, entity, metric, value) on Spark, with --spark local[N]")
            }
            guard let format = TraceFormat.detect(firstLine: file.firstLine, head: file.head) else {
                if named {
                    let head = String(file.firstLine.prefix(80))
                    throw InputError(file: path, line: 1, "not a trace format Hostfit reads (first line: \(head.debugDescription))")
                }
                lock.withLock { ignored[index] = true }
                return
            }
            collector.issues = FileIssues(file: path)
            collector.outsidePeriod = 0
            try format.read(file, into: collector)
            collector.sink?.endFile(path)
            if collector.outsidePeriod > 0 { collector.issues.skipped["samples outside --from/--until", default: 0] += collector.outsidePeriod }
            lock.withLock {
                results[index] = (format, collector.issues)
                filesDone += 1
                rows += collector.issues.rows
                bytes += file.compressedBytesRead
            }
        } catch var error as InputError {
            // A named inventory export given as a trace: say what it is and where it goes.
            if named, error.message == TraceFormat.notATrace, let other = PlatformInventory.kind(of: path) {
                error.message = "this looks like \(other.what), not a trace: give it as \(other.flags)"
            }
            lock.withLock {
                if !named, error.message == "is empty" || error.message == TraceFormat.notATrace { ignored[index] = true } else { errors[index] = error }
            }
        } catch {
            lock.withLock { errors[index] = InputError(file: path, "\(error)") }
        }
    }

    func report(_ progress: @Sendable (TraceProgress) -> Void, start: Date) {
        let snapshot: TraceProgress? = lock.withLock {
            guard Date().timeIntervalSince(lastReport) > 0.5 else { return nil }
            lastReport = Date()
            return TraceProgress(filesDone: filesDone, files: results.count, rows: rows, bytes: bytes, seconds: Date().timeIntervalSince(start))
        }
        if let snapshot { progress(snapshot) }
    }

    func firstError() -> InputError? { errors.compactMap { $0 }.first }
}
