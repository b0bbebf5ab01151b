import Foundation

/// Quantiles of a stream in bounded memory: exact while small, then a relative-error
/// sketch.
///
/// Up to `exactCapacity` values are kept as they are, so the quantiles of a profile bucket
/// (a month of 5-minute samples is about 50 per hour-of-week) are exact. Past that, values
/// go into logarithmic bins of DDSketch (Masson, Rim & Lee, "DDSketch: A fast and fully-
/// mergeable quantile sketch with relative-error guarantees", VLDB 2019): every quantile is
/// then within `relativeAccuracy` of the true one, and memory depends on the range of the
/// values, not their number. Quantiles interpolate linearly between order statistics
/// (Hyndman & Fan's type 7, as pandas and DuckDB's quantile_cont do).
///
/// Values must be finite and non-negative (demand); callers reject the rest as bad data.
struct QuantileSketch: Sendable {
    static let exactCapacity = 512
    static let relativeAccuracy = 0.005
    private static let gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy)
    private static let inverseLogGamma = 1 / log(gamma)
    /// Smaller values share the zero bin.
    private static let minIndexable = 1e-9

    private(set) var count = 0

    /// Type-7 quantiles of unsorted values, by selection (Hoare's FIND, CACM 1961) in O(n)
    /// each instead of a sort; `values` is reordered. Levels must ascend: each selection
    /// works in what the previous one left above it.
    static func quantiles(selecting values: inout [Double], _ qs: [Double]) -> [Double] {
        guard !values.isEmpty else { return qs.map { _ in 0 } }
        return values.withUnsafeMutableBufferPointer { v in
            var from = 0
            return qs.map { q in
                let (value, lo) = quantile(v, q, from: from)
                from = lo
                return value
            }
        }
    }

    /// One type-7 quantile of `v[from...]`'s order statistics, where everything before
    /// `from` is known to be no larger; returns it and the position it left sorted.
    @inline(__always)
    static func quantile(_ v: UnsafeMutableBufferPointer<Double>, _ q: Double, from: Int = 0) -> (Double, Int) {
        let n = v.count
        let rank = q * Double(n - 1)
        let lo = Int(rank.rounded(.down))
        let a = select(v, lo, from: min(from, lo))
        guard lo + 1 < n, rank > Double(lo) else { return (a, lo) }
        // The next order statistic is the smallest value above position lo.
        var b = v[lo + 1]
        for k in (lo + 2)..<n where v[k] < b { b = v[k] }
        return (a + (b - a) * (rank - Double(lo)), lo)
    }

    /// Puts the k-th smallest value at index k (everything before it no larger, after no
    /// smaller), looking only at v[from...].
    private static func select(_ v: UnsafeMutableBufferPointer<Double>, _ k: Int, from: Int) -> Double {
        var lo = from, hi = v.count - 1
        while hi > lo {
            let mid = lo + (hi - lo) / 2
            // Median of three as the pivot.
            if v[mid] < v[lo] { v.swapAt(mid, lo) }
            if v[hi] < v[lo] { v.swapAt(hi, lo) }
            if v[hi] < v[mid] { v.swapAt(hi, mid) }
            let pivot = v[mid]
            var i = lo, j = hi
            while i <= j {
                while v[i] < pivot { i += 1 }
                while v[j] > pivot { j -= 1 }
                if i <= j { v.swapAt(i, j); i += 1; j -= 1 }
            }
            if k <= j { hi = j } else if k >= i { lo = i } else { break }
        }
        return v[k]
    }

    /// The type-7 q-quantile of values sorted ascending.
    static func quantile(sorted values: [Double], _ q: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let rank = q * Double(values.count - 1)
        let lo = Int(rank.rounded(.down)), hi = min(lo + 1, values.count - 1)
        return values[lo] + (values[hi] - values[lo]) * (rank - Double(lo))
    }
    private var exact: [Double] = []
    private var sorted = true
    // Sketch mode: counts of bin (offset + k), plus values below minIndexable.
    private var bins: [UInt32] = []
    private var offset = 0
    private var zeros = 0
    private(set) var isExact = true

    mutating func add(_ x: Double) {
        count += 1
        if isExact {
            if sorted, let last = exact.last, x < last { sorted = false }
            exact.append(x)
            if exact.count > Self.exactCapacity { convert() }
        } else {
            insert(x, times: 1)
        }
    }

    mutating func merge(_ other: QuantileSketch) {
        if other.isExact {
            for x in other.exact { add(x) }
            return
        }
        if isExact { convert() }
        count += other.count
        zeros += other.zeros
        for (k, c) in other.bins.enumerated() where c > 0 { insert(index: other.offset + k, times: c) }
    }

    private mutating func convert() {
        isExact = false
        let values = exact
        exact = []
        for x in values { insert(x, times: 1) }
    }

    private mutating func insert(_ x: Double, times: UInt32) {
        if x < Self.minIndexable { zeros += Int(times); return }
        insert(index: Int((log(x) * Self.inverseLogGamma).rounded(.up)), times: times)
    }

    private mutating func insert(index: Int, times: UInt32) {
        if bins.isEmpty {
            offset = index
            bins = [times]
            return
        }
        if index < offset {
            bins.insert(contentsOf: repeatElement(0, count: offset - index), at: 0)
            offset = index
        } else if index >= offset + bins.count {
            bins.append(contentsOf: repeatElement(0, count: index - offset - bins.count + 1))
        }
        bins[index - offset] += times
    }

    private static func value(ofBin index: Int) -> Double {
        2 * pow(gamma, Double(index)) / (gamma + 1)
    }

    /// The values themselves while the sketch is exact.
    var exactValues: [Double]? { isExact ? exact : nil }

    /// The q-quantile (0...1), nil when empty.
    mutating func quantile(_ q: Double) -> Double? {
        guard count > 0 else { return nil }
        let rank = q * Double(count - 1)
        let lo = Int(rank.rounded(.down)), hi = min(lo + 1, count - 1)
        let fraction = rank - Double(lo)
        if isExact {
            if sorted { return exact[lo] + (exact[hi] - exact[lo]) * fraction }
            return exact.withUnsafeMutableBufferPointer { Self.quantile($0, q).0 }
        }
        let a = orderStatistic(lo), b = fraction > 0 ? orderStatistic(hi) : a
        return a + (b - a) * fraction
    }

    /// The k-th smallest value (0-based), as its bin's representative in sketch mode.
    private func orderStatistic(_ k: Int) -> Double {
        if k < zeros { return 0 }
        var seen = zeros
        for (i, c) in bins.enumerated() {
            seen += Int(c)
            if seen > k { return Self.value(ofBin: offset + i) }
        }
        return Self.value(ofBin: offset + bins.count - 1)
    }
}
