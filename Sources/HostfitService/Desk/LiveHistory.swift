import Hostfit

/// The service's live state as the rebalancer's history: every hour of the last weeks up to
/// the newest sample, as `hostfit rebalance` reads recent traces interval by interval. A VM
/// with live samples has each hour's peak where its window holds the hour, else its peak for
/// that hour of the week in the weeks it holds (an hour not yet come in the current week,
/// say); a VM without has its profile's hour, else its static demand.
struct LiveHistory: Sendable {
    var inventory: Inventory
    var demand: ServiceDemand
    var live: [String: [Resource: LoadWindow]]
    var headroom: Headroom
    var rules: PlacementRules

    /// The hours judged (epoch seconds of the first, and how many): up to the newest sample
    /// (up to `now` without any), as far back as the windows hold, at least a profile's span
    /// (a week; a day for hour-of-day profiles).
    func span(now: Int64) -> (start: Int64, hours: Int) {
        let least = demand.profiles.values.first?.scheme == .hourOfDay ? 24 : 168
        var first = Int64.max, last = Int64.min
        for windows in live.values {
            for window in windows.values {
                guard let sampled = window.sampledHours else { continue }
                first = min(first, sampled.lowerBound)
                last = max(last, sampled.upperBound)
            }
        }
        let end = last > .min ? last + 3600 : now / 3600 * 3600
        let seen = first < .max ? Int((end - first) / 3600) : 0
        let hours = min(LoadWindow.weeks * 168, max(least, seen))
        return (end - Int64(hours) * 3600, hours)
    }

    /// The history problem, hour by hour, that `Rebalancer` takes.
    func problem(now: Int64) -> PlacementProblem {
        let (start, T) = span(now: now)
        let times = (0..<T).map { start + Int64($0) * 3600 }
        let weekHour = times.map { BucketScheme.hourOfWeek.bucket($0) }
        let dayHour = times.map { BucketScheme.hourOfDay.bucket($0) }
        let live = live, demand = demand
        return PlacementProblem(inventory: inventory, headroom: headroom, rules: demand.rules(rules), buckets: T, traced: nil,
                                timeline: (start, 3600)) { vm, resource in
            if let window = live[vm.id]?[resource], let envelope = window.series(.hourOfWeek) {
                return (0..<T).map { t in window.peak(atHour: times[t]) ?? envelope[weekHour[t]] }
            }
            guard let series = demand.demand(of: vm, resource) else { return nil }
            switch series.count {
            case 168: return weekHour.map { series[$0] }
            case 24: return dayHour.map { series[$0] }
            default: return [Double](repeating: series.first ?? 0, count: T)
            }
        }
    }
}
