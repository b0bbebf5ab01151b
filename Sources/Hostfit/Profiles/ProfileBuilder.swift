import Foundation

/// Turns what was read from traces into workload profiles.
public enum ProfileBuilder {
    public struct Options: Sendable {
        public var percentile: Double
        /// Clock of one core, to turn CPU percentages into MHz when the trace does not say.
        public var coreMHz: Double?
        /// Allocations by entity name from a VM inventory (vCPUs, memory), for percentages
        /// the trace gives no capacity for.
        public var inventory: [String: EntityAllocation]

        public init(percentile: Double = 95, coreMHz: Double? = nil, inventory: [String: EntityAllocation] = [:]) {
            self.percentile = percentile
            self.coreMHz = coreMHz
            self.inventory = inventory
        }
    }

    public static func build(_ read: TraceRead, options: Options = Options()) -> ProfileSet {
        let c = read.collector
        var notes: [String] = []
        // The study window: from the first sample of any entity to the last.
        var windowStart = Int64.max, windowEnd = Int64.min
        for row in c.accumulators { for case let a? in row { windowStart = min(windowStart, a.firstTime); windowEnd = max(windowEnd, a.lastTime) } }
        let window = (windowStart, windowEnd)
        let built = ParallelMap.map(Array(c.names.enumerated())) { e, name in
            entityProfile(c, e, name, options: options, window: window)
        }
        let noCapacity = built.compactMap { $0.noCapacity ? c.names[$0.entity] : nil }
        var profiles = built.compactMap(\.profile)
        if !noCapacity.isEmpty {
            let list = noCapacity.prefix(3).joined(separator: ", ") + (noCapacity.count > 3 ? " and \(noCapacity.count - 3) more" : "")
            notes.append("\(noCapacity.count) entities give CPU or memory as a percentage with no capacity known (\(list)): left out; give --core-mhz for CPU, and --vms (vcpus, memory_mb) where the trace has no sizes")
        }
        profiles.sort { $0.entity.localizedStandardCompare($1.entity) == .orderedAscending }
        if let gaps = gapsNote(profiles.flatMap(\.resources).map { ($0.samples, $0.expectedSamples) }) { notes.append(gaps) }
        return ProfileSet(scheme: c.scheme, percentile: options.percentile, profiles: profiles, notes: notes)
    }

    /// What the series miss of their expected samples, in a note; nil where none miss any.
    static func gapsNote(_ series: [(samples: Int, expected: Int)]) -> String? {
        let missing = series.reduce(0) { $0 + $1.expected - $1.samples }
        guard missing > 0 else { return nil }
        let gappy = series.count { $0.samples < $0.expected }
        let expected = series.reduce(0) { $0 + $1.expected }
        return "gaps: \(gappy) of \(series.count) resource profiles miss samples, \(missing) of \(expected) expected (\(String(format: "%.1f", Double(missing) * 100 / Double(max(expected, 1))))%); their confidence_stars say how much"
    }

    private static func entityProfile(_ c: TraceCollector, _ e: Int, _ name: String, options: Options,
                                      window: (Int64, Int64)) -> (entity: Int, profile: WorkloadProfile?, noCapacity: Bool) {
        do {
            let allocation = c.allocations[name] ?? EntityAllocation()
            var resources: [ResourceProfile] = []
            var noCapacity = false
            for metric in Metric.allCases {
                guard var accumulator = c.accumulators[e][metric.rawValue], accumulator.count > 0 else { continue }
                var scale = 1.0
                let declared = options.inventory[name]
                if metric == .cpuPercent {
                    if c.accumulators[e][Metric.cpuMHz.rawValue] != nil { continue }  // MHz measured directly wins
                    let cores = allocation.cores ?? declared?.cores
                    guard let capacity = allocation.cpuMHz ?? options.coreMHz.flatMap({ mhz in cores.map { Double($0) * mhz } }) else {
                        noCapacity = true
                        continue
                    }
                    scale = capacity / 100
                } else if metric == .memoryPercent {
                    if c.accumulators[e][Metric.memoryMB.rawValue] != nil { continue }
                    guard let memory = allocation.memoryMB ?? declared?.memoryMB else { noCapacity = true; continue }
                    scale = memory / 100
                }
                resources.append(profile(&accumulator, resource: metric.resource, scale: scale, percentile: options.percentile, window: window))
            }
            let profile = resources.isEmpty ? nil : WorkloadProfile(entity: name, allocation: allocation, resources: resources.sorted { $0.resource < $1.resource })
            return (e, profile, noCapacity)
        }
    }

    static func profile(_ a: inout MetricAccumulator, resource: Resource, scale: Double, percentile: Double,
                        window: (start: Int64, end: Int64)) -> ResourceProfile {
        let q = percentile / 100
        var buckets = a.buckets
        // Selection needs ascending levels; the profile's own percentile goes among them.
        let levels = Array(Set([0.5, 0.9, 0.95, 0.99, q])).sorted()
        var computed: [Double]
        if buckets.allSatisfy(\.isExact) {
            var all = buckets.flatMap { $0.exactValues ?? [] }
            computed = QuantileSketch.quantiles(selecting: &all, levels)
        } else {
            var merged = QuantileSketch()
            for b in buckets { merged.merge(b) }
            computed = levels.map { merged.quantile($0) ?? 0 }
        }
        let quantiles = [0.5, 0.9, 0.95, 0.99, q].map { computed[levels.firstIndex(of: $0)!] }
        let bucketValues = buckets.indices.map { buckets[$0].quantile(q).map { $0 * scale } }

        let interval = a.intervals.quantile(0.5) ?? 0
        let (expected, stars) = ResourceProfile.coverage(samples: a.count, interval: interval, window: window)
        let daily = a.dailyMeans()
        let trend = daily.days.count >= 3 ? TrendFit.theilSenSlope(x: daily.days, y: daily.means).map { $0 * 30 * scale } : nil

        var profile = ResourceProfile(
            resource: resource, samples: a.count, expectedSamples: expected, confidenceStars: stars,
            mean: a.sum / Double(a.count) * scale, p50: quantiles[0] * scale, p90: quantiles[1] * scale, p95: quantiles[2] * scale,
            p99: quantiles[3] * scale, max: a.max * scale, trendPer30Days: trend, buckets: bucketValues,
            atPercentile: quantiles[4] * scale, trendDays: trend == nil ? nil : daily.days.count,
            trendZ: trend == nil ? nil : TrendFit.mannKendallZ(daily.means))
        profile.timing = SeriesTiming(interval: interval, first: a.firstTime, last: a.lastTime)
        return profile
    }
}
