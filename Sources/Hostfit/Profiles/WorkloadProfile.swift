/// How one entity (a VM, or a server about to become one) used one resource over a trace.
public struct ResourceProfile: Sendable, Equatable {
    public var resource: Resource
    public var samples: Int
    /// Samples a complete trace would have had over the study window at this entity's interval.
    public var expectedSamples: Int
    /// 1 to 5 stars from the share of expected samples present (Azure Migrate's bands:
    /// up to 20% is 1 star, up to 40% 2, up to 60% 3, up to 80% 4, above 5).
    public var confidenceStars: Int
    public var mean: Double
    public var p50: Double
    public var p90: Double
    public var p95: Double
    public var p99: Double
    public var max: Double
    /// Change per 30 days of the daily mean (Theil–Sen); nil with under three days.
    public var trendPer30Days: Double?
    /// Days with a daily mean behind the trend, and its Mann–Kendall score (`TrendFit`).
    public var trendDays: Int?
    public var trendZ: Double?
    /// The profile's percentile of each time bucket; nil where the trace has no sample.
    public var buckets: [Double?]
    /// The profile's percentile (`ProfileSet.percentile`) over every sample, not per bucket:
    /// what `--sizing percentile` plans on. nil for profiles read from a file at another level.
    public var atPercentile: Double?
    /// When the series was sampled: what a job that profiled a share of the traces needs
    /// to judge its gaps against the whole study window (`ProfileMerge`). Nil when read back.
    public var timing: SeriesTiming?

    public init(resource: Resource, samples: Int, expectedSamples: Int, confidenceStars: Int, mean: Double, p50: Double,
                p90: Double, p95: Double, p99: Double, max: Double, trendPer30Days: Double?, buckets: [Double?],
                atPercentile: Double? = nil, trendDays: Int? = nil, trendZ: Double? = nil) {
        self.atPercentile = atPercentile
        self.trendDays = trendDays
        self.trendZ = trendZ
        self.resource = resource
        self.samples = samples
        self.expectedSamples = expectedSamples
        self.confidenceStars = confidenceStars
        self.mean = mean
        self.p50 = p50
        self.p90 = p90
        self.p95 = p95
        self.p99 = p99
        self.max = max
        self.trendPer30Days = trendPer30Days
        self.buckets = buckets
    }

    /// The samples a complete series would have over `window` at its median `interval`
    /// (at least those it has), and the stars of the share present.
    public static func coverage(samples: Int, interval: Double, window: (start: Int64, end: Int64)) -> (expected: Int, stars: Int) {
        let span = Double(window.end - window.start)
        let expected = interval > 0 ? Int((span / interval).rounded(.down)) + 1 : samples
        let share = min(1, Double(samples) / Double(Swift.max(expected, 1)))
        return (Swift.max(expected, samples), stars(share: share))
    }

    public static func stars(share: Double) -> Int {
        switch share {
        case ...0.2: 1
        case ...0.4: 2
        case ...0.6: 3
        case ...0.8: 4
        default: 5
        }
    }
}

/// A series' median interval between samples and its first and last sample (epoch seconds).
public struct SeriesTiming: Sendable, Equatable {
    public var interval: Double
    public var first: Int64
    public var last: Int64

    public init(interval: Double, first: Int64, last: Int64) {
        self.interval = interval
        self.first = first
        self.last = last
    }
}

/// One entity's profiles, one per resource it was measured on.
public struct WorkloadProfile: Sendable, Equatable {
    public var entity: String
    public var allocation: EntityAllocation
    public var resources: [ResourceProfile]

    public init(entity: String, allocation: EntityAllocation, resources: [ResourceProfile]) {
        self.entity = entity
        self.allocation = allocation
        self.resources = resources
    }

    public func profile(of resource: Resource) -> ResourceProfile? {
        resources.first { $0.resource == resource }
    }
}

/// Profiles of every traced entity, folded the same way.
public struct ProfileSet: Sendable {
    public var scheme: BucketScheme
    /// The percentile each bucket holds (95 for p95).
    public var percentile: Double
    public var profiles: [WorkloadProfile]
    /// Things the user should know (an entity whose CPU % had no capacity...).
    public var notes: [String]

    public init(scheme: BucketScheme, percentile: Double, profiles: [WorkloadProfile], notes: [String] = []) {
        self.scheme = scheme
        self.percentile = percentile
        self.profiles = profiles
        self.notes = notes
    }
}
