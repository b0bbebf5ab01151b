/// Everything a profile needs from one entity's samples of one metric, gathered in one
/// pass in memory that grows with buckets and days, not samples.
struct MetricAccumulator: Sendable {
    private(set) var count = 0
    /// Exact, so that the mean does not depend on the order samples came in (files read by
    /// other workers, or regrouped by Spark): floating-point addition is not associative.
    private(set) var total = ExactSum()
    var sum: Double { total.value }
    private(set) var max = -Double.infinity
    private(set) var firstTime = Int64.max
    private(set) var lastTime = Int64.min
    private(set) var duplicates = 0
    private(set) var outOfOrder = 0
    /// One sketch per time bucket.
    private(set) var buckets: [QuantileSketch]
    /// Seconds between consecutive samples, counted by length: exact and the same however
    /// the files were spread over workers and merged (a sketch capped at its first values
    /// was not). Distinct lengths past `intervalKinds` are not counted.
    private(set) var intervals = IntervalCounts()
    /// Daily sums and counts for the trend, by day number since the epoch.
    private(set) var days: [Int64: (sum: ExactSum, count: Int)] = [:]
    private var currentDay = Int64.min
    private var currentDaySum = ExactSum()
    private var currentDayCount = 0

    /// The samples themselves, in arrival order, when asked for (planning on raw history,
    /// replay): memory then grows with samples.
    private(set) var seriesTimes: [Int64]?
    private(set) var seriesValues: [Double]?

    init(buckets: Int, keepSeries: Bool = false) {
        self.buckets = [QuantileSketch](repeating: QuantileSketch(), count: buckets)
        if keepSeries { seriesTimes = []; seriesValues = [] }
    }

    /// Adds a sample; false when it repeats the time of the previous one (then ignored).
    @discardableResult
    mutating func add(time: Int64, value: Double, bucket: Int) -> Bool {
        if time == lastTime { duplicates += 1; return false }
        if time < lastTime {
            outOfOrder += 1
        } else {
            if lastTime != Int64.min { intervals.add(time - lastTime) }
            lastTime = time
        }
        if time < firstTime { firstTime = time }
        count += 1
        total.add(value)
        if value > max { max = value }
        buckets[bucket].add(value)
        if seriesTimes != nil { seriesTimes!.append(time); seriesValues!.append(value) }
        let day = time >= 0 ? time / 86_400 : (time - 86_399) / 86_400
        if day != currentDay { flushDay(); currentDay = day }
        currentDaySum.add(value)
        currentDayCount += 1
        return true
    }

    private mutating func flushDay() {
        guard currentDayCount > 0 else { return }
        let old = days[currentDay] ?? (ExactSum(), 0)
        days[currentDay] = (old.sum + currentDaySum, old.count + currentDayCount)
        currentDaySum = ExactSum()
        currentDayCount = 0
    }

    mutating func merge(_ other: MetricAccumulator) {
        var other = other
        other.flushDay()
        flushDay()
        count += other.count
        total = total + other.total
        max = Swift.max(max, other.max)
        firstTime = Swift.min(firstTime, other.firstTime)
        lastTime = Swift.max(lastTime, other.lastTime)
        duplicates += other.duplicates
        outOfOrder += other.outOfOrder
        for b in buckets.indices { buckets[b].merge(other.buckets[b]) }
        if seriesTimes != nil, let times = other.seriesTimes, let values = other.seriesValues {
            seriesTimes!.append(contentsOf: times)
            seriesValues!.append(contentsOf: values)
        }
        intervals.merge(other.intervals)
        for (day, value) in other.days {
            let old = days[day] ?? (ExactSum(), 0)
            days[day] = (old.sum + value.sum, old.count + value.count)
        }
    }

    /// Daily means in day order, after the last day is flushed.
    mutating func dailyMeans() -> (days: [Double], means: [Double]) {
        flushDay()
        let keys = days.keys.sorted()
        return (keys.map(Double.init), keys.map { days[$0]!.sum.value / Double(days[$0]!.count) })
    }
}

/// A sum of non-negative samples in fixed point (units of 2^-40, about 1e-12), in 128 bits:
/// the same total whatever order the samples are added in, to well below what profiles
/// print, for sums up to 10^26.
struct ExactSum: Sendable, Equatable {
    static let scale = 1_099_511_627_776.0  // 2^40
    private var units: Int128 = 0

    mutating func add(_ x: Double) { units += Int128((x * Self.scale).rounded()) }

    var value: Double { Double(units) / Self.scale }

    static func + (a: ExactSum, b: ExactSum) -> ExactSum {
        var sum = a
        sum.units += b.units
        return sum
    }
}

/// Interval lengths and how often each occurred, for their median.
struct IntervalCounts: Sendable {
    static let kinds = 4096
    private var counts: [Int64: Int] = [:]

    mutating func add(_ seconds: Int64, times: Int = 1) {
        if let n = counts[seconds] { counts[seconds] = n + times } else if counts.count < Self.kinds { counts[seconds] = times }
    }

    mutating func merge(_ other: IntervalCounts) {
        for (seconds, n) in other.counts.sorted(by: { $0.key < $1.key }) { add(seconds, times: n) }
    }

    /// The type-7 quantile of the lengths counted (as `QuantileSketch`), nil without any.
    func quantile(_ q: Double) -> Double? {
        let n = counts.values.reduce(0, +)
        guard n > 0 else { return nil }
        let rank = q * Double(n - 1)
        let lo = Int(rank.rounded(.down))
        var seen = 0, a: Double?, b: Double?
        for (seconds, count) in counts.sorted(by: { $0.key < $1.key }) {
            if a == nil, lo < seen + count { a = Double(seconds) }
            if lo + 1 < seen + count { b = Double(seconds); break }
            seen += count
        }
        guard let a else { return nil }
        return a + ((b ?? a) - a) * (rank - Double(lo))
    }
}
