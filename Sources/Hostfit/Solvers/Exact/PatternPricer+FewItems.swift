extension PatternPricer {
    /// One dimension and few VMs to a host (Scholl's HARD instances: at most four of 200
    /// sizes between a fifth and a third of the capacity): every set of up to m - 1 VMs,
    /// taken by decreasing size, completed by the most valuable VM that still fits, which is
    /// the best of a suffix of that order (a table lookup). A bound on what m - k more VMs
    /// can add prunes the rest. Exact, and where VMs are few to a host it visits far fewer
    /// nodes than the dynamic program has cells (HARD: about 20 times fewer). nil when it
    /// would visit more than `nodeLimit` nodes: the dynamic program runs instead.
    func fewItems(_ input: [(type: Int, size: [Double], value: Double, count: Int)], capacity: Double,
                  threshold: Double, columns: Int, nodeLimit: Int) -> Result? {
        let order = input.indices.sorted { a, b in
            input[a].size[0] != input[b].size[0] ? input[a].size[0] > input[b].size[0] : a < b
        }
        let n = order.count
        let size = order.map { input[$0].size[0] }, value = order.map { input[$0].value }, count = order.map { input[$0].count }
        guard size.allSatisfy({ $0 > 0 }) else { return nil }
        // The most VMs a host takes: the smallest first.
        var most = 0, load = 0.0
        smallest: for t in stride(from: n - 1, through: 0, by: -1) {
            for _ in 0..<count[t] {
                guard load + size[t] <= capacity else { break smallest }
                load += size[t]
                most += 1
            }
        }
        guard most <= 6 else { return nil }
        // From each position on: the most valuable VM, and the best value per unit of size.
        var bestFrom = [Int](repeating: -1, count: n + 1), ratioFrom = [Double](repeating: 0, count: n + 1)
        for t in stride(from: n - 1, through: 0, by: -1) {
            let b = bestFrom[t + 1]
            bestFrom[t] = b >= 0 && value[b] >= value[t] ? b : t
            ratioFrom[t] = max(ratioFrom[t + 1], value[t] / size[t])
        }
        // The first position from `t` on whose VM fits in `room` (sizes fall along the order).
        func firstFitting(_ room: Double, from t: Int) -> Int {
            var low = t, high = n
            while low < high {
                let mid = (low + high) / 2
                if size[mid] <= room { high = mid } else { low = mid + 1 }
            }
            return low
        }

        var top: [(counts: [(item: Int, count: Int)], value: Double)] = []   // best last
        var bestValue = 0.0
        var picks: [Int] = []
        var nodes = 0, over = false
        func floorValue() -> Double { top.count >= columns ? max(threshold, top[0].value) : threshold }
        func record(_ total: Double, plus extra: Int?) {
            bestValue = max(bestValue, total)
            guard total > floorValue() + 1e-12 else { return }
            var counts: [Int: Int] = [:]
            for t in picks { counts[input[order[t]].type, default: 0] += 1 }
            if let extra { counts[input[order[extra]].type, default: 0] += 1 }
            let pattern = counts.sorted { $0.key < $1.key }.map { (item: $0.key, count: $0.value) }
            guard !top.contains(where: { $0.counts.elementsEqual(pattern) { $0.item == $1.item && $0.count == $1.count } }) else { return }
            let at = top.firstIndex { $0.value > total } ?? top.count
            top.insert((pattern, total), at: at)
            if top.count > columns { top.removeFirst() }
        }
        func visit(_ used: Double, _ total: Double, _ last: Int, _ copiesOfLast: Int) {
            nodes += 1
            if nodes > nodeLimit { over = true; return }
            let room = capacity - used
            let again = last >= 0 && copiesOfLast < count[last] && size[last] <= room
            let from = firstFitting(room, from: last + 1)
            var next = again ? last : -1
            if from < n, next < 0 || value[bestFrom[from]] > value[next] { next = bestFrom[from] }
            guard next >= 0 else {
                if !picks.isEmpty { record(total, plus: nil) }
                return
            }
            record(total + value[next], plus: next)
            let left = Double(most - picks.count)
            guard left >= 2, total + min(left * value[next], room * ratioFrom[max(0, last)]) > floorValue() + 1e-12 else { return }
            var t = again ? last : from
            while t < n {
                picks.append(t)
                visit(used + size[t], total + value[t], t, t == last ? copiesOfLast + 1 : 1)
                picks.removeLast()
                if over { return }
                t = t == last ? from : t + 1
            }
        }
        visit(0, 0, -1, 0)
        allowance.spend(Double(nodes) * WorkMeter.enumerationNodeCost)
        guard !over else { return nil }
        return Result(patterns: top, best: bestValue, upper: max(bestValue, threshold), exact: true)
    }
}
