import Testing
@testable import Hostfit

@Suite("Lower bounds")
struct LowerBoundsTests {
    @Test func l2SeesThatItemsAboveHalfCannotShare() {
        // Three items of 51 in bins of 100: volume says 2, but no two fit together.
        #expect(LowerBounds.martelloTothL2([51, 51, 51], capacity: 100) == 3)
        let problem = Support.binPacking(capacity: 100, weights: [51, 51, 51])
        let bound = LowerBounds.compute(problem, vms: [0, 1, 2])
        #expect(bound == LowerBound(hosts: 3, method: .martelloTothL2, resource: .memory))
    }

    @Test func l2CountsTheRoomBigItemsLeave() {
        // 60s leave 40 each; three 45s fit none of it: 3 + ceil(135/100) = 5 (volume: 4).
        #expect(LowerBounds.martelloTothL2([60, 60, 60, 45, 45, 45], capacity: 100) == 5)
        #expect(LowerBounds.volumeBound(315, capacities: [100, 100, 100, 100, 100, 100]) == 4)
    }

    @Test func volumeUsesTheLargestHostsFirst() {
        #expect(LowerBounds.volumeBound(250, capacities: [200, 100, 100]) == 2)
        #expect(LowerBounds.volumeBound(500, capacities: [200, 100]) == 3, "all hosts, then the shortfall in largest hosts")
    }

    /// On random one-dimensional instances the bounds never exceed the optimum found by
    /// exhaustive search.
    @Test func boundsNeverExceedTheOptimum() {
        var rng = SeededGenerator(seed: 11)
        for _ in 0..<200 {
            let n = Int.random(in: 1...8, using: &rng)
            let items = (0..<n).map { _ in Double(Int.random(in: 1...100, using: &rng)) }
            let optimum = exactBinCount(items, capacity: 100)
            #expect(LowerBounds.martelloTothL2(items, capacity: 100) <= optimum, "\(items)")
            let problem = Support.binPacking(capacity: 100, weights: items)
            #expect(LowerBounds.compute(problem, vms: Array(0..<n)).hosts <= optimum, "\(items)")
        }
    }

    /// Fewest bins by trying every assignment (small n only).
    private func exactBinCount(_ items: [Double], capacity: Double) -> Int {
        var best = items.count
        var loads: [Double] = []
        func place(_ i: Int) {
            if loads.count >= best { return }
            if i == items.count { best = loads.count; return }
            for b in loads.indices where loads[b] + items[i] <= capacity {
                loads[b] += items[i]; place(i + 1); loads[b] -= items[i]
            }
            loads.append(items[i]); place(i + 1); loads.removeLast()
        }
        place(0)
        return best
    }
}
