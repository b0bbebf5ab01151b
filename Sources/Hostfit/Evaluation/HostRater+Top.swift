/// The best hosts for a VM, rated in words, and the others counted by the rule that refuses
/// them: what an answer needs when it shows a handful of hosts out of a thousand, at a
/// fraction of `rate` (only the hosts shown are put in words).
public struct TopRatings: Sendable, Equatable {
    /// The hosts that take the VM, best first: `rate(vm).filter { $0.stars > 0 }.prefix(top)`.
    public var best: [HostRating]
    /// Hosts that take the VM, shown or not.
    public var fitting: Int
    /// Hosts that do not, by the rule that keeps the VM off them.
    public var refused: [Violation.Rule: Int]
}

extension HostRater {
    /// The `top` best hosts for `vm` and the count of the rest; the same hosts in the same
    /// order as `rate` gives them.
    public func top(_ vm: Int, _ top: Int, goal: PlacementGoal = .balance, weights: [Resource: Double] = [:]) -> TopRatings {
        let problem = loads.problem
        let w = weightVector(weights)
        var scored: [(h: Int, score: Double)] = []
        var refused: [Violation.Rule: Int] = [:]
        for h in 0..<problem.hostCount where !problem.isPurchasable(h) {
            if admits(vm, h) {
                scored.append((h, Self.rounded(score(vm, on: h, goal: goal, weights: w).score)))
            } else {
                refused[exclusion(vm, h)?.0 ?? .capacity, default: 0] += 1
            }
        }
        // As `rate` orders them: by score, ties by host order.
        scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.h < $1.h }
        let best = scored.prefix(max(0, top)).map { rate(vm, on: $0.h, goal: goal, weights: weights) }
        return TopRatings(best: best, fitting: scored.count, refused: refused)
    }
}
