/// Everything a profile needs from one entity's samples of one metric, gathered in one
/// pass in memory that grows with buckets and days, not samples.
struct MetricAccumulator: Sendable {
    private(set) var count = 0
    private(set) var sum = 0.0
    private(set) var max = -Double.infinity
    private(set) var firstTime = Int64.max
    private(set) var lastTime = Int64.min
    private(set) var duplicates = 0
    private(set) var outOfOrder = 0
    /// One sketch per time bucket.
    private(set) var buckets: [QuantileSketch]
    /// Gaps between consecutive samples, for the sampling interval: the first ones are a
    /// fair sample, and staying exact keeps this off the logarithm path.
    private(set) var intervals = QuantileSketch()
    /// Daily sums and counts for the trend, by day number since the epoch.
    private(set) var days: [Int64: (sum: Double, count: Int)] = [:]
    private var currentDay = Int64.min
    private var currentDaySum = 0.0
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
            if lastTime != Int64.min && intervals.count < QuantileSketch.exactCapacity { intervals.add(Double(time - lastTime)) }
            lastTime = time
        }
        if time < firstTime { firstTime = time }
        count += 1
        sum += value
        if value > max { max = value }
        buckets[bucket].add(value)
        if seriesTimes != nil { seriesTimes!.append(time); seriesValues!.append(value) }
        let day = time >= 0 ? time / 86_400 : (time - 86_399) / 86_400
        if day != currentDay { flushDay(); currentDay = day }
        currentDaySum += value
        currentDayCount += 1
        return true
    }

    private mutating func flushDay() {
        guard currentDayCount > 0 else { return }
        let old = days[currentDay] ?? (0, 0)
        days[currentDay] = (old.sum + currentDaySum, old.count + currentDayCount)
        currentDaySum = 0
        currentDayCount = 0
    }

    mutating func merge(_ other: MetricAccumulator) {
        var other = other
        other.flushDay()
        flushDay()
        count += other.count
        sum += other.sum
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
            let old = days[day] ?? (0, 0)
            days[day] = (old.sum + value.sum, old.count + value.count)
        }
    }

    /// Daily means in day order, after the last day is flushed.
    mutating func dailyMeans() -> (days: [Double], means: [Double]) {
        flushDay()
        let keys = days.keys.sorted()
        return (keys.map(Double.init), keys.map { days[$0]!.sum / Double(days[$0]!.count) })
    }
}
