/// Robust linear trend: the Theil–Sen estimator (Theil 1950; Sen, "Estimates of the
/// regression coefficient based on Kendall's tau", JASA 1968), the median of the slopes
/// between all pairs of points. Outliers up to 29% of the points do not move it, which a
/// least-squares line cannot promise for a month with one incident in it.
/// O(n^2) in the number of points: callers fit daily means, not raw samples.
enum TrendFit {
    /// Slope (y per x) of the points, nil with fewer than two distinct x.
    static func theilSenSlope(x: [Double], y: [Double]) -> Double? {
        precondition(x.count == y.count)
        var slopes: [Double] = []
        slopes.reserveCapacity(x.count * (x.count - 1) / 2)
        for i in 0..<x.count {
            for j in (i + 1)..<x.count where x[j] != x[i] {
                slopes.append((y[j] - y[i]) / (x[j] - x[i]))
            }
        }
        guard !slopes.isEmpty else { return nil }
        slopes.sort()
        let mid = slopes.count / 2
        return slopes.count % 2 == 1 ? slopes[mid] : (slopes[mid - 1] + slopes[mid]) / 2
    }
}

extension TrendFit {
    /// The Mann–Kendall statistic as a normal score (Mann 1945; Kendall 1975), without the
    /// tie correction: above 1.96 a rise, below -1.96 a fall, at the 5% level. Theil–Sen
    /// gives a slope to any noise; this says whether there is a trend at all.
    static func mannKendallZ(_ y: [Double]) -> Double? {
        let n = y.count
        guard n >= 3 else { return nil }
        var s = 0
        for i in 0..<n { for j in (i + 1)..<n { s += y[j] > y[i] ? 1 : (y[j] < y[i] ? -1 : 0) } }
        let variance = Double(n * (n - 1) * (2 * n + 5)) / 18
        return s == 0 ? 0 : (Double(s) - (s > 0 ? 1 : -1)) / variance.squareRoot()
    }
}
