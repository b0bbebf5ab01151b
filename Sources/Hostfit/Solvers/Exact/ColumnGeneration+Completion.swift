import GLPK

extension ColumnGenerationRun {
    func fixedHostsSearch() {
        // The dives missed the bound: look for a plan on exactly that many hosts directly, by
        // trading VMs between overloaded hosts (`FixedHostsSearch`). A tenth of the time left:
        // it settles in a fraction of a second where it can (Scholl's N4W1B1, three VMs per
        // host), and on one host fewer than the best plan it found none on the vector sample.
        if let lpHosts = result.boundHosts, lpHosts < best, K == 1, !outOfTime(),
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
            let start = allowance.meter.units
            let search = FixedHostsSearch(sizes: sizes, hosts: target, vmLimit: min(cls.vmLimit, sizes.count))
            let outcome = target < best ? search.run(allowance: allowance.share(0.1), seed: 1) : nil
            let seconds = workSince(start)
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
    }

    /// A plan of the bound's hosts from the patterns within the reduced-cost gap, or a proof
    /// that none exists.
    func enumerateWithinGap() {
        // Completion by enumeration (reduced-cost fixing, as in Baldacci, Christofides &
        // Mingozzi's exact methods, Math. Programming 115, 2008): a plan of `target` hosts
        // uses only patterns whose reduced cost at the LP optimum is at most target - z_LP.
        // When these are few, the MIP over exactly them finds such a plan or proves none exists.
        if let target = result.boundHosts, target < best, result.lpOptimal, let lpRoot = rootSolution, !outOfTime() {
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
                let rows = mip.rows.count, entries = mip.entryCount
                let parameters = allowance.glpk(MIPParameters(relativeGap: 1e-9, presolve: true, heuristics: true), control: control, rows: rows, entries: entries)
                do {
                    let solution = try GLPKSolver.solve(mip, parameters)
                    allowance.spend(solution, rows: rows, entries: entries)
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
                    result.notes.append("enumeration MIP not run: \(error.userMessage)")
                }
            }
        }
    }

    /// The GLPK MIP over every pattern found, from the best plan so far.
    func priceAndBranch() {
        // Price and branch: the best plan built from all the patterns found.
        if let target = result.boundHosts, target < best, !outOfTime() {
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
            let rows = mip.rows.count, entries = mip.entryCount
            let parameters = allowance.glpk(MIPParameters(relativeGap: gap, presolve: false, heuristics: true, incumbent: start),
                                            control: control, rows: rows, entries: entries)
            do {
                let before = allowance.meter.units
                let solution = try GLPKSolver.solve(mip, parameters)
                allowance.spend(solution, rows: rows, entries: entries)
                result.notes.append("pattern MIP over \(pool.patterns.count) patterns: \(solution.status), \(solution.objective.map { String(Int($0.rounded())) } ?? "no plan") hosts (\(workSince(before)))")
                if solution.hasSolution {
                    let copies = solution.values.enumerated().reduce(into: [Int: Int]()) { $0[$1.offset] = Int($1.element.rounded()) }
                    let hosts = copies.values.reduce(0, +)
                    if hosts < best { best = hosts; bestCopies = copies }
                }
            } catch {
                result.notes.append("pattern MIP not run: \(error.userMessage)")
            }
        }
    }
}
