/// Depth-first search for a choice of patterns that covers every item exactly its demand
/// times, with at most `hosts` patterns whose summed waste stays within a budget per
/// dimension. Branches on the item with the fewest patterns left that could still cover it
/// (Knuth's choice in "Dancing links", 2000, here with multiplicities and a waste budget).
/// Exhausting the search proves that no such choice exists.
///
/// Such searches have heavy tails: an early wrong choice is paid for with a subtree that
/// takes long to refute. So it runs with restarts (Gomes, Selman & Kautz, "Boosting
/// combinatorial search through randomization", AAAI 1998): ties broken at random and a node
/// limit that doubles each time, the last run without one, so that a proof stays possible.
struct ExactCoverSearch {
    enum Outcome {
        /// Pattern indices, one per host (a pattern may repeat).
        case found([Int])
        case impossible
        case stopped
    }

    let patterns: [[(item: Int, count: Int)]]
    /// Per pattern and dimension: what a host of that pattern leaves unused.
    let waste: [[Double]]
    let demand: [Int]
    let budget: [Double]
    let hosts: Int
    var nodeLimit = 2_000_000
    var allowance = Allowance.unlimited()
    /// Work units of testing whether a pattern still fits.
    static let testCost = 0.02

    func run(seed: UInt64 = 1) -> Outcome {
        var random = SeededGenerator(seed: seed)
        var limit = 1_000
        var total = 0
        var containing = [[Int]](repeating: [], count: demand.count)
        for (j, pattern) in patterns.enumerated() { for (item, _) in pattern { containing[item].append(j) } }
        while true {
            let last = total + limit * 3 > nodeLimit  // the next ones would not fit: this one runs to the end
            let (outcome, used) = attempt(limit: last ? nodeLimit - total : limit, randomize: total > 0, containing, &random)
            total += used
            switch outcome {
            case .found, .impossible: return outcome
            case .stopped:
                if last || allowance.expired { return .stopped }
                limit *= 2
            }
        }
    }

    /// One search of at most `limit` nodes; `containing`: the patterns that hold each item.
    private func attempt(limit: Int, randomize: Bool, _ containing: [[Int]], _ random: inout SeededGenerator,
) -> (Outcome, Int) {
        let T = demand.count, D = budget.count
        var remaining = demand
        var left = budget.map { $0 + 1e-9 * max(1, abs($0)) }
        var chosen: [Int] = []
        var uncovered = remaining.reduce(0) { $0 + ($1 > 0 ? 1 : 0) }
        var nodes = 0, stopped = false
        // Patterns tested, the search's real cost: a node tests up to every pattern of every
        // item left, so counting nodes alone undercounted it 20-fold (Falkenauer's triplets).
        var tests = 0, counted = 0

        func fits(_ j: Int) -> Bool {
            tests += 1
            for (item, count) in patterns[j] where remaining[item] < count { return false }
            for d in 0..<D where waste[j][d] > left[d] { return false }
            return true
        }
        func apply(_ j: Int, _ sign: Int) {
            for (item, count) in patterns[j] {
                let before = remaining[item]
                remaining[item] -= sign * count
                if before > 0 && remaining[item] == 0 { uncovered -= 1 } else if before == 0 && remaining[item] > 0 { uncovered += 1 }
            }
            for d in 0..<D { left[d] -= Double(sign) * waste[j][d] }
        }
        func search() -> Bool {
            if uncovered == 0 { return true }
            guard chosen.count < hosts else { return false }
            nodes += 1
            if nodes > limit || (nodes & 0x3F == 0 && {
                allowance.spend(Double(tests - counted) * Self.testCost + 64 * 0.05)
                counted = tests
                return allowance.expired
            }()) { stopped = true }
            if stopped { return false }
            // The item with the fewest patterns still able to take it.
            var branch = -1, fewest = Int.max
            for t in 0..<T where remaining[t] > 0 {
                var options = 0
                for j in containing[t] where fits(j) {
                    options += 1
                    if options >= fewest { break }
                }
                if options < fewest || (randomize && options == fewest && Bool.random(using: &random)) { fewest = options; branch = t }
                if fewest == 0 { return false }
            }
            var candidates = containing[branch].filter(fits)
            if randomize { candidates.shuffle(using: &random) }
            for j in candidates {
                apply(j, 1)
                chosen.append(j)
                if search() { return true }
                chosen.removeLast()
                apply(j, -1)
                if stopped { return false }
            }
            return false
        }
        let found = search()
        allowance.spend(Double(tests - counted) * Self.testCost)
        if found { return (.found(chosen), nodes) }
        return (stopped ? .stopped : .impossible, nodes)
    }
}
