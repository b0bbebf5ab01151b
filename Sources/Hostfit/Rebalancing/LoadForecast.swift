/// What the rebalancer holds every host to: the recent traces, interval by interval, and a
/// forecast of the coming days made from them.
///
/// Last week's five-minute peaks do not come back at the same minute, nor always on the
/// same day: a fix that only clears the intervals it saw removes little of the next week's
/// overload. The forecast is each VM's envelope per hour of the day (or of the week, with
/// two weeks or more): its highest demand in that hour on any day seen, so a peak may come
/// at any minute of its hour on any day, times 1 + a margin (`MarginLearning` finds one by
/// replaying one half of the window on the other), plus, with `trend`, the VM's growth
/// carried forward: its mean grew this much from the first half to the second, so each
/// half's envelope is raised by that growth times the halves between it and the coming days.
///
/// The window's two halves each get their own forecast, so that a move can be asked to help
/// in both (no move on the strength of one burst). Buckets of the view: the recent slots
/// `0..<slots`, then the first half's forecast, then the second's (`forecastBuckets` each).
public struct LoadForecast: Sendable {
    public enum Shape: String, Sendable, CaseIterable {
        /// The recent traces only.
        case none
        case hourOfDay = "hour-of-day"
        case hourOfWeek = "hour-of-week"
    }

    public let shape: Shape
    /// Forecast demand is the envelope times 1 + margin.
    public let margin: Double
    public let marginLearned: Bool
    /// Whether each VM's growth from one half of the window to the next is carried forward.
    public let trend: Bool
    /// Recent slots of the traces (the first buckets of the view).
    public let slots: Int
    /// Where the second half of the recent slots begins.
    public let middle: Int
    /// Forecast buckets per half (24, 168, or 0).
    public let forecastBuckets: Int
    /// Seconds per recent slot.
    public let step: Int64
    /// Epoch seconds of the first recent slot.
    public let start: Int64

    /// The half (0 or 1) a bucket of the view speaks for.
    @inline(__always) public func half(of bucket: Int) -> Int {
        bucket < slots ? (bucket < middle ? 0 : 1) : (bucket - slots) / max(forecastBuckets, 1)
    }

    /// Whether a bucket of the view is a recent slot (not a forecast hour).
    @inline(__always) public func isRecent(_ bucket: Int) -> Bool { bucket < slots }

    /// Hours a bucket of the view stands for: a slot its step, a forecast bucket one hour.
    @inline(__always) public func hours(of bucket: Int) -> Double {
        bucket < slots ? Double(step) / 3600 : 1
    }

    /// When the traces end: the first moment after the recent window.
    public var end: Int64 { start + Int64(slots) * step }

    /// The forecast's shape when none is asked for: hour of the week when each half of the
    /// window spans a week, hour of the day when each spans a day, else none.
    public static func automaticShape(slots: Int, step: Int64) -> Shape {
        let halfSeconds = Int64(slots / 2) * step
        if halfSeconds >= 7 * 86_400 { return .hourOfWeek }
        if halfSeconds >= 86_400 { return .hourOfDay }
        return .none
    }

    /// The view of `problem` (demand per recent slot: a history problem with a timeline)
    /// with the forecast buckets appended, each times 1 + `margin` (`learned` says where it
    /// came from).
    public static func view(of problem: PlacementProblem, shape asked: Shape? = nil,
                            margin: Double, learned: Bool = false, trend: Bool = false) -> (view: PlacementProblem, forecast: LoadForecast) {
        let T = problem.buckets, R = problem.resourceCount
        let (start, step) = problem.timeline ?? (0, 3600)
        let shape = asked ?? automaticShape(slots: T, step: step)
        let scheme: BucketScheme? = switch shape {
        case .none: nil
        case .hourOfDay: .hourOfDay
        case .hourOfWeek: .hourOfWeek
        }
        let middle = T / 2
        let F = scheme?.count ?? 0
        let key = (0..<T).map { scheme?.bucket(start + Int64($0) * step) ?? 0 }
        // Resources that vary in time; allocations and counted resources are flat.
        let varying = (0..<R).filter { !problem.resources[$0].isCounted && problem.resources[$0] != .vcpuAllocation
            && problem.resources[$0] != .memoryAllocation }
        func envelope(_ v: Int, _ r: Int, _ range: Range<Int>) -> [Double] {
            var top = [Double](repeating: -1, count: F)
            var highest = 0.0
            for t in range {
                let d = problem.demand(v, r, t)
                if d > top[key[t]] { top[key[t]] = d }
                highest = max(highest, d)
            }
            // An hour the half never saw gets the half's highest demand.
            return top.map { $0 < 0 ? highest : $0 }
        }
        let halves = [0..<middle, middle..<T]
        let B = T + 2 * F
        var demand = [Double](repeating: 0, count: problem.vmCount * R * B)
        for v in 0..<problem.vmCount {
            for r in 0..<R {
                let base = (v * R + r) * B
                for t in 0..<T { demand[base + t] = problem.demand(v, r, t) }
                guard F > 0 else { continue }
                if varying.contains(r) {
                    // Growth per half: the second half's mean over the first's, never negative
                    // (a VM that shrank is held to its envelope, not below it).
                    var growth = 0.0
                    if trend, middle > 0, T > middle {
                        let first = (0..<middle).reduce(0) { $0 + problem.demand(v, r, $1) } / Double(middle)
                        let second = (middle..<T).reduce(0) { $0 + problem.demand(v, r, $1) } / Double(T - middle)
                        growth = max(0, second - first)
                    }
                    for (i, half) in halves.enumerated() {
                        // The coming days are two halves after the first half, one after the second.
                        let ahead = growth * Double(2 - i)
                        for (k, e) in envelope(v, r, half).enumerated() { demand[base + T + i * F + k] = e * (1 + margin) + ahead }
                    }
                } else {
                    let flat = problem.demand(v, r, 0)
                    for k in 0..<(2 * F) { demand[base + T + k] = flat }
                }
            }
        }
        let forecast = LoadForecast(shape: F > 0 ? shape : .none, margin: F > 0 ? margin : 0, marginLearned: learned && F > 0, trend: trend && F > 0,
                                    slots: T, middle: middle, forecastBuckets: F, step: step, start: start)
        return (problem.reshaped(buckets: B, demand: demand), forecast)
    }
}
