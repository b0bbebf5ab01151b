import Foundation

/// Simulated annealing for an exact cover by at most `hosts` columns (Kirkpatrick, Gelatt
/// & Vecchi, Science 1983). It keeps a set of disjoint columns; a step picks an uncovered
/// row and a random column over it, and takes that column, evicting the columns it overlaps,
/// when that leaves no more rows uncovered, or else with probability exp(-more / T).
///
/// It proves nothing, but finds the planted partitions of triplet instances that depth-first
/// search and GLPK's feasibility pump miss: on Caprara & Toth's class F with three
/// resources and 501 VMs, 9 of 10 in under 0.6 s at T = 0.3. The useful temperature is
/// narrow (0.25-0.35 find most; 0.2 and 0.5 one between them in a second), so it cycles
/// through a few near 0.3, long enough at each to settle.
struct PartitionSearch {
    /// The rows each column covers: every row must be covered exactly once.
    let columns: [[Int]]
    let rows: Int
    let hosts: Int

    static let temperatures = [0.3, 0.35, 0.25]
    /// Steps at one temperature before the next (about 0.5 s; cycling every 0.1 s found fewer).
    static let segment = 10_000_000

    struct Outcome {
        /// Column indices, disjoint, covering every row.
        var found: [Int]?
        var steps = 0
        /// Fewest rows left uncovered.
        var fewestUncovered: Int
    }

    func run(allowance: Allowance, seed: UInt64) -> Outcome {
        var random = SeededGenerator(seed: seed)
        var containing = [[Int]](repeating: [], count: rows)
        for (c, column) in columns.enumerated() { for r in column { containing[r].append(c) } }
        var outcome = Outcome(fewestUncovered: rows)
        guard containing.allSatisfy({ !$0.isEmpty }) else { return outcome }
        var owner = [Int](repeating: -1, count: rows)
        var chosen = 0
        // Uncovered rows, with each one's position for O(1) removal.
        var uncovered = Array(0..<rows), position = Array(0..<rows)
        func cover(_ r: Int, by c: Int) {
            owner[r] = c
            let p = position[r], last = uncovered.removeLast()
            if last != r { uncovered[p] = last; position[last] = p }
        }
        func uncover(_ r: Int) {
            owner[r] = -1
            position[r] = uncovered.count
            uncovered.append(r)
        }
        func take(_ c: Int, evicting conflicts: [Int]) {
            for o in conflicts { for r in columns[o] { uncover(r) } }
            for r in columns[c] { cover(r, by: c) }
            chosen += 1 - conflicts.count
        }
        // Start: a random greedy packing.
        for c in columns.indices.shuffled(using: &random) where columns[c].allSatisfy({ owner[$0] < 0 }) { take(c, evicting: []) }
        outcome.fewestUncovered = uncovered.count
        // Acceptance of a step that uncovers `k` more rows, per temperature.
        let widest = columns.map(\.count).max() ?? 1
        let accept = Self.temperatures.map { t in (0...(widest * widest)).map { k in exp(-Double(k) / t) } }
        var conflicts: [Int] = []
        var step = 0
        while true {
            if uncovered.isEmpty {
                if chosen <= hosts {
                    outcome.found = (0..<rows).compactMap { columns[owner[$0]][0] == $0 ? owner[$0] : nil }
                    break
                }
                // Everything covered by too many columns (over the waste budget): drop one.
                let c = owner[Int.random(in: 0..<rows, using: &random)]
                for r in columns[c] { uncover(r) }
                chosen -= 1
            }
            step += 1
            if step & 0x3FFF == 0 {
                allowance.spend(0x4000 * 0.04)
                if allowance.expired { break }
            }
            let u = uncovered[Int.random(in: 0..<uncovered.count, using: &random)]
            let c = containing[u][Int.random(in: 0..<containing[u].count, using: &random)]
            conflicts.removeAll(keepingCapacity: true)
            for r in columns[c] where owner[r] >= 0 && !conflicts.contains(owner[r]) { conflicts.append(owner[r]) }
            // Rows uncovered after the step, less before: the evicted columns' rows, less c's.
            var more = -columns[c].count
            for o in conflicts { more += columns[o].count }
            if more > 0 {
                let table = accept[(step / Self.segment) % accept.count]
                guard Double.random(in: 0..<1, using: &random) < table[min(more, table.count - 1)] else { continue }
            }
            take(c, evicting: conflicts)
            outcome.fewestUncovered = min(outcome.fewestUncovered, uncovered.count)
        }
        outcome.steps = step
        return outcome
    }
}
