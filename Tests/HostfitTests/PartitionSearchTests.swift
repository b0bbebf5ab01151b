import Testing
@testable import Hostfit

@Suite("Partition search")
struct PartitionSearchTests {
    /// Every row exactly once, by at most `hosts` columns.
    private func isPartition(_ found: [Int], _ search: PartitionSearch) -> Bool {
        var seen = [Int](repeating: 0, count: search.rows)
        for c in found { for r in search.columns[c] { seen[r] += 1 } }
        return found.count <= search.hosts && seen.allSatisfy { $0 == 1 }
    }

    /// A planted partition into triples hidden among three times as many decoy triples, as
    /// in the triplet instances: depth-first search commits early and misses such partitions.
    @Test func findsAPlantedPartitionAmongDecoys() {
        var rng = SeededGenerator(seed: 11)
        let rows = 300
        let planted = Array(0..<rows).shuffled(using: &rng)
        var columns = stride(from: 0, to: rows, by: 3).map { Array(planted[$0..<$0 + 3]) }
        for _ in 0..<300 { columns.append(Array(Array(0..<rows).shuffled(using: &rng).prefix(3))) }
        columns.shuffle(using: &rng)
        let search = PartitionSearch(columns: columns, rows: rows, hosts: rows / 3)
        let outcome = search.run(allowance: .work(seconds: 20), seed: 1)
        let found = try? #require(outcome.found)
        #expect(found.map { isPartition($0, search) } == true)
        #expect(outcome.fewestUncovered == 0)
    }

    /// Covering everything with too many columns is no answer: their waste is over budget.
    @Test func keepsToTheHostLimit() {
        let search = PartitionSearch(columns: [[0], [1], [2], [3], [0, 1], [2, 3]], rows: 4, hosts: 2)
        let outcome = search.run(allowance: .work(seconds: 5), seed: 3)
        #expect(outcome.found.map { Set($0) } == [4, 5])
    }

    /// No partition: it stops when its work is spent (or at once, for a row no column covers) with none.
    @Test func stopsWithoutOneWhenNoneExists() {
        let overlapping = PartitionSearch(columns: [[0, 1], [1, 2]], rows: 3, hosts: 2)
        let start = ContinuousClock.now
        #expect(overlapping.run(allowance: .work(seconds: 0.005), seed: 1).found == nil)
        #expect(start.duration(to: .now) < .seconds(2))
        let uncoverable = PartitionSearch(columns: [[0, 1]], rows: 3, hosts: 2)
        #expect(uncoverable.run(allowance: .work(seconds: 60), seed: 1).found == nil)
        let stop = StopToken()
        stop.requestStop()
        let stopped = ContinuousClock.now
        #expect(overlapping.run(allowance: .work(seconds: 60, stop: stop), seed: 1).found == nil)
        #expect(stopped.duration(to: .now) < .seconds(2))
    }
}
