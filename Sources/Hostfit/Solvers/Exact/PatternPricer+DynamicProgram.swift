extension PatternPricer {
    /// One dimension with integral sizes: the exact dynamic program over capacity, which does
    /// not care how correlated values and sizes are (branch and bound does: duals of bin
    /// packing are nearly proportional to sizes, its hardest case). Copies of an item are
    /// split in powers of two (a bounded knapsack as a 0-1 one).
    func dynamicProgram(_ items: [(type: Int, size: [Double], value: Double, count: Int)], capacity: Double,
                        threshold: Double) -> Result? {
        guard let (pieces, C) = Self.pieces(items, capacity: capacity) else { return nil }
        allowance.spend(Double(pieces.count * (C + 1)) * WorkMeter.knapsackCellCost)
        var best = [Double](repeating: 0, count: C + 1)
        var taken = [UInt64](repeating: 0, count: (pieces.count * (C + 1) + 63) / 64)
        for (p, piece) in pieces.enumerated() where piece.size <= C {
            let base = p * (C + 1)
            var c = C
            while c >= piece.size {
                let candidate = best[c - piece.size] + piece.value
                if candidate > best[c] + 1e-12 {
                    best[c] = candidate
                    let bit = base + c
                    taken[bit >> 6] |= 1 << UInt64(bit & 63)
                }
                c -= 1
            }
        }
        var counts = [Int](repeating: 0, count: items.count)
        var c = C
        for p in stride(from: pieces.count - 1, through: 0, by: -1) {
            let bit = p * (C + 1) + c
            if taken[bit >> 6] & (1 << UInt64(bit & 63)) != 0 {
                counts[pieces[p].item] += pieces[p].copies
                c -= pieces[p].size
            }
        }
        let value = best[C]
        let pattern = counts.enumerated().compactMap { $1 > 0 ? (item: items[$0].type, count: $1) : nil }
        return Result(patterns: value > threshold ? [(pattern, value)] : [], best: value, upper: value, exact: true)
    }

    /// The table's cells (pieces times capacity), or nil where the program does not apply:
    /// sizes that are not whole numbers, or a table too large.
    func dynamicProgramCells(_ items: [(type: Int, size: [Double], value: Double, count: Int)], capacity: Double) -> Int? {
        Self.pieces(items, capacity: capacity).map { $0.pieces.count * ($0.capacity + 1) }
    }

    /// Copies of an item split in powers of two, and the capacity as a whole number.
    private static func pieces(_ items: [(type: Int, size: [Double], value: Double, count: Int)], capacity: Double)
        -> (pieces: [(item: Int, copies: Int, size: Int, value: Double)], capacity: Int)? {
        guard capacity < 4_000_000, items.allSatisfy({ $0.size[0] == $0.size[0].rounded() && $0.size[0] >= 1 }) else { return nil }
        let C = Int((capacity + 1e-9).rounded(.down))
        var pieces: [(item: Int, copies: Int, size: Int, value: Double)] = []
        for (i, item) in items.enumerated() {
            var left = item.count, chunk = 1
            while left > 0 {
                let k = min(chunk, left)
                pieces.append((i, k, k * Int(item.size[0]), Double(k) * item.value))
                left -= k
                chunk *= 2
            }
        }
        guard pieces.count * (C + 1) <= 60_000_000 else { return nil }
        return (pieces, C)
    }
}
