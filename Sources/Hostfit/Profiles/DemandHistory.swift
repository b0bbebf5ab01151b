/// The demand history itself: every entity's samples on one time grid, so that a planner
/// can require the summed demand of a host's VMs to fit at every moment the trace saw.
///
/// Slot k covers [start + k x step, start + (k + 1) x step); without `from`, start is the
/// first sample's time rounded down to a multiple of the step. Several samples in one slot keep
/// the largest; a slot with none holds the entity's previous value (before its first sample,
/// its first value), so a gap in monitoring is not read as an idle VM.
public struct DemandHistory: Sendable {
    public let start: Int64
    public let step: Int64
    public let slots: Int
    /// entity -> resource -> demand per slot.
    public let series: [String: [Resource: [Double]]]
    /// What the trace says each entity was given, where it says.
    public let allocations: [String: EntityAllocation]
    /// entity -> the share of slots with a sample of its own (before holding), worst resource.
    public let coverage: [String: Double]

    public init(start: Int64, step: Int64, slots: Int, series: [String: [Resource: [Double]]], allocations: [String: EntityAllocation] = [:],
                coverage: [String: Double] = [:]) {
        self.start = start
        self.step = step
        self.slots = slots
        self.series = series
        self.allocations = allocations
        self.coverage = coverage
    }

    /// From traces read with `keepSeries`, between `from` (inclusive) and `until` (exclusive);
    /// `step` defaults to the most common sampling interval. Percentages need the same
    /// capacities as profiles (`options`), and are left out without them.
    public init(_ read: TraceRead, from: Int64? = nil, until: Int64? = nil, step: Int64? = nil,
                options: ProfileBuilder.Options = ProfileBuilder.Options()) {
        var lo = Int64.max, hi = Int64.min
        var intervals: [Double] = []
        for entity in read.entities {
            for metric in Metric.allCases {
                guard let samples = read.series(entity, metric), let first = samples.first, let last = samples.last else { continue }
                lo = min(lo, first.time)
                hi = max(hi, last.time)
                if samples.count > 1 { intervals.append(Double(samples[1].time - samples[0].time)) }
            }
        }
        var sortedIntervals = intervals.sorted()
        let typical = QuantileSketch.quantiles(selecting: &sortedIntervals, [0.5]).first.map { Int64(max($0, 1)) } ?? 300
        let step = step ?? typical
        // Slots start at a multiple of the step from the epoch, as `Replay.stream` counts
        // them: a plan and its replay on the same traces see the same intervals.
        let start = from ?? (lo == Int64.max ? 0 : floorDiv(lo, step) * step), end = until ?? (hi + 1)
        let slots = max(0, Int((end - start + step - 1) / step))
        var series: [String: [Resource: [Double]]] = [:]
        var coverage: [String: Double] = [:]
        for entity in read.entities {
            let allocation = read.collector.allocations[entity] ?? EntityAllocation()
            for metric in Metric.allCases {
                guard let samples = read.series(entity, metric), !samples.isEmpty else { continue }
                var scale = 1.0
                switch metric {
                case .cpuPercent:
                    if read.series(entity, .cpuMHz) != nil { continue }
                    let cores = allocation.cores ?? options.inventory[entity]?.cores
                    guard let capacity = allocation.cpuMHz ?? options.coreMHz.flatMap({ mhz in cores.map { Double($0) * mhz } }) else { continue }
                    scale = capacity / 100
                case .memoryPercent:
                    if read.series(entity, .memoryMB) != nil { continue }
                    guard let memory = allocation.memoryMB ?? options.inventory[entity]?.memoryMB else { continue }
                    scale = memory / 100
                default: break
                }
                var values = [Double](repeating: -1, count: slots)
                for sample in samples where sample.time >= start && sample.time < end {
                    let k = Int((sample.time - start) / step)
                    values[k] = max(values[k], sample.value * scale)
                }
                guard let firstKnown = values.firstIndex(where: { $0 >= 0 }) else { continue }
                let share = Double(values.count { $0 >= 0 }) / Double(max(slots, 1))
                coverage[entity] = min(coverage[entity] ?? 1, share)
                var last = values[firstKnown]
                for k in 0..<slots { if values[k] < 0 { values[k] = last } else { last = values[k] } }
                series[entity, default: [:]][metric.resource] = values
            }
        }
        self.init(start: start, step: step, slots: slots, series: series, allocations: read.collector.allocations, coverage: coverage)
    }
}
