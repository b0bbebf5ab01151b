/// How a profile folds time: the demand of each hour of the day, or of the week, in UTC.
public enum BucketScheme: String, Sendable, CaseIterable {
    case hourOfDay = "hour-of-day"
    case hourOfWeek = "hour-of-week"

    public var count: Int { self == .hourOfDay ? 24 : 168 }

    /// The bucket of a Unix time. Hour-of-week 0 is Monday 00:00 UTC (the epoch was a Thursday).
    @inline(__always) public func bucket(_ time: Int64) -> Int {
        let hour = time >= 0 ? time / 3600 : (time - 3599) / 3600
        switch self {
        case .hourOfDay: return Int(((hour % 24) + 24) % 24)
        case .hourOfWeek: return Int((((hour + 72) % 168) + 168) % 168)
        }
    }

    /// The buckets the hours of a window touch (`seconds` long from `start`), in order.
    public func buckets(covering start: Int64, seconds: Int64) -> [Int] {
        var found = Set<Int>()
        var t = start >= 0 ? start / 3600 * 3600 : (start - 3599) / 3600 * 3600
        while t < start + seconds && found.count < count { found.insert(bucket(t)); t += 3600 }
        return found.sorted()
    }

    /// Column names of the buckets in profiles.csv: h00..h23, or mon00..sun23.
    public var columnNames: [String] {
        switch self {
        case .hourOfDay: return (0..<24).map { "h" + (($0 < 10) ? "0" : "") + String($0) }
        case .hourOfWeek:
            let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
            return (0..<168).map { days[$0 / 24] + (($0 % 24 < 10) ? "0" : "") + String($0 % 24) }
        }
    }
}
