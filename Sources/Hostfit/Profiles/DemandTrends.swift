/// Each traced VM's linear trend per resource, from its profiles: what "grow by each VM's
/// trend" extrapolates. Only trends that mean something are kept: fitted on at least
/// `minimumDays` daily means (two weekly cycles, and enough points for Mann–Kendall's
/// normal score, which needs about ten) and rising at the 5% level. Falling trends are not planned on: demand
/// that fell can come back, and capacity planned away on it is gone when it does.
public struct DemandTrends: Sendable {
    public static let minimumDays = 14
    public static let significance = 1.96

    public struct Trend: Sendable, Equatable {
        /// Change of the daily mean per day, in the resource's unit.
        public var perDay: Double
        public var days: Int

        public init(perDay: Double, days: Int) {
            self.perDay = perDay
            self.days = days
        }
    }

    /// Rising trends by entity and resource.
    public var rising: [String: [Resource: Trend]]
    /// Entities whose trends could be judged (enough days), rising or not.
    public var judged: Set<String>
    /// Clock of one of an entity's vCPUs, where its trace says (the cap on its CPU growth).
    public var mhzPerVCPU: [String: Double]
    /// The most days of history any entity has: what the error says when too few.
    public var longestDays: Int

    public init(_ set: ProfileSet) {
        var rising: [String: [Resource: Trend]] = [:]
        var judged = Set<String>()
        var longest = 0
        var mhz: [String: Double] = [:]
        for profile in set.profiles {
            if let total = profile.allocation.cpuMHz, let cores = profile.allocation.cores, cores > 0 { mhz[profile.entity] = total / Double(cores) }
            for r in profile.resources where !r.resource.isCounted {
                guard let slope = r.trendPer30Days, let days = r.trendDays else { continue }
                longest = max(longest, days)
                guard days >= Self.minimumDays else { continue }
                judged.insert(profile.entity)
                if slope > 0, let z = r.trendZ, z > Self.significance {
                    rising[profile.entity, default: [:]][r.resource] = Trend(perDay: slope / 30, days: days)
                }
            }
        }
        self.rising = rising
        self.judged = judged
        self.longestDays = longest
        self.mhzPerVCPU = mhz
    }

    /// Trends as given (tests, or a caller with its own fits).
    public init(rising: [String: [Resource: Trend]], judged: Set<String>, mhzPerVCPU: [String: Double] = [:], longestDays: Int) {
        self.rising = rising
        self.judged = judged
        self.mhzPerVCPU = mhzPerVCPU
        self.longestDays = longestDays
    }

    public var isEmpty: Bool { judged.isEmpty }
}
