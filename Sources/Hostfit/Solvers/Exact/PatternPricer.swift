/// The pricing problem of column generation: the most valuable pattern for one host class,
/// a bounded multi-dimensional knapsack (maximize the summed dual values of the items on a
/// host, within its capacity in every dimension and its VM limit).
///
/// Depth-first branch and bound (Martello & Toth, "Knapsack Problems", 1990, ch. 3 for one
/// dimension). Items go in order of value per surrogate size; a node's bound is the least,
/// over dimensions, of that dimension's fractional (Dantzig) bound, each dimension alone
/// being a relaxation. In one dimension this is the classic bound. A node limit keeps each
/// call short; when it is hit the result is a good pattern, not a proven best, and `upper`
/// still bounds the best value (the root bound), which keeps the column generation bound
/// valid (Farley's bound needs only an upper bound on the pricing value).
///
/// Demand below zero (an item that gives capacity back, as in some published vector
/// instances) makes loads non-monotone: a node may exceed a capacity that items still to
/// come give back. Each dimension's relaxation then counts only positive sizes, within the
/// capacity plus what the remaining items could give back, and only feasible nodes count.
struct PatternPricer {
    struct Result {
        /// Improving patterns found, best last: (item, count) pairs and their value.
        var patterns: [(counts: [(item: Int, count: Int)], value: Double)]
        var best: Double
        /// An upper bound on the best value: `best` when `exact`.
        var upper: Double
        var exact: Bool
    }

    let dimensions: Int
    var nodeLimit = 200_000
    /// Improving patterns the few-VMs enumeration returns, at most: its best ten are distinct
    /// sets that save LP rounds (Scholl's HARD: 149 rounds where one a call took 450). The
    /// dynamic program returns one: its next best differ from it by one small VM and only
    /// make each LP iteration dearer (Scholl_2: fewer instances proven with ten).
    var columns = 10
    /// Branch and bound stops here too (checked every 1,024 nodes), as when the node limit is hit.
    var allowance = Allowance.unlimited()

    /// `items`: (type, size per dimension, value, most copies). Only items of positive value
    /// are worth packing. Patterns with value above `threshold` are reported.
    func price(items input: [(type: Int, size: [Double], value: Double, count: Int)], capacity: [Double], vmLimit: Int,
               threshold: Double, enumerateAbove floor: Double? = nil, enumerationLimit: Int = 20_000) -> Result {
        let D = dimensions
        // An item of no value is still worth packing when it gives capacity back.
        let useful = input.filter { ($0.value > 1e-12 || $0.size.contains { $0 < 0 }) && $0.count > 0 }
        // A VM limit is one more dimension, each item of size 1.
        let limited = vmLimit < useful.reduce(0) { $0 + $1.count }
        let E = D + (limited ? 1 : 0)
        var cap = capacity.map { $0 * (1 + 1e-12) }
        if limited { cap.append(Double(vmLimit)) }
        var giveBack = [Double](repeating: 0, count: E)
        for item in useful { for d in 0..<D where item.size[d] < 0 { giveBack[d] -= item.size[d] * Double(item.count) } }
        let hasNegative = giveBack.contains { $0 > 0 }
        var items: [(type: Int, size: [Double], value: Double, count: Int)] = []
        for item in useful {
            var size = item.size
            if limited { size.append(1) }
            // The most copies that fit an empty host.
            var most = item.count
            for d in 0..<E where size[d] > 0 { most = min(most, Self.whole((cap[d] + giveBack[d]) / size[d])) }
            if most > 0 { items.append((item.type, size, item.value, most)) }
        }
        guard !items.isEmpty else { return Result(patterns: [], best: 0, upper: 0, exact: true) }
        if E == 1, floor == nil {
            // Few VMs to a host: enumerating them is cheaper than a table over the capacity.
            let cells = dynamicProgramCells(items, capacity: cap[0])
            if let result = fewItems(items, capacity: cap[0], threshold: threshold, columns: columns, nodeLimit: cells.map { $0 / 8 } ?? 2_000_000) {
                return result
            }
            if let result = dynamicProgram(items, capacity: cap[0], threshold: threshold) { return result }
        }
        // Value per surrogate size, best first.
        items.sort { $0.value / Self.surrogate($0.size, capacity: cap) > $1.value / Self.surrogate($1.size, capacity: cap) }
        let n = items.count
        var size = [Double](repeating: 0, count: n * E)
        var value = [Double](repeating: 0, count: n), most = [Int](repeating: 0, count: n)
        for (i, item) in items.enumerated() {
            for d in 0..<E { size[i * E + d] = item.size[d] }
            value[i] = item.value
            most[i] = item.count
        }
        // What the items from position i on could give back, per dimension (all 0 without negative demand).
        var slack = [Double](repeating: 0, count: (n + 1) * E)
        if hasNegative {
            for i in stride(from: n - 1, through: 0, by: -1) {
                for d in 0..<E { slack[i * E + d] = slack[(i + 1) * E + d] - min(0, size[i * E + d]) * Double(most[i]) }
            }
        }
        // Per dimension, items by value per unit of that dimension (free ones first).
        let order: [[Int]] = (0..<E).map { d in
            (0..<n).sorted { a, b in
                let ra = size[a * E + d] > 0 ? value[a] / size[a * E + d] : .infinity
                let rb = size[b * E + d] > 0 ? value[b] / size[b * E + d] : .infinity
                return ra > rb
            }
        }
        // Dimensions that can bind: some items' total exceeds the capacity.
        let binding = (0..<E).filter { d in
            var total = 0.0
            for i in 0..<n { total += max(0, size[i * E + d]) * Double(most[i]) }
            return total > cap[d] + slack[d]
        }
        var residual = cap
        // Fractional bound over items from position `from` on, within `residual`; -infinity
        // when no completion is feasible.
        func bound(from: Int) -> Double {
            var best = Double.infinity
            if hasNegative, (0..<E).contains(where: { residual[$0] + slack[from * E + $0] < -1e-9 }) { return -.infinity }
            for d in binding {
                var room = residual[d] + slack[from * E + d], total = 0.0
                for i in order[d] where i >= from {
                    let s = max(0, size[i * E + d])
                    let copies = Double(most[i])
                    if s * copies <= room { room -= s * copies; total += value[i] * copies }
                    else { total += value[i] * room / s; break }
                }
                if total < best { best = total }
                if best == 0 { break }
            }
            if best == .infinity {
                best = 0
                for i in from..<n { best += value[i] * Double(most[i]) }
            }
            return best
        }

        let root = bound(from: 0)
        var counts = [Int](repeating: 0, count: n)
        var best = 0.0, bestCounts = counts
        var found: [(counts: [(item: Int, count: Int)], value: Double)] = []
        var nodes = 0
        var exhausted = false
        func record(_ total: Double) {
            best = total
            bestCounts = counts
            if total > threshold {
                found.append((counts.enumerated().compactMap { $1 > 0 ? (items[$0].type, $1) : nil }, total))
                if found.count > 8 { found.removeFirst() }
            }
        }
        var all: [(counts: [(item: Int, count: Int)], value: Double)] = []
        func feasible() -> Bool { !hasNegative || residual.allSatisfy { $0 >= 0 } }
        // 1,024 nodes of branch and bound, each a bound over the items left in each dimension.
        let nodeBatch = 1024 * 0.08 * Double(D + 1)
        func spent() -> Bool {
            allowance.spend(nodeBatch)
            return allowance.expired
        }
        func search(_ i: Int, _ total: Double) {
            if let floor {
                // Enumeration: every pattern worth at least `floor`, each once (at its leaf).
                if i == n {
                    if total >= floor - 1e-9 && feasible() {
                        all.append((counts.enumerated().compactMap { $1 > 0 ? (items[$0].type, $1) : nil }, total))
                        if all.count > enumerationLimit { exhausted = true }
                    }
                    return
                }
                nodes += 1
                if nodes > nodeLimit * 20 || (nodes & 1023 == 0 && spent()) { exhausted = true; return }
                if total + bound(from: i) < floor - 1e-9 { return }
            } else {
                if total > best + 1e-12 && feasible() { record(total) }
                guard i < n else { return }
                nodes += 1
                if nodes > nodeLimit || (nodes & 1023 == 0 && spent()) { exhausted = true; return }
                if total + bound(from: i) <= best + 1e-9 { return }
            }
            var k = most[i]
            for d in 0..<E where size[i * E + d] > 0 {
                k = min(k, Self.whole((residual[d] + slack[(i + 1) * E + d]) / size[i * E + d]))
            }
            while k >= 0 {
                counts[i] = k
                for d in 0..<E { residual[d] -= Double(k) * size[i * E + d] }
                search(i + 1, total + Double(k) * value[i])
                for d in 0..<E { residual[d] += Double(k) * size[i * E + d] }
                counts[i] = 0
                if exhausted { return }
                k -= 1
            }
        }
        search(0, 0)
        _ = bestCounts
        if floor != nil { return Result(patterns: all, best: all.map(\.value).max() ?? 0, upper: root, exact: !exhausted) }
        return Result(patterns: found, best: best, upper: exhausted ? max(root, best) : best, exact: !exhausted)
    }

    /// Many improving columns per round, cheaply (several resources: the exact pricer adds a
    /// handful, and a large LP converges slowly): for each of the most valuable items, a host
    /// seeded with it and filled greedily by value per surrogate size. Every load stays within
    /// the capacity on the way, so each pattern fits whatever the signs of the sizes.
    func greedy(items: [(type: Int, size: [Double], value: Double, count: Int)], capacity: [Double], vmLimit: Int,
                threshold: Double, seeds: Int = 40) -> [(counts: [(item: Int, count: Int)], value: Double)] {
        let D = dimensions
        let cap = capacity.map { $0 * (1 + 1e-12) }
        let candidates = items.filter { $0.value > 1e-12 && $0.count > 0 }
        let density = candidates.map { $0.value / Self.surrogate($0.size, capacity: cap) }
        let order = candidates.indices.sorted { density[$0] > density[$1] }
        let seedList = candidates.indices.sorted { candidates[$0].value > candidates[$1].value }.prefix(seeds)
        var found: [(counts: [(item: Int, count: Int)], value: Double)] = []
        for seed in seedList {
            var load = [Double](repeating: 0, count: D)
            var counts = [Int](repeating: 0, count: candidates.count)
            var total = 0.0, vms = 0
            for i in [seed] + order {
                let item = candidates[i]
                while counts[i] < item.count, vms < vmLimit, (0..<D).allSatisfy({ load[$0] + item.size[$0] <= cap[$0] }) {
                    for d in 0..<D { load[d] += item.size[d] }
                    counts[i] += 1
                    vms += 1
                    total += item.value
                }
            }
            if total > threshold {
                found.append((counts.enumerated().compactMap { $1 > 0 ? (candidates[$0].type, $1) : nil }, total))
            }
        }
        return found
    }

    /// One number for a size in several dimensions: the sum of each dimension relative to its
    /// (finite) capacity; what a VM gives back counts as 0.
    static func surrogate(_ size: [Double], capacity: [Double]) -> Double {
        var s = 0.0
        for d in capacity.indices where capacity[d] > 0 && capacity[d] < .greatestFiniteMagnitude { s += max(0, size[d]) / capacity[d] }
        return max(s, 1e-12)
    }

    /// Whole copies within a ratio; an unlimited capacity gives an infinite one.
    static func whole(_ x: Double) -> Int { Int(min(x, 1e15).rounded(.down)) }
}
