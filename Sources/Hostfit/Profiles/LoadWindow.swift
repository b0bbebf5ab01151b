import Foundation

/// A VM's demand for one resource over a sliding window of weeks, by hour of the week: each
/// hour's highest sample in each of the last `weeks` weeks. The same envelope the
/// rebalancer forecasts with (`LoadForecast`), kept as samples arrive. Memory is fixed,
/// 168 x `weeks` slots whatever the number of samples, and a week older than the window is
/// overwritten by the week that takes its slot.
public struct LoadWindow: Sendable, Equatable {
    public static let weeks = 4
    static let hours = 168
    /// [hour * weeks + week % weeks]: the week a slot holds (-1: none), and its peak.
    private var week: [Int32]
    private var peak: [Float]
    /// The newest week seen: slots of weeks before newest - weeks + 1 are out of the window.
    public private(set) var newest: Int32 = .min

    public init() {
        week = [Int32](repeating: -1, count: Self.hours * Self.weeks)
        peak = [Float](repeating: 0, count: Self.hours * Self.weeks)
    }

    /// Weeks since the epoch, Monday 00:00 UTC to Monday (the epoch was a Thursday).
    @inline(__always) static func week(of time: Int64) -> Int32 {
        let shifted = time + 3 * 86_400
        return Int32(shifted >= 0 ? shifted / 604_800 : (shifted - 604_799) / 604_800)
    }

    /// Takes one sample; false (and nothing kept) when it is older than the window.
    @discardableResult
    public mutating func add(time: Int64, value: Double) -> Bool {
        let w = Self.week(of: time)
        if newest != .min, w <= newest - Int32(Self.weeks) { return false }
        newest = max(newest, w)
        let k = BucketScheme.hourOfWeek.bucket(time) * Self.weeks + Int(((w % Int32(Self.weeks)) + Int32(Self.weeks)) % Int32(Self.weeks))
        let v = Float(value)
        if week[k] != w {
            week[k] = w
            peak[k] = v
        } else if v > peak[k] {
            peak[k] = v
        }
        return true
    }

    /// Monday 00:00 UTC of week `w` (epoch seconds).
    @inline(__always) static func start(ofWeek w: Int32) -> Int64 { Int64(w) * 604_800 - 3 * 86_400 }

    /// Whether slot `k` holds a week of the window.
    @inline(__always) private func holds(_ k: Int) -> Bool { week[k] >= 0 && week[k] > newest - Int32(Self.weeks) }

    /// The starts of the oldest and the newest hour that hold a sample (epoch seconds); nil when empty.
    public var sampledHours: ClosedRange<Int64>? {
        var first = Int64.max, last = Int64.min
        for k in week.indices where holds(k) {
            let t = Self.start(ofWeek: week[k]) + Int64(k / Self.weeks) * 3600
            first = min(first, t)
            last = max(last, t)
        }
        return first <= last ? first...last : nil
    }

    /// Every hour's peak the window holds, oldest week first within each hour of the week.
    public var hourlyPeaks: [Double] { week.indices.filter(holds).map { Double(peak[$0]) } }

    /// What the window says of use, as right-sizing reads a trace: its hourly peaks stand
    /// for the samples (so the percentile is of peaks, on the high side), and the share of
    /// the hours from the first to the last that it holds is the confidence. Nil when empty.
    public func usage(percentile: Double) -> TracedDemand.Usage? {
        var peaks = hourlyPeaks
        guard !peaks.isEmpty, let span = sampledHours else { return nil }
        let hours = Double((span.upperBound - span.lowerBound) / 3600 + 1)
        let level = QuantileSketch.quantiles(selecting: &peaks, [percentile / 100]).first ?? 0
        return TracedDemand.Usage(atPercentile: level, mean: peaks.reduce(0, +) / Double(peaks.count), peak: peaks.max() ?? 0,
                                  confidenceStars: ResourceProfile.stars(share: Double(peaks.count) / hours),
                                  zeroShare: Double(peaks.count { $0 == 0 }) / Double(peaks.count), zeroShareExact: false)
    }

    /// The peak of the hour that starts at `time` (on the hour), where the window holds it.
    public func peak(atHour time: Int64) -> Double? {
        let w = Self.week(of: time)
        let k = BucketScheme.hourOfWeek.bucket(time) * Self.weeks + Int(((w % Int32(Self.weeks)) + Int32(Self.weeks)) % Int32(Self.weeks))
        return week[k] == w && holds(k) ? Double(peak[k]) : nil
    }

    /// Per hour of the week, the highest peak of the weeks in the window; nil for an hour
    /// no week in it saw.
    public var envelope: [Double?] {
        (0..<Self.hours).map { h in
            var top: Float?
            for s in 0..<Self.weeks {
                let k = h * Self.weeks + s
                if week[k] >= 0, week[k] > newest - Int32(Self.weeks) { top = max(top ?? -.infinity, peak[k]) }
            }
            return top.map(Double.init)
        }
    }

    /// Demand per bucket of `scheme` (an hour of the day takes its highest over the days);
    /// an hour never seen takes the highest seen, as profiles fill theirs. Nil when empty.
    public func series(_ scheme: BucketScheme) -> [Double]? {
        let hours = envelope
        guard let fill = hours.compactMap({ $0 }).max() else { return nil }
        switch scheme {
        case .hourOfWeek: return hours.map { $0 ?? fill }
        case .hourOfDay:
            return (0..<24).map { h in (0..<7).compactMap { hours[$0 * 24 + h] }.max() ?? fill }
        }
    }

    /// The window as bytes for a store: newest, then each slot's week and peak (little-endian).
    public var data: Data {
        var words = [UInt32](repeating: 0, count: 1 + week.count * 2)
        words[0] = UInt32(bitPattern: newest).littleEndian
        for k in week.indices {
            words[1 + 2 * k] = UInt32(bitPattern: week[k]).littleEndian
            words[2 + 2 * k] = peak[k].bitPattern.littleEndian
        }
        return words.withUnsafeBytes { Data($0) }
    }

    /// From `data`; nil when the bytes are not a window.
    public init?(data: Data) {
        guard data.count == 4 + Self.hours * Self.weeks * 8 else { return nil }
        var words = [UInt32](repeating: 0, count: data.count / 4)
        _ = words.withUnsafeMutableBytes { data.copyBytes(to: $0) }
        self.init()
        newest = Int32(bitPattern: UInt32(littleEndian: words[0]))
        for k in week.indices {
            week[k] = Int32(bitPattern: UInt32(littleEndian: words[1 + 2 * k]))
            peak[k] = Float(bitPattern: UInt32(littleEndian: words[2 + 2 * k]))
        }
    }
}
