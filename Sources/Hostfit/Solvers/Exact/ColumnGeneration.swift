import GLPK

/// Column generation on the set-covering model (`PatternModel`), for a lower bound on hosts
/// that is usually the optimum itself (the Gilmore-Gomory LP bound; for one-dimensional bin
/// packing its rounding is almost always optimal), then plans that may reach it:
/// - a dive: fix the patterns the LP uses (all whole copies, else the largest fraction), take
///   them out of the demand and generate columns again, until every VM is covered (the
///   residual heuristic of cutting stock; see Sadykov, Vanderbeck et al., "Primal heuristics
///   for branch and price: the assets of diving methods", INFORMS J. Computing 31, 2019);
/// - a GLPK MIP over all patterns found ("price and branch"), from the better plan so far.
///
/// The bound holds whenever the pricer stops early: for any duals pi >= 0 and an upper bound
/// P_t on the best pattern value of host class t, pi.d + sum_t N_t min(0, 1 - P_t) is a lower
/// bound (Lagrangian relaxation of the covering rows), and scaling pi by 1 / max_t P_t gives
/// Farley's bound (Farley, "A note on bounding a class of linear programming problems",
/// Operations Research 38, 1990). Counting hosts only: every host costs 1.
enum ColumnGeneration {
    struct Result {
        /// A plan with fewer hosts than the incumbent, when the MIP found one.
        var assignment: Assignment?
        /// Hosts any plan needs (the rounded bound), when the LP ran.
        var boundHosts: Int?
        /// The LP bound before rounding.
        var bound: Double?
        /// The LP was solved to optimality (pricing proved no improving pattern).
        var lpOptimal = false
        var columns = 0
        var rounds = 0
        var dives = 0
        var notes: [String] = []
    }

    /// `polish` may improve the incumbent once tight packing has had its turn (which only it
    /// can take: it needs the time while the heuristic plan is far from the bound).
    static func run(_ problem: PlacementProblem, vms: [Int], incumbent: Assignment, deadline: ContinuousClock.Instant,
                    polish: ((Assignment) -> Assignment)? = nil, control: SearchControl = SearchControl()) -> Result? {
        let shouldStop = { control.stopRequested }
        guard problem.objective == .hosts, let model = PatternModel(problem, vms: vms) else { return nil }
        guard vms.allSatisfy({ incumbent.hostOf[$0] >= 0 }) else { return nil }
        let clock = ContinuousClock()
        func left() -> Double { clock.now.duration(to: deadline).seconds }
        func outOfTime() -> Bool { left() <= 0 || shouldStop() }
        let T = model.items.count, K = model.classes.count
        let classOf = model.classOfHost(hostCount: problem.hostCount)
        let demand = model.items.map(\.count), available = model.classes.map(\.hosts.count)
        // Rows: cover each item type; at most N_t hosts of class t.
        func rows(_ demand: [Int], _ available: [Int]) -> [MIPModel.Row] {
            demand.map { MIPModel.Row(lower: Double($0)) } + available.map { MIPModel.Row(upper: Double($0)) }
        }

        var pool = PatternPool()
        // The incumbent's hosts are the first columns, so the MIP can start from it.
        func copies(of plan: Assignment) -> [Int: Int]? {
            var copies: [Int: Int] = [:]
            var byHost: [Int: [Int: Int]] = [:]
            for v in vms { byHost[plan.hostOf[v], default: [:]][model.typeOf[v], default: 0] += 1 }
            for (h, counts) in byHost.sorted(by: { $0.key < $1.key }) {
                guard classOf[h] >= 0 else { return nil }
                let j = pool.insert(classOf[h], counts.map { (item: $0.key, count: $0.value) })
                copies[j ?? pool.index(classOf[h], counts.map { (item: $0.key, count: $0.value) })!, default: 0] += 1
            }
            return copies
        }
        guard let incumbentCopies = copies(of: incumbent) else { return nil }
        var result = Result()
        var best = incumbent.hostsUsed
        var bestCopies = incumbentCopies
        // Hosts any plan needs, proven before the LP runs.
        var knownHosts = 0
        // Tight packing listed every pattern a plan of the bound can use: only a partition of
        // them (which the ejection chains rarely find) can beat a plan one host above it.
        var partitionOnly = false
        var partitionAgain: TightPacking.Result.Retry?
        // A plan of the single class (one pattern per host) as pool columns and copies.
        func poolCounts(_ copies: [[(item: Int, count: Int)]]) -> [Int: Int] {
            var counts: [Int: Int] = [:]
            for p in copies { counts[pool.insert(0, p) ?? pool.index(0, p)!, default: 0] += 1 }
            return counts
        }

        // A tight volume bound: few patterns can be part of a plan that meets it (`TightPacking`).
        if let tight = TightPacking.run(model, below: best, deadline: clock.now + .milliseconds(Int(max(0, left()) * 300)),
                                        control: control) {
            result.notes.append(tight.note)
            knownHosts = tight.provenImpossible ? tight.target + 1 : tight.target
            partitionOnly = tight.complete && !tight.provenImpossible
            partitionAgain = tight.partitionAgain
            if let copies = tight.copies {
                let counts = poolCounts(copies)
                result.boundHosts = tight.target
                result.columns = pool.patterns.count
                if let plan = assignment(counts, pool, model, vms: vms, base: incumbent), plan.hostsUsed < incumbent.hostsUsed {
                    result.assignment = plan
                    return result
                }
            }
            // The patterns that waste least make good columns for the LP.
            for p in tight.patterns.prefix(5_000) { _ = pool.insert(0, p) }
        }
        if knownHosts > 0 { result.boundHosts = knownHosts }
        if knownHosts >= best { return result }
        // One resource: the pricer is exact and the dives find what the chains would, at a
        // fraction of their time (BPPLIB: Schwerin 0.02 s against 0.9 s with them).
        if let polish, model.dimensions > 1, !(partitionOnly && best <= knownHosts + 1), !outOfTime() {
            let better = polish(incumbent)
            if better.hostsUsed < best, vms.allSatisfy({ better.hostOf[$0] >= 0 }), let counts = copies(of: better) {
                best = better.hostsUsed
                bestCopies = counts
                result.assignment = better
                if knownHosts >= best { return result }
            }
        }

        // One host above the bound, and tight packing listed every pattern: only a partition of
        // them does better, so the time left goes to another try at one (the LP, its dives and
        // the MIPs below would search the same space less directly).
        var retried = false
        func tryPartitionAgain() -> Bool {
            guard partitionOnly, best == knownHosts + 1, !retried, let partitionAgain, left() > 0.1, !shouldStop() else { return false }
            retried = true
            let start = clock.now
            let again = partitionAgain(clock.now + .milliseconds(Int(left() * 900)), 2, shouldStop)
            result.notes.append(again.note + String(format: " (%.1f s)", start.duration(to: clock.now).seconds))
            guard let found = again.copies else { return false }
            guard let plan = assignment(poolCounts(found), pool, model, vms: vms, base: incumbent), plan.hostsUsed < best else { return false }
            result.columns = pool.patterns.count
            result.assignment = plan
            return true
        }
        if tryPartitionAgain() { return result }

        var pricer = PatternPricer(dimensions: model.dimensions)
        // Several dimensions: many quick heuristic rounds beat few exact ones.
        if model.dimensions > 1 { pricer.nodeLimit = 20_000 }
        pricer.deadline = deadline
        pricer.control = control
        var rootSolution: ColumnLP.Solution?

        do {
            try ColumnLP.with(rows: rows(demand, available), trace: control.glpkTrace) { (lp: ColumnLP) throws(GLPKError) in
                var patternOfColumn: [Int] = []   // -1: a dual-optimal inequality
                func addPattern(_ j: Int) throws(GLPKError) {
                    let p = pool.patterns[j]
                    try lp.addColumn(cost: 1, entries: p.counts.map { ($0.item, Double($0.count)) } + [(T + p.cls, 1)])
                    patternOfColumn.append(j)
                }
                for j in pool.patterns.indices { try addPattern(j) }
                // Dual-optimal inequalities (Ben Amor, Desrosiers & Valerio de Carvalho, "Dual-
                // optimal inequalities for stabilized column generation", Operations Research 54,
                // 2006): a VM's slot can always hold a smaller VM instead, so a larger type is
                // worth at least as much. Columns (+1 smaller, -1 larger) at cost 0 say so, and
                // cut the degenerate duals that stall the first rounds.
                for (big, small) in model.dominancePairs() {
                    try lp.addColumn(cost: 0, entries: [(small, 1), (big, -1)])
                    patternOfColumn.append(-1)
                }

                /// Rounds of pricing until no pattern improves (or `enough` says stop); the
                /// last LP solution, or nil when the LP failed. `converged`: pricing proved it optimal.
                var converged = false
                func generate(_ residual: [Int], maxRounds: Int, enough: (ColumnLP.Solution, _ added: Int, _ upper: [Double], _ exact: Bool) -> Bool)
                    throws(GLPKError) -> ColumnLP.Solution? {
                    converged = false
                    var rounds = 0
                    while true {
                        let solution = try lp.solve(timeLimit: max(0.1, left()))
                        guard solution.status == .optimal else { return nil }
                        rounds += 1
                        result.rounds += 1
                        var upper = [Double](repeating: 0, count: K)
                        var added = 0, exact = true
                        for c in 0..<K {
                            let cls = model.classes[c]
                            let threshold = 1 - min(0, solution.duals[T + c]) + 1e-9
                            let items = (0..<T).filter { residual[$0] > 0 && cls.allows[model.items[$0].eligibility] }.map {
                                (type: $0, size: model.items[$0].size, value: max(0, solution.duals[$0]), count: residual[$0])
                            }
                            let priced = pricer.price(items: items, capacity: cls.capacity, vmLimit: cls.vmLimit, threshold: threshold)
                            upper[c] = priced.upper
                            exact = exact && priced.exact
                            var patterns = priced.patterns
                            if model.dimensions > 1 {
                                patterns += pricer.greedy(items: items, capacity: cls.capacity, vmLimit: cls.vmLimit, threshold: threshold)
                            }
                            for found in patterns {
                                if let j = pool.insert(c, found.counts) { try addPattern(j); added += 1 }
                            }
                            if outOfTime() { break }
                        }
                        converged = added == 0 && exact
                        if enough(solution, added, upper, exact) || added == 0 || rounds >= maxRounds || outOfTime() { return solution }
                    }
                }

                // The root: the bound. Half the time at most: where the LP converges slowly
                // (hundreds of VMs, many resources), dives from its duals so far still give plans.
                var bound = Double(knownHosts)
                // A fifth when only a partition can beat a plan one above the bound: the root is then
                // only there to lead a dive to that plan, and the partition search wants the rest.
                let rootEnd = clock.now + .milliseconds(Int(max(0, left()) * (partitionOnly ? 200 : 500)))
                let root = try generate(demand, maxRounds: .max) { solution, added, upper, exact in
                    rootSolution = solution
                    // Lagrangian and Farley bounds from these duals (valid whatever the pricer did).
                    let pi = (0..<T).map { max(0, solution.duals[$0]) }
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
                    return rounded >= best || clock.now >= rootEnd
                }
                guard root != nil else {
                    result.notes.append(outOfTime() ? "column generation stopped: out of time before its first LP bound"
                                                    : "column generation stopped: the master LP did not solve")
                    return
                }
                result.bound = bound
                result.boundHosts = Int(LowerBounds.ceilTolerant(bound))
                let target = result.boundHosts!
                if target >= best || outOfTime() { return }

                // Dives: each fixes patterns until every VM is covered. A dive that misses starts
                // again with its first choice forbidden (limited discrepancy), until time runs out.
                var tabu = Set<Int>()
                // Most of what is left: enumeration comes next, and needs less when the gap is small.
                let divesEnd = clock.now + .milliseconds(Int(max(0, left()) * 700))
                dives: for attempt in 0..<50 {
                    if attempt > 0, clock.now >= divesEnd { break }
                    var residual = demand, free = available
                    var fixed: [Int: Int] = [:]
                    var used = 0
                    var first: Int? = nil
                    for i in 0..<T { try lp.setRow(i, MIPModel.Row(lower: Double(residual[i]))) }
                    for c in 0..<K { try lp.setRow(T + c, MIPModel.Row(upper: Double(free[c]))) }
                    while residual.contains(where: { $0 > 0 }) {
                        guard !outOfTime() else { break dives }
                        guard let node = try generate(residual, maxRounds: 400, enough: { _, _, _, _ in false }) else { break }
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
                                if let known = pool.index(cls, counts) { k = known } else { k = pool.insert(cls, counts)!; try addPattern(k) }
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
        } catch {
            result.notes.append("column generation failed (\(error)); the heuristic plan stands")
            return result
        }
        result.columns = pool.patterns.count

        if tryPartitionAgain() { return result }

        // The dives missed the bound: look for a plan on exactly that many hosts directly, by
        // trading VMs between overloaded hosts (`FixedHostsSearch`). A tenth of the time left:
        // it settles in a fraction of a second where it can (Scholl's N4W1B1, three VMs per
        // host), and on one host fewer than the best plan it found none on the vector sample.
        if let lpHosts = result.boundHosts, lpHosts < best, K == 1, left() > 0.1, !shouldStop(),
           model.items.allSatisfy({ model.classes[0].allows[$0.eligibility] }) {
            let cls = model.classes[0]
            var typeOfVM: [Int] = [], sizes: [[Double]] = []
            for (t, item) in model.items.enumerated() {
                let share = (0..<model.dimensions).map { cls.capacity[$0] > 0 && cls.capacity[$0] < .greatestFiniteMagnitude ? item.size[$0] / cls.capacity[$0] : 0 }
                for _ in 0..<item.count { typeOfVM.append(t); sizes.append(share) }
            }
            // The LP bound may be far below when the LP did not converge: the volume bound too.
            let volume = (0..<model.dimensions).map { d in Int(LowerBounds.ceilTolerant(sizes.reduce(0.0) { $0 + $1[d] })) }.max() ?? 0
            let target = max(lpHosts, volume, knownHosts)
            let start = clock.now
            let search = FixedHostsSearch(sizes: sizes, hosts: target, vmLimit: min(cls.vmLimit, sizes.count))
            let outcome = target < best ? search.run(until: clock.now + .milliseconds(Int(left() * 100)), seed: 1, shouldStop: shouldStop) : nil
            let seconds = String(format: "%.1f s", start.duration(to: clock.now).seconds)
            if let hostOf = outcome?.hostOf {
                var perHost = [[Int: Int]](repeating: [:], count: target)
                for (v, h) in hostOf.enumerated() { perHost[h][typeOfVM[v], default: 0] += 1 }
                let counts = poolCounts(perHost.filter { !$0.isEmpty }.map { $0.map { (item: $0.key, count: $0.value) } })
                if let plan = assignment(counts, pool, model, vms: vms, base: incumbent), plan.hostsUsed <= target {
                    best = target
                    bestCopies = counts
                    result.notes.append("fixed-hosts search: a plan of \(target) hosts (\(seconds))")
                }
            } else if let outcome {
                result.notes.append(String(format: "fixed-hosts search: no plan of \(target) hosts (\(seconds); least overload %.2f hosts)", outcome.leastOverload))
            }
        }

        // Completion by enumeration (reduced-cost fixing, as in Baldacci, Christofides &
        // Mingozzi's exact methods, Math. Programming 115, 2008): a plan of `target` hosts
        // uses only patterns whose reduced cost at the LP optimum is at most target - z_LP.
        // When these are few, the MIP over exactly them finds such a plan or proves none exists.
        if let target = result.boundHosts, target < best, result.lpOptimal, let lpRoot = rootSolution, left() > 0.05, !shouldStop() {
            let slack = Double(target) - lpRoot.objective + 1e-9
            var found: [Int] = []
            var complete = true
            for c in 0..<K where complete {
                let cls = model.classes[c]
                let items = (0..<T).filter { lpRoot.duals[$0] > 1e-12 && cls.allows[model.items[$0].eligibility] }.map {
                    (type: $0, size: model.items[$0].size, value: lpRoot.duals[$0], count: demand[$0])
                }
                let floor = 1 - min(0, lpRoot.duals[T + c]) - slack
                let listed = pricer.price(items: items, capacity: cls.capacity, vmLimit: cls.vmLimit, threshold: .infinity,
                                          enumerateAbove: floor, enumerationLimit: 20_000 - found.count)
                complete = listed.exact
                for p in listed.patterns { found.append(pool.insert(c, p.counts) ?? pool.index(c, p.counts)!) }
            }
            if !complete { result.notes.append("enumeration within the reduced-cost gap stopped: more than \(20_000) patterns, or out of time") }
            if complete, !found.isEmpty {
                let covered = (0..<T).filter { lpRoot.duals[$0] > 1e-12 }
                var mip = MIPModel(sense: .minimize)
                for j in found { mip.addColumn(kind: .integer, lower: 0, upper: Double(available[pool.patterns[j].cls]), objective: 1) }
                var terms: [Int: [(column: Int, coefficient: Double)]] = [:]
                for (column, j) in found.enumerated() {
                    for (item, count) in pool.patterns[j].counts { terms[item, default: []].append((column, Double(count))) }
                    terms[T + pool.patterns[j].cls, default: []].append((column, 1))
                }
                for i in covered { mip.addRow(terms[i] ?? [], lower: Double(demand[i])) }
                for c in 0..<K { mip.addRow(terms[T + c] ?? [], upper: Double(available[c])) }
                // Proof wanted either way: a plan of `target` hosts, or the bound above it (so no gap tolerance).
                let parameters = MIPParameters(timeLimit: max(0.05, left()), relativeGap: 1e-9, presolve: true, heuristics: true)
                do {
                    let solution = try GLPKSolver.solve(mip, control.glpk(parameters))
                    // Its patterns cover the VMs of positive dual only; the others must fit in what they leave.
                    var leftOver = ""
                    if solution.hasSolution, let objective = solution.objective, Int(objective.rounded()) < best {
                        var copies: [Int: Int] = [:]
                        for (column, j) in found.enumerated() { copies[j, default: 0] += Int(solution.values[column].rounded()) }
                        if let plan = assignment(copies, pool, model, vms: vms, base: incumbent), plan.hostsUsed <= Int(objective.rounded()) {
                            best = Int(objective.rounded())
                            bestCopies = copies
                        } else {
                            leftOver = ", but the VMs of zero dual do not fit in what its \(Int(objective.rounded())) hosts leave"
                        }
                    }
                    let provenAbove = solution.status == .infeasible || (solution.status == .optimal && (solution.objective ?? 0) > Double(target) + 0.5)
                    if provenAbove { result.boundHosts = target + 1 }
                    result.notes.append("enumerated \(found.count) patterns within the reduced-cost gap: "
                                        + (provenAbove ? "no plan of \(target) hosts exists" : "\(solution.status)\(leftOver)"))
                } catch {
                    result.notes.append("enumeration MIP not run: \(error)")
                }
            }
        }

        // Price and branch: the best plan built from all the patterns found.
        if let target = result.boundHosts, target < best, left() > 0.05, !shouldStop() {
            var mip = MIPModel(sense: .minimize)
            for p in pool.patterns { mip.addColumn(kind: .integer, lower: 0, upper: Double(available[p.cls]), objective: 1) }
            var rowTerms = [[(column: Int, coefficient: Double)]](repeating: [], count: T + K)
            for (j, p) in pool.patterns.enumerated() {
                for (item, count) in p.counts { rowTerms[item].append((j, Double(count))) }
                rowTerms[T + p.cls].append((j, 1))
            }
            for (i, row) in rows(demand, available).enumerated() { mip.addRow(rowTerms[i], lower: row.lower, upper: row.upper) }
            let start = pool.patterns.indices.map { Double(bestCopies[$0] ?? 0) }
            let gap = 0.999 / Double(max(best, 1))
            let parameters = MIPParameters(timeLimit: max(0.05, left()), relativeGap: gap, presolve: false, heuristics: true, incumbent: start)
            do {
                let solution = try GLPKSolver.solve(mip, control.glpk(parameters))
                result.notes.append("pattern MIP over \(pool.patterns.count) patterns: \(solution.status), \(solution.objective.map { String(Int($0.rounded())) } ?? "no plan") hosts in \(String(format: "%.1f", solution.seconds)) s")
                if solution.hasSolution {
                    let copies = solution.values.enumerated().reduce(into: [Int: Int]()) { $0[$1.offset] = Int($1.element.rounded()) }
                    let hosts = copies.values.reduce(0, +)
                    if hosts < best { best = hosts; bestCopies = copies }
                }
            } catch {
                result.notes.append("pattern MIP not run: \(error)")
            }
        }
        guard best < incumbent.hostsUsed, let plan = assignment(bestCopies, pool, model, vms: vms, base: incumbent),
              plan.hostsUsed < incumbent.hostsUsed else { return result }
        result.assignment = plan
        return result
    }

    /// Hosts for pattern copies: each copy takes the next host of its class and the next VMs
    /// of its item types (a copy may cover more than is left: a subset of a pattern still fits,
    /// unless it lost VMs of negative demand; then its largest VMs join the leftovers).
    /// nil when the VMs cannot all be placed.
    static func assignment(_ copies: [Int: Int], _ pool: PatternPool, _ model: PatternModel, vms: [Int], base: Assignment) -> Assignment? {
        var assignment = base
        var next = model.items.map { $0.vms[...] }
        var freeHosts = model.classes.map { $0.hosts[...] }
        var evicted: [Int] = []
        for v in vms { assignment.hostOf[v] = Assignment.unplaced }
        for (j, count) in copies.sorted(by: { $0.key < $1.key }) where count > 0 {
            let p = pool.patterns[j]
            for _ in 0..<count {
                guard p.counts.contains(where: { !next[$0.item].isEmpty }) else { break }
                guard let h = freeHosts[p.cls].popFirst() else { return nil }
                var taken: [Int: [Int]] = [:]
                for (item, count) in p.counts {
                    for _ in 0..<count {
                        guard let v = next[item].popFirst() else { break }
                        assignment.hostOf[v] = h
                        taken[item, default: []].append(v)
                    }
                }
                while !model.fits(taken.mapValues(\.count), in: p.cls) {
                    let sizes = taken.keys.map { ($0, model.items[$0].size.reduce(0, +)) }
                    guard let (t, _) = sizes.max(by: { $0.1 < $1.1 }), let v = taken[t]?.popLast() else { return nil }
                    if taken[t]!.isEmpty { taken[t] = nil }
                    assignment.hostOf[v] = Assignment.unplaced
                    evicted.append(v)
                }
            }
        }
        // VMs left over (of item types the copies did not cover, such as those of zero dual
        // value left out of an enumeration): first fit into the hosts used, then new ones.
        if !evicted.isEmpty || next.contains(where: { !$0.isEmpty }) {
            var hostCounts: [Int: [Int: Int]] = [:]
            for v in vms where assignment.hostOf[v] >= 0 { hostCounts[assignment.hostOf[v], default: [:]][model.typeOf[v], default: 0] += 1 }
            let classOf = model.classOfHost(hostCount: (model.classes.flatMap(\.hosts).max() ?? -1) + 1)  // only model hosts get VMs here
            for v in evicted + model.items.indices.flatMap({ next[$0] }) {
                let t = model.typeOf[v]
                let open = hostCounts.keys.sorted().first { h in
                    var counts = hostCounts[h]!
                    counts[t, default: 0] += 1
                    return model.fits(counts, in: classOf[h])
                }
                var host = open
                if host == nil {
                    for c in model.classes.indices where model.fits([t: 1], in: c) {
                        if let h = freeHosts[c].popFirst() { host = h; break }
                    }
                }
                guard let h = host else { return nil }
                assignment.hostOf[v] = h
                hostCounts[h, default: [:]][t, default: 0] += 1
            }
        }
        return assignment
    }
}

/// Patterns found so far, each once.
struct PatternPool {
    private(set) var patterns: [(cls: Int, counts: [(item: Int, count: Int)])] = []
    private var known: [[Int]: Int] = [:]

    private static func key(_ cls: Int, _ counts: [(item: Int, count: Int)]) -> [Int] {
        [cls] + counts.sorted { $0.item < $1.item }.flatMap { [$0.item, $0.count] }
    }

    /// The new pattern's index, or nil when it was known.
    mutating func insert(_ cls: Int, _ counts: [(item: Int, count: Int)]) -> Int? {
        let k = Self.key(cls, counts)
        guard known[k] == nil else { return nil }
        known[k] = patterns.count
        patterns.append((cls, counts.sorted { $0.item < $1.item }))
        return patterns.count - 1
    }

    func index(_ cls: Int, _ counts: [(item: Int, count: Int)]) -> Int? { known[Self.key(cls, counts)] }
}
