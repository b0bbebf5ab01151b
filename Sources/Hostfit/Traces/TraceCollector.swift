/// Where readers put what they read: samples per entity and metric, allocations the trace
/// states, and the rows it could not read. One collector per file, so files read in
/// parallel share nothing; collectors merge afterwards.
final class TraceCollector {
    let scheme: BucketScheme
    let keepSeries: Bool
    private(set) var entityIndex: [String: Int] = [:]
    private(set) var names: [String] = []
    /// [entity][metric.rawValue], created on first use.
    private(set) var accumulators: [[MetricAccumulator?]] = []
    private(set) var allocations: [String: EntityAllocation] = [:]
    var issues: FileIssues
    /// When set, samples go here instead of into accumulators (streaming).
    var sink: SampleSink?
    /// Samples outside it are counted, not used.
    var period = TracePeriod()
    /// Prometheus answers: the label that names each entity; nil for the usual ones.
    var entityLabel: String?
    var outsidePeriod = 0

    init(scheme: BucketScheme, file: String, keepSeries: Bool = false) {
        self.scheme = scheme
        self.keepSeries = keepSeries
        self.issues = FileIssues(file: file)
    }

    func entity(_ name: String) -> Int {
        if let e = entityIndex[name] { return e }
        let e = names.count
        entityIndex[name] = e
        names.append(name)
        accumulators.append([MetricAccumulator?](repeating: nil, count: Metric.allCases.count))
        return e
    }

    /// Adds a sample that passed the reader's checks; false for a repeated timestamp.
    @discardableResult
    @inline(__always)
    func add(entity e: Int, time: Int64, metric: Metric, value: Double) -> Bool {
        if !period.isAll && !period.contains(time) { outsidePeriod += 1; return true }
        if let sink {
            sink.add(entity: e, name: { self.names[$0] }, time: time, metric: metric, value: value)
            return true
        }
        let bucket = scheme.bucket(time)
        if accumulators[e][metric.rawValue] == nil { accumulators[e][metric.rawValue] = MetricAccumulator(buckets: scheme.count, keepSeries: keepSeries) }
        return accumulators[e][metric.rawValue]!.add(time: time, value: value, bucket: bucket)
    }

    /// Takes over an accumulator a reader filled locally (the fast path for one-entity files).
    func absorb(entity e: Int, metric: Metric, _ accumulator: MetricAccumulator) {
        guard accumulator.count > 0 || accumulator.duplicates > 0 else { return }
        if accumulators[e][metric.rawValue] == nil { accumulators[e][metric.rawValue] = accumulator } else { accumulators[e][metric.rawValue]!.merge(accumulator) }
    }

    /// A fresh accumulator as this collector makes them (for readers that fill one locally).
    func newAccumulator() -> MetricAccumulator {
        MetricAccumulator(buckets: scheme.count, keepSeries: keepSeries)
    }

    /// Records what the trace says an entity was given; later statements fill gaps only.
    func allocate(_ name: String, _ allocation: EntityAllocation) {
        allocations[name] = (allocations[name] ?? EntityAllocation()).filling(with: allocation)
    }

    /// Folds another collector (another file) into this one.
    func merge(_ other: TraceCollector) {
        for (e, name) in other.names.enumerated() {
            let mine = entity(name)
            for m in 0..<Metric.allCases.count {
                guard let theirs = other.accumulators[e][m] else { continue }
                if accumulators[mine][m] == nil { accumulators[mine][m] = theirs } else { accumulators[mine][m]!.merge(theirs) }
            }
        }
        for (name, allocation) in other.allocations { allocate(name, allocation) }
    }
}

/// What a trace says an entity was given (not what it used).
public struct EntityAllocation: Sendable, Equatable {
    public var cores: Int?
    /// Capacity in MHz (all cores), as Bitbrains states it.
    public var cpuMHz: Double?
    public var memoryMB: Double?

    public init(cores: Int? = nil, cpuMHz: Double? = nil, memoryMB: Double? = nil) {
        self.cores = cores
        self.cpuMHz = cpuMHz
        self.memoryMB = memoryMB
    }

    func filling(with other: EntityAllocation) -> EntityAllocation {
        EntityAllocation(cores: cores ?? other.cores, cpuMHz: cpuMHz ?? other.cpuMHz, memoryMB: memoryMB ?? other.memoryMB)
    }
}
