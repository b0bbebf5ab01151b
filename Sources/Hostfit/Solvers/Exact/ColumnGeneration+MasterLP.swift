import GLPK

extension ColumnGenerationRun {
    /// The master LP, warm-started round after round: its root gives the bound, its dives
    /// give plans. false when GLPK failed (the heuristic plan stands).
    func masterLP() -> Bool {
        do {
            try ColumnLP.with(rows: rows(demand, available), trace: control.glpkTrace) { (lp: ColumnLP) throws(GLPKError) in
                try loadColumns(lp)
                guard let target = try root(lp), target < best, !outOfTime() else { return }
                try dives(lp, target: target)
            }
        } catch {
            result.notes.append("column generation failed (\(error.userMessage)); the heuristic plan stands")
            return false
        }
        result.columns = pool.patterns.count
        return true
    }

    func addPattern(_ j: Int, to lp: ColumnLP) throws(GLPKError) {
        let p = pool.patterns[j]
        try lp.addColumn(cost: 1, entries: p.counts.map { ($0.item, Double($0.count)) } + [(T + p.cls, 1)])
        patternOfColumn.append(j)
    }

    /// The patterns found so far, and the dual-optimal inequalities.
    private func loadColumns(_ lp: ColumnLP) throws(GLPKError) {
        for j in pool.patterns.indices { try addPattern(j, to: lp) }
        // Dual-optimal inequalities (Ben Amor, Desrosiers & Valerio de Carvalho, "Dual-
        // optimal inequalities for stabilized column generation", Operations Research 54,
        // 2006): a VM's slot can always hold a smaller VM instead, so a larger type is
        // worth at least as much. Columns (+1 smaller, -1 larger) at cost 0 say so, and
        // cut the degenerate duals that stall the first rounds.
        for (big, small) in model.dominancePairs() {
            try lp.addColumn(cost: 0, entries: [(small, 1), (big, -1)])
            patternOfColumn.append(-1)
        }

    }

    /// Rounds of pricing until no pattern improves (or `enough` says stop); the
    /// last LP solution, or nil when the LP failed. `converged`: pricing proved it optimal.
    func generate(_ lp: ColumnLP, _ residual: [Int], maxRounds: Int, smoothing: Bool = false,
                  enough: (ColumnLP.Solution, _ added: Int, _ upper: [Double], _ exact: Bool, _ priced: [Double]) -> Bool)
        throws(GLPKError) -> ColumnLP.Solution? {
        converged = false
        var rounds = 0
        // Dual smoothing (Wentges, "Weighted Dantzig-Wolfe decomposition for linear mixed-
        // integer programming", ITOR 4, 1997): price at a point between the duals of the best
        // Lagrangian bound so far and the LP's, which damps the duals' swings; where that
        // finds no column the LP can use, price at the LP's own duals (a mispricing).
        var center: [Double]? = nil, centerBound = -Double.infinity
        while true {
            let cost = WorkMeter.simplexCost(rows: T + K, entries: lp.columnCount * 6)
            let solution = try lp.solve(timeLimit: max(0.1, allowance.secondsLeft), iterationLimit: Int(min(1e9, max(100, allowance.workLeft / cost))))
            allowance.spend(Double(solution.iterations) * cost)
            guard solution.status == .optimal else { return nil }
            rounds += 1
            result.rounds += 1
            let duals = (0..<T).map { max(0, solution.duals[$0]) }
            var alpha = smoothing && center != nil ? 0.7 : 0.0
            var upper = [Double](repeating: 0, count: K)
            var added = 0, useful = 0, exact = true
            var priced = duals
            while true {
                priced = alpha > 0 ? zip(center!, duals).map { alpha * $0 + (1 - alpha) * $1 } : duals
                added = 0; useful = 0; exact = true
                for c in 0..<K {
                    let cls = model.classes[c]
                    let threshold = 1 - min(0, solution.duals[T + c]) + 1e-9
                    let items = (0..<T).filter { residual[$0] > 0 && cls.allows[model.items[$0].eligibility] }.map {
                        (type: $0, size: model.items[$0].size, value: priced[$0], count: residual[$0])
                    }
                    let found = pricer.price(items: items, capacity: cls.capacity, vmLimit: cls.vmLimit, threshold: alpha > 0 ? -1 : threshold)
                    upper[c] = found.upper
                    exact = exact && found.exact
                    var patterns = found.patterns
                    if model.dimensions > 1 {
                        patterns += pricer.greedy(items: items, capacity: cls.capacity, vmLimit: cls.vmLimit, threshold: threshold)
                    }
                    for pattern in patterns {
                        // Only columns of negative reduced cost at the LP's duals help the LP.
                        let value = pattern.counts.reduce(0.0) { $0 + duals[$1.item] * Double($1.count) }
                        guard value > threshold else { continue }
                        useful += 1
                        if let j = pool.insert(c, pattern.counts) { try addPattern(j, to: lp); added += 1 }
                    }
                    if outOfTime() { break }
                }
                if smoothing {
                    // The Lagrangian and Farley bounds at the point priced, as the root takes them.
                    let cover = zip(priced, residual).reduce(0.0) { $0 + $1.0 * Double($1.1) }
                    let bound = max(cover + (0..<K).reduce(0.0) { $0 + Double(available[$1]) * min(0, 1 - upper[$1]) },
                                    cover / max(1, upper.max() ?? 1))
                    if bound > centerBound { centerBound = bound; center = priced }
                    if center == nil { center = priced }
                }
                if useful > 0 || alpha == 0 || outOfTime() { break }
                alpha = 0   // mispriced: the LP's own duals decide
            }
            converged = useful == 0 && alpha == 0 && exact
            if enough(solution, added, upper, exact && alpha == 0, priced) || added == 0 || rounds >= maxRounds || outOfTime() { return solution }
        }
    }

    /// The LP bound (Lagrangian and Farley bounds while it has not converged), rounded: the
    /// hosts any plan needs; nil when the LP did not solve.
    private func root(_ lp: ColumnLP) throws(GLPKError) -> Int? {
        // The root: the bound. Half the time at most: where the LP converges slowly
        // (hundreds of VMs, many resources), dives from its duals so far still give plans.
        var bound = Double(knownHosts)
        // A fifth when only a partition can beat a plan one above the bound: the root is then
        // only there to lead a dive to that plan, and the partition search wants the rest.
        let rootEnd = allowance.share(partitionOnly ? 0.2 : 0.5)
        let start = allowance.meter.units
        let root = try generate(lp, demand, maxRounds: .max, smoothing: model.dimensions == 1) { solution, added, upper, exact, priced in
            rootSolution = solution
            // Lagrangian and Farley bounds from the duals priced (valid whatever the pricer did).
            let pi = priced
            let cover = zip(pi, demand).reduce(0.0) { $0 + $1.0 * Double($1.1) }
            var lagrange = cover
            for c in 0..<K { lagrange += Double(available[c]) * min(0, 1 - upper[c]) }
            bound = max(bound, lagrange, cover / max(1, upper.max() ?? 1))
            if added == 0 && exact {
                bound = max(bound, solution.objective)
                result.lpOptimal = true
            }
            // Done: proven, or the LP bound's rounding is settled.
            let rounded = Int(LowerBounds.ceilTolerant(bound))
            return rounded >= best || rootEnd.expired
        }
        guard root != nil else {
            result.notes.append(outOfTime() ? "column generation stopped: out of time before its first LP bound"
                                            : "column generation stopped: the master LP did not solve")
            return nil
        }
        result.notes.append("master LP root: \(result.rounds) rounds, \(workSince(start))")
        result.bound = bound
        result.boundHosts = Int(LowerBounds.ceilTolerant(bound))
        let target = result.boundHosts!
        return target

    }

    private func dives(_ lp: ColumnLP, target: Int) throws(GLPKError) {
        // Dives: each fixes patterns until every VM is covered. A dive that misses starts
        // again with its first choice forbidden (limited discrepancy), until time runs out.
        // One resource: two pricing rounds a node, not convergence: the columns found still
        // serve the next node, and a dive costs a fifth as much, so more dives fit (BPPLIB:
        // 1,586 of 1,587 proven at 10 s, was 1,578). Several: to convergence. Two rounds
        // helped the Panigrahy sample a little but cost two triplet instances their optimum
        // (classC_501_3_9: 180 hosts where it is 167), and only when tight packing had run.
        let roundsPerNode = model.dimensions == 1 ? 2 : 400
        var tabu = Set<Int>()
        // Most of what is left: enumeration comes next, and needs less when the gap is small.
        let divesEnd = allowance.share(0.7)
        dives: for attempt in 0..<50 {
            if attempt > 0, divesEnd.expired { break }
            var residual = demand, free = available
            var fixed: [Int: Int] = [:]
            var used = 0
            var first: Int? = nil
            for i in 0..<T { try lp.setRow(i, MIPModel.Row(lower: Double(residual[i]))) }
            for c in 0..<K { try lp.setRow(T + c, MIPModel.Row(upper: Double(free[c]))) }
            while residual.contains(where: { $0 > 0 }) {
                guard !outOfTime() else { break dives }
                guard let node = try generate(lp, residual, maxRounds: roundsPerNode, enough: { _, _, _, _, _ in false }) else { break }
                // No plan below `best` down this path.
                if converged, used + Int(LowerBounds.ceilTolerant(node.objective)) >= best { break }
                // Every other dive fixes whole copies only while their VMs are all still
                // uncovered. The covering LP may hold more copies than there are VMs (over-
                // covering them); filling those copies with the largest VMs that fit finds
                // most plans at once (Scholl_1), but where every host must take three VMs it
                // breaks the dive (Scholl's N4W1B1: 155 hosts fixed at once, 179 in all
                // against 167; strict, 176 and then 170-174 after the pattern MIP).
                // Without whole copies: one pattern by largest fraction (strict: preferring
                // those whose VMs are all uncovered), filled if need be.
                let strict = attempt % 2 == 1
                func uncovered(_ j: Int) -> Bool { pool.patterns[j].counts.allSatisfy { residual[$0.item] >= $0.count } }
                var chosen: [(Int, Int)] = []
                var largest = (column: -1, value: 0.0)
                for (column, value) in node.values.enumerated() where patternOfColumn[column] >= 0 && value > 1e-6 {
                    if first == nil && tabu.contains(patternOfColumn[column]) { continue }
                    let whole = Int((value + 1e-6).rounded(.down))
                    let free = !strict || uncovered(patternOfColumn[column])
                    if whole > 0, free { chosen.append((patternOfColumn[column], whole)) }
                    let fraction = value - Double(whole) + (strict && free ? 1 : 0)
                    if fraction > largest.value { largest = (column, fraction) }
                }
                let wholeOnly = strict && !chosen.isEmpty && first != nil
                if first == nil {
                    // The first choice is the one a new dive varies: one pattern only.
                    let pick = chosen.first?.0 ?? (largest.column >= 0 ? patternOfColumn[largest.column] : nil)
                    guard let pick else { break }
                    first = pick
                    chosen = [(pick, 1)]
                } else if chosen.isEmpty {
                    guard largest.column >= 0 else { break }
                    chosen = [(patternOfColumn[largest.column], 1)]
                }
                for (j, copies) in chosen {
                    let cls = pool.patterns[j].cls
                    for _ in 0..<copies where free[cls] > 0 {
                        if wholeOnly, !uncovered(j) { break }
                        // What the host really takes: the pattern's VMs still uncovered, then
                        // the largest uncovered that still fit (the LP's exchange columns let a
                        // pattern's slot stand for a smaller VM).
                        let counts = model.fill(pool.patterns[j].counts, cls: cls, residual: residual)
                        guard !counts.isEmpty else { break }
                        let k: Int
                        if let known = pool.index(cls, counts) { k = known } else { k = pool.insert(cls, counts)!; try addPattern(k, to: lp) }
                        fixed[k, default: 0] += 1
                        used += 1
                        free[cls] -= 1
                        for (item, count) in counts { residual[item] -= count }
                    }
                }
                for i in 0..<T { try lp.setRow(i, MIPModel.Row(lower: Double(residual[i]))) }
                for c in 0..<K { try lp.setRow(T + c, MIPModel.Row(upper: Double(free[c]))) }
            }
            result.dives += 1
            if !residual.contains(where: { $0 > 0 }), used < best {
                best = used
                bestCopies = fixed
                result.notes.append("column generation dive \(result.dives): \(used) hosts")
            }
            if best <= target || (partitionOnly && best <= knownHosts + 1) { break }
            guard let first else { break }
            tabu.insert(first)
        }
    }
}
