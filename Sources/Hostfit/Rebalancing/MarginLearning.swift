/// The forecast's margin, learned by replaying: `fix` is run on one half of the window at
/// each margin of a grid, and the estate it leaves is replayed on the other half (both
/// ways). The margin is the one that buys the most held-out safety per move: the share of
/// the other half's host-intervals over headroom removed, per move (the smaller on a tie).
/// Unless asked, the trend is learned the same way: each margin is tried without and with
/// the VMs' growth carried forward, and a tie goes to the forecast without.
///
/// Measured on Bitbrains (docs/rebalance.md): a fix against last week alone removed about a
/// tenth of the next week's overload; the envelope forecast most of it; a margin on top buys
/// the rest at the price of more moves and hosts. Learning it on held-out data keeps that
/// price no higher than the estate's own variability asks.
enum MarginLearning {
    static let grid: [Double] = [0, 0.1, 0.2, 0.3, 0.5]

    struct Trial {
        var margin: Double
        var trend: Bool
        /// Held-out host-intervals over headroom, without and with the moves, both directions summed.
        var before: Int
        var after: Int
        var moves: Int
        var removed: Double { before == 0 ? 1 : Double(before - after) / Double(before) }
        /// Held-out overload removed per move: what the margin buys.
        var perMove: Double { moves == 0 ? 0 : removed / Double(moves) }
    }

    static func learn(_ history: PlacementProblem, start: [Int], shape: LoadForecast.Shape,
                      options: RebalanceOptions) -> (margin: Double, trend: Bool, trials: [Trial]) {
        let T = history.buckets, middle = T / 2
        let halves = [0..<middle, middle..<T]
        let trends = options.trend.map { [$0] } ?? [false, true]
        let trials = trends.flatMap { trend in grid.map { (margin: $0, trend: trend) } }.map { candidate in
            let margin = candidate.margin
            var trial = Trial(margin: margin, trend: candidate.trend, before: 0, after: 0, moves: 0)
            for (learn, check) in [(halves[0], halves[1]), (halves[1], halves[0])] {
                var trialOptions = options
                trialOptions.goal = .fix
                trialOptions.margin = margin
                trialOptions.trend = candidate.trend
                trialOptions.forecast = shape
                guard var engine = try? Rebalancer(slice(history, learn), options: trialOptions) else { continue }
                engine.fix()
                trial.moves += engine.chosen.count
                trial.before += overHeadroom(history, start, check)
                trial.after += overHeadroom(history, engine.hostOf, check)
            }
            return trial
        }
        // Nothing over in either half: nothing to learn, no margin.
        guard trials.contains(where: { $0.before > 0 && $0.after < $0.before }) else { return (0, options.trend ?? false, trials) }
        let best = trials.max { a, b in
            let x = a.perMove, y = b.perMove
            if x != y { return x < y }
            if a.margin != b.margin { return a.margin > b.margin }
            return a.trend && !b.trend
        }!
        return (best.margin, best.trend, trials)
    }

    /// The history problem over some of its slots.
    static func slice(_ history: PlacementProblem, _ range: Range<Int>) -> PlacementProblem {
        var part = history.selecting(Array(range))
        if let timeline = history.timeline { part.timeline = (timeline.start + Int64(range.lowerBound) * timeline.step, timeline.step) }
        return part
    }

    /// Host-intervals over headroom in `slots` with VMs where `hostOf` puts them.
    static func overHeadroom(_ problem: PlacementProblem, _ hostOf: [Int], _ slots: Range<Int>) -> Int {
        let R = problem.resourceCount
        var members = [[Int]](repeating: [], count: problem.hostCount)
        for (v, h) in hostOf.enumerated() where h >= 0 { members[h].append(v) }
        var count = 0
        for (h, vms) in members.enumerated() where !vms.isEmpty {
            for t in slots {
                for r in 0..<R {
                    let cap = problem.capacity(h, r)
                    guard cap.isFinite else { continue }
                    if vms.reduce(0, { $0 + problem.demand($1, r, t) }) > cap * (1 + 1e-12) { count += 1; break }
                }
            }
        }
        return count
    }
}
