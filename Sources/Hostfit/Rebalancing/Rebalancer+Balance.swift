import Foundation

extension Rebalancer {
    /// The spread of peak utilization `balance` stops at, and the least a move must lower
    /// it by, per threshold 1 (conservative) to 5 (aggressive). The target is DRS's: a
    /// recommendation's priority is 6 - ceil(spread / 0.1 x sqrt(hosts)) and threshold t
    /// takes priorities 1 to t, so the spread must exceed (5 - t) x 0.1 / sqrt(hosts).
    /// Spread is the standard deviation, over the hosts that are on, of each host's peak
    /// utilization (its fullest resource at its fullest bucket, of capacity x headroom).
    public static func balanceLimits(threshold: Int, hosts: Int) -> (target: Double, gain: Double) {
        let t = min(max(threshold, 1), 5)
        let gains = [0.02, 0.01, 0.005, 0.0025, 0.001]
        return (Double(5 - t) * 0.1 / Double(max(hosts, 1)).squareRoot(), gains[t - 1])
    }

    /// `balance`: from the host with the highest peak, the move (to a host already on, with
    /// room in every bucket) that lowers the spread most, while the spread is above the
    /// threshold's target and the move lowers it by at least the threshold's gain in both
    /// halves of the window.
    mutating func balance() {
        while chosen.count < options.maxMoves {
            let on = (0..<problem.hostCount).filter { loads.count[$0] > 0 }
            guard on.count > 1 else { break }
            let (target, gain) = Self.balanceLimits(threshold: options.threshold, hosts: on.count)
            var peaks = [Int: (Double, Double)]()
            for h in on { peaks[h] = halfPeaks(h) }
            let spread = (Self.spread(on.map { peaks[$0]!.0 }), Self.spread(on.map { peaks[$0]!.1 }))
            guard max(spread.0, spread.1) > target else { break }
            let s = on.max { a, b in
                let x = max(peaks[a]!.0, peaks[a]!.1), y = max(peaks[b]!.0, peaks[b]!.1)
                return x != y ? x < y : a > b
            }!
            var best: (v: Int, t: Int, gain: Double, memory: Double, after: (Double, Double))?
            for v in 0..<problem.vmCount where hostOf[v] == s && !locked[v] {
                let source = halfPeaks(s, removing: v)
                for t in on where t != s && !left[v].contains(t) && loads.fits(v, on: t) {
                    let dest = halfPeaks(t, adding: v)
                    func after(_ k: Int) -> Double {
                        Self.spread(on.map { h in h == s ? (k == 0 ? source.0 : source.1) : h == t ? (k == 0 ? dest.0 : dest.1) : (k == 0 ? peaks[h]!.0 : peaks[h]!.1) })
                    }
                    let a = (after(0), after(1))
                    let g = (spread.0 - a.0, spread.1 - a.1)
                    guard g.0 >= gain, g.1 >= gain else { continue }
                    let total = g.0 + g.1, memory = problem.vms[v].memoryMB
                    if let b = best, total < b.gain || (total == b.gain && memory >= b.memory) { continue }
                    best = (v, t, total, memory, a)
                }
            }
            guard let best else { break }
            let benefit = risk(s).total - risk(s, removing: best.v).total
            let reason = "spread of peak utilization \(Self.percent(max(spread.0, spread.1)))% -> \(Self.percent(max(best.after.0, best.after.1)))%"
                + " (threshold \(options.threshold): stop at \(Self.percent(target))%, gains under \(Self.percent(gain))% do not pay)"
            move(best.v, to: best.t, kind: .balance, benefit: benefit, reason: reason)
        }
    }

    /// A host's peak utilization in each half of the view, with one VM out or in.
    func halfPeaks(_ h: Int, removing out: Int = -1, adding extra: Int = -1) -> (Double, Double) {
        var peak = (0.0, 0.0)
        for r in 0..<problem.resourceCount {
            let cap = problem.capacity(h, r)
            guard cap.isFinite, cap > 0 else { continue }
            for b in 0..<problem.buckets {
                var load = loads.load(h, r, b)
                if out >= 0 { load -= problem.demand(out, r, b) }
                if extra >= 0 { load += problem.demand(extra, r, b) }
                if forecast.half(of: b) == 0 { peak.0 = max(peak.0, load / cap) } else { peak.1 = max(peak.1, load / cap) }
            }
        }
        return peak
    }

    static func spread(_ values: [Double]) -> Double {
        guard values.count > 1 else { return 0 }
        let mean = values.reduce(0, +) / Double(values.count)
        return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot()
    }

    static func percent(_ share: Double) -> String { Resource.number((share * 1000).rounded() / 10) }
}
