/// What the traces say each VM needs, under one `DemandSizing`: the input a
/// `PlacementProblem` is built from, besides the inventory.
///
///     let vms = try VMInventoryFile.read("vms.csv")
///     let demand = try TracedDemand.read(["traces/"], sizing: .percentile, percentile: 80, inventory: vms)
///     let problem = try PlacementProblem(hosts: hosts, vms: vms, demand: demand)
public struct TracedDemand: Sendable {
    public enum Source: Sendable {
        /// Profiles built from traces, or read from a profiles.csv.
        case profiles(ProfileSet)
        /// Every sample, lined up on one grid (`history` sizing).
        case history(DemandHistory)
    }

    public let sizing: DemandSizing
    public let source: Source
    /// Data quality of the traces read (bad rows, duplicates, gaps); nil for a profiles file.
    public let quality: TraceQuality?
    /// What the user should know about how demand was derived.
    public let notes: [String]
    private let profileOf: [String: WorkloadProfile]

    public init(sizing: DemandSizing, source: Source, quality: TraceQuality? = nil, notes: [String] = []) {
        self.sizing = sizing
        self.source = source
        self.quality = quality
        self.notes = notes
        if case .profiles(let set) = source {
            profileOf = Dictionary(set.profiles.map { ($0.entity, $0) }, uniquingKeysWith: { a, _ in a })
        } else {
            profileOf = [:]
        }
    }

    /// Profiles from a profiles.csv (`hostfit profile`): planned bucket by bucket.
    public init(profiles: ProfileSet) {
        self.init(sizing: .profile, source: .profiles(profiles), notes: profiles.notes)
    }

    /// Reads `paths` (files or folders) and derives demand as `sizing` says. `percentile`
    /// is the level of `profile` and `percentile` sizing; `inventory` gives percentages a
    /// capacity (vCPUs, memory) where the trace does not, as does `coreMHz` for CPU.
    public static func read(_ paths: [String], sizing: DemandSizing = .history, percentile: Double = 95,
                            scheme: BucketScheme = .hourOfWeek, coreMHz: Double? = nil, inventory: [VM] = [],
                            period: TracePeriod = TracePeriod(), entityLabel: String? = nil,
                            progress: (@Sendable (TraceProgress) -> Void)? = nil) throws(InputError) -> TracedDemand {
        let read = try TraceLoader.read(paths, scheme: scheme, keepSeries: sizing == .history, period: period, entityLabel: entityLabel,
                                        progress: progress)
        return TracedDemand(read, sizing: sizing, percentile: percentile, coreMHz: coreMHz, inventory: inventory, period: period)
    }

    /// Demand from traces already read (with `keepSeries` for `history`).
    /// `period` sets the history's grid (its first and last interval) when given.
    public init(_ read: TraceRead, sizing: DemandSizing, percentile: Double = 95, coreMHz: Double? = nil, inventory: [VM] = [],
                period: TracePeriod = TracePeriod()) {
        let sizes = Dictionary(inventory.map { ($0.id, EntityAllocation(cores: $0.vcpus, memoryMB: $0.memoryMB)) }, uniquingKeysWith: { a, _ in a })
        let options = ProfileBuilder.Options(percentile: percentile, coreMHz: coreMHz, inventory: sizes)
        if sizing == .history {
            self.init(sizing: sizing, source: .history(DemandHistory(read, from: period.from, until: period.until, options: options)), quality: TraceQuality(read))
        } else {
            let set = ProfileBuilder.build(read, options: options)
            self.init(sizing: sizing, source: .profiles(set), quality: TraceQuality(read), notes: set.notes)
        }
    }

    /// Time buckets of the demand: the history's intervals, the profile's hours, or 1 (static).
    public var buckets: Int {
        switch (sizing, source) {
        case (_, .history(let history)): history.slots
        case (.profile, .profiles(let set)): set.scheme.count
        default: 1
        }
    }

    /// The entities the traces cover.
    public var traced: Set<String> {
        switch source {
        case .history(let history): Set(history.series.keys)
        case .profiles(let set): Set(set.profiles.map(\.entity))
        }
    }

    /// The resources some VM's trace measures.
    public var measuredResources: Set<Resource> {
        switch source {
        case .history(let history): Set(history.series.values.flatMap(\.keys))
        case .profiles(let set): Set(set.profiles.flatMap { $0.resources.map(\.resource) })
        }
    }

    /// What one VM used of a resource over its whole trace: the level `percentile` asks for,
    /// its mean and peak, and the data's confidence (1-5 stars by the share of intervals
    /// with samples, as Azure Migrate rates it). Nil when the traces do not cover it.
    public struct Usage: Sendable, Codable, Equatable {
        public var atPercentile: Double
        public var mean: Double
        public var peak: Double
        public var confidenceStars: Int
        /// The share of samples at exactly 0; with profiles only "at least half" can be
        /// told (a median of 0), and `zeroShareExact` is false.
        public var zeroShare: Double?
        public var zeroShareExact = true

        enum CodingKeys: String, CodingKey {
            case atPercentile = "at_percentile", mean, peak, confidenceStars = "confidence_stars", zeroShare = "zero_share", zeroShareExact = "zero_share_exact"
        }

        public init(atPercentile: Double, mean: Double, peak: Double, confidenceStars: Int, zeroShare: Double? = nil, zeroShareExact: Bool = true) {
            self.atPercentile = atPercentile
            self.mean = mean
            self.peak = peak
            self.confidenceStars = confidenceStars
            self.zeroShare = zeroShare
            self.zeroShareExact = zeroShareExact
        }
    }

    public func usage(of entity: String, _ resource: Resource, percentile: Double) -> Usage? {
        switch source {
        case .history(let history):
            guard let series = history.series[entity]?[resource], !series.isEmpty else { return nil }
            var sorted = series
            let level = QuantileSketch.quantiles(selecting: &sorted, [percentile / 100]).first ?? 0
            return Usage(atPercentile: level, mean: series.reduce(0, +) / Double(series.count), peak: series.max() ?? 0,
                         confidenceStars: ResourceProfile.stars(share: history.coverage[entity] ?? 1),
                         zeroShare: Double(series.count { $0 == 0 }) / Double(series.count))
        case .profiles:
            guard let p = profileOf[entity]?.profile(of: resource) else { return nil }
            let level: Double
            switch percentile {
            case 50: level = p.p50
            case 90: level = p.p90
            case 95: level = p.p95
            case 99: level = p.p99
            default: level = p.atPercentile ?? p.p95
            }
            return Usage(atPercentile: level, mean: p.mean, peak: p.max, confidenceStars: p.confidenceStars,
                         zeroShare: p.p50 == 0 ? 0.5 : nil, zeroShareExact: false)
        }
    }

    /// For a study without a VM inventory: every traced entity as a VM, its allocation from
    /// the trace where the format has it, else one vCPU per busy core of `mhzPerCore`.
    public func vms(mhzPerCore: Double) -> [VM] {
        switch source {
        case .history(let history): history.vms(mhzPerCore: mhzPerCore)
        case .profiles(let set): set.vms(mhzPerCore: mhzPerCore)
        }
    }

    /// A VM's demand for a resource in each of `buckets` buckets; nil for its static demand
    /// (an untraced VM, or a resource its trace does not measure).
    public func demand(of vm: VM, _ resource: Resource, mhzPerCore: Double) -> [Double]? {
        let id = vm.demandLike ?? vm.id
        switch source {
        case .history(let history):
            return history.series[id]?[resource]
        case .profiles:
            guard let profile = profileOf[id] else { return nil }
            switch sizing {
            case .allocation:
                let a = profile.allocation
                switch resource {
                case .cpu: return [a.cpuMHz ?? Double(a.cores ?? vm.vcpus) * mhzPerCore]
                case .memory: return [a.memoryMB ?? vm.memoryMB]
                default: return nil
                }
            case .peak: return profile.profile(of: resource).map { [$0.max] }
            case .percentile:
                // Profiles from a file at another level carry no whole-trace percentile.
                return profile.profile(of: resource).map { [$0.atPercentile ?? $0.max] }
            case .profile, .history:
                guard let series = profile.profile(of: resource) else { return nil }
                // An hour the trace never saw gets the busiest hour it did see.
                let fill = series.buckets.compactMap { $0 }.max() ?? series.max
                return series.buckets.map { $0 ?? fill }
            }
        }
    }
}

/// How clean the traces were: what a reader must be told, kept after the samples are gone.
public struct TraceQuality: Sendable {
    /// Per file: rows, unreadable rows with examples, notes.
    public var issues: [FileIssues]
    /// Samples that repeated their entity's previous timestamp (ignored).
    public var duplicates: Int
    /// Samples that came out of time order (used).
    public var outOfOrder: Int
    /// Files in the trace folders that are not traces (skipped).
    public var ignored: [String]

    public init(_ read: TraceRead) {
        issues = read.issues
        duplicates = read.duplicates
        outOfOrder = read.outOfOrder
        ignored = read.ignored
    }
}
