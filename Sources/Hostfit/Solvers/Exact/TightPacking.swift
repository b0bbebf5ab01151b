import GLPK

/// Plans that meet the volume bound when it is nearly tight. With L hosts of capacity C_d, a
/// plan leaves exactly W_d = L C_d - (total demand in d) unused in dimension d, summed over
/// its hosts; so no host of it leaves more than W_d. The patterns that waste at most W_d in
/// every dimension are few when W is small, and a plan of L hosts is a partition of the VMs
/// into L of them (the waste argument behind reductions for tight bin-packing instances, as
/// in Martello & Toth, "Knapsack Problems", 1990, ch. 8).
///
/// Enumerating them (depth first, pruned by what the rest can still fill) and solving the
/// set-partitioning ILP over them either finds a plan of L hosts, optimal since it meets
/// the bound, or, when the enumeration was complete, proves that none exists. Published
/// triplet instances (Falkenauer's t class; Caprara & Toth's vector triplets) are built with
/// W = 0, and are hard for every other method here because of it.
///
/// One host class only, every item allowed on it: classes mix capacities, and W with them.
enum TightPacking {
    struct Result {
        /// The hosts tried: the volume bound.
        var target: Int
        /// The target's plan as pattern copies, when found.
        var copies: [[(item: Int, count: Int)]]?
        /// No plan of `target` hosts exists (complete enumeration, ILP infeasible).
        var provenImpossible = false
        /// The patterns are all there are: every plan of `target` hosts is a partition of them.
        var complete = false
        /// The patterns found (good columns for what follows, even when incomplete).
        var patterns: [[(item: Int, count: Int)]] = []
        var note: String
        /// Another try at a partition of `patterns` until the given time, with another seed:
        /// where the first missed and the list is all there is, later time is best spent here.
        var partitionAgain: Retry?
        typealias Retry = (Allowance, UInt64) -> (copies: [[(item: Int, count: Int)]]?, note: String)
    }

    private struct Attempt {
        var copies: [[(item: Int, count: Int)]]?
        var impossible = false
        var note: String
    }

    /// Patterns beyond this: waste too loose for enumeration to pay.
    static let patternLimit = 20_000
    static let nodeLimit = 50_000_000
    /// Columns of the set-partitioning ILP over single VMs beyond this: over VM types instead.
    static let binaryColumnLimit = 10_000

    /// n choose k, saturating just above `binaryColumnLimit`.
    static func choose(_ n: Int, _ k: Int) -> Int {
        guard k >= 0, k <= n else { return 0 }
        var result = 1
        for i in 0..<min(k, n - k) {
            result = result * (n - i) / (i + 1)
            if result > binaryColumnLimit { return binaryColumnLimit + 1 }
        }
        return result
    }

    typealias SingleVMColumns = (columns: [[Int]], patternOf: [Int], rows: Int)

    /// The patterns as columns over single VMs: each pattern once per choice of identical VMs,
    /// VM t's copies numbered from the sum of the counts before it. Nil past `binaryColumnLimit`.
    static func singleVMColumns(_ found: [[(item: Int, count: Int)]], counts: [Int]) -> SingleVMColumns? {
        let expanded = found.reduce(0) { total, pattern in
            min(binaryColumnLimit + 1, total + pattern.reduce(1) { min(binaryColumnLimit + 1, $0 * choose(counts[$1.item], $1.count)) })
        }
        guard expanded <= binaryColumnLimit else { return nil }
        let T = counts.count
        var first = [Int](repeating: 0, count: T + 1)
        for t in 0..<T { first[t + 1] = first[t] + counts[t] }
        var columns: [[Int]] = [], patternOf: [Int] = []
        for (j, pattern) in found.enumerated() {
            // Every choice of `count` copies of each of its VM types.
            var choices: [[Int]] = [[]]
            for (item, k) in pattern {
                let picks = combinations(counts[item], k).map { $0.map { first[item] + $0 } }
                choices = choices.flatMap { prefix in picks.map { prefix + $0 } }
            }
            columns += choices
            patternOf += Array(repeating: j, count: choices.count)
        }
        return (columns, patternOf, first[T])
    }

    /// Set partitioning: every VM on exactly one host, `hosts` hosts. Over single VMs
    /// (`single`, from `singleVMColumns`) when there are not too many: all columns binary,
    /// which GLPK's feasibility pump needs (it rounds binary columns only); else over VM types.
    static func partitionILP(_ found: [[(item: Int, count: Int)]], counts: [Int], hosts: Int,
                             single: SingleVMColumns?) -> (model: MIPModel, patternOf: [Int]) {
        var mip = MIPModel(sense: .minimize)
        var patternOf: [Int] = []
        if let single {
            var rows = [[(column: Int, coefficient: Double)]](repeating: [], count: single.rows)
            for column in single.columns {
                let c = mip.addColumn(kind: .binary, lower: 0, upper: 1, objective: 1)
                for r in column { rows[r].append((c, 1)) }
            }
            patternOf = single.patternOf
            for r in rows.indices { _ = mip.addRow(rows[r], lower: 1, upper: 1) }
        } else {
            let T = counts.count
            var rows = [[(column: Int, coefficient: Double)]](repeating: [], count: T)
            for (j, pattern) in found.enumerated() {
                let most = pattern.map { counts[$0.item] / $0.count }.min() ?? 0
                _ = mip.addColumn(kind: .integer, lower: 0, upper: Double(min(most, hosts)), objective: 1)
                patternOf.append(j)
                for (item, k) in pattern { rows[item].append((j, Double(k))) }
            }
            for t in 0..<T { _ = mip.addRow(rows[t], lower: Double(counts[t]), upper: Double(counts[t])) }
        }
        _ = mip.addRow(patternOf.indices.map { ($0, 1.0) }, upper: Double(hosts))
        return (mip, patternOf)
    }

    /// The k-element subsets of 0..<n, each ascending.
    static func combinations(_ n: Int, _ k: Int) -> [[Int]] {
        guard k > 0 else { return [[]] }
        guard k <= n else { return [] }
        return (k - 1..<n).flatMap { last in combinations(last, k - 1).map { $0 + [last] } }
    }

    /// Tries L = the volume bound, when it is below `hosts` (the plan so far); nil when it does not apply.
    static func run(_ model: PatternModel, below hosts: Int, allowance: Allowance, control: SearchControl) -> Result? {
        guard model.classes.count == 1 else { return nil }
        let cls = model.classes[0]
        guard model.items.allSatisfy({ cls.allows[$0.eligibility] }) else { return nil }
        let T = model.items.count
        // One more dimension, implied by the others: the sum of each VM's shares of capacity.
        // Its smallest VM is larger than in any one dimension, which bounds how many more fit.
        let real = (0..<model.dimensions).filter { cls.capacity[$0] > 0 }
        let D = model.dimensions + 1
        let cap = cls.capacity + [Double(real.count)]
        let sizes = model.items.map { item in item.size + [real.reduce(0.0) { $0 + item.size[$1] / cls.capacity[$1] }] }
        let demand = (0..<(D - 1)).map { d in model.items.reduce(0.0) { $0 + $1.size[d] * Double($1.count) } }
        let L = real.map { Int(LowerBounds.ceilTolerant(demand[$0] / cap[$0])) }.max() ?? 0
        guard L > 0, L < hosts, cls.hosts.count >= L else { return nil }
        var waste = [Double](repeating: 0, count: D)
        for d in real { waste[d] = max(0, Double(L) * cap[d] - demand[d]) }
        waste[D - 1] = real.reduce(0.0) { $0 + waste[$1] / cap[$1] }
        // Worth trying only when some dimension must be nearly full on every host.
        guard let tightest = real.min(by: { waste[$0] / cap[$0] < waste[$1] / cap[$1] }), waste[tightest] <= 0.2 * cap[tightest] else { return nil }
        // Pivot: the dimension where the fewest VMs fill a host, so that "how many more fit" bites.
        func minPositive(_ d: Int) -> Double { sizes.compactMap { $0[d] > 0 ? $0[d] : nil }.min() ?? .infinity }
        guard let p = (real + [D - 1]).min(by: { cap[$0] / minPositive($0) < cap[$1] / minPositive($1) }) else { return nil }

        let order = (0..<T).sorted { sizes[$0][p] > sizes[$1][p] }
        let n = order.count
        var size = [Double](repeating: 0, count: n * D), count = [Int](repeating: 0, count: n)
        for (k, t) in order.enumerated() {
            for d in 0..<D { size[k * D + d] = sizes[t][d] }
            count[k] = model.items[t].count
        }
        // Suffix sums from position k on: what the rest could still add (positive sizes) or give back.
        var reach = [Double](repeating: 0, count: (n + 1) * D), giveBack = reach
        for k in stride(from: n - 1, through: 0, by: -1) {
            for d in 0..<D {
                let s = size[k * D + d] * Double(count[k])
                reach[k * D + d] = reach[(k + 1) * D + d] + max(0, s)
                giveBack[k * D + d] = giveBack[(k + 1) * D + d] + max(0, -s)
            }
        }
        let smallest = minPositive(p)
        let eps = cap.map { 1e-9 * max(1, $0) }
        let need = (0..<D).map { cap[$0] - waste[$0] - eps[$0] }

        var found: [[(item: Int, count: Int)]] = []
        var load = [Double](repeating: 0, count: D)
        var chosen: [(item: Int, count: Int)] = []
        var nodes = 0, complete = true

        func visit(_ start: Int, _ vms: Int) {
            nodes += 1
            if nodes & 0xFFFF == 0 {
                allowance.spend(0x10000 * 0.01 * Double(D))
                if allowance.expired || nodes > nodeLimit { complete = false }
            }
            guard complete else { return }
            // Everything from `start` on cannot bring some dimension up to what it needs.
            for d in 0..<D where load[d] + reach[start * D + d] < need[d] { return }
            if !chosen.isEmpty, (0..<D).allSatisfy({ load[$0] >= need[$0] && load[$0] <= cap[$0] + eps[$0] }) {
                found.append(chosen.map { (item: order[$0.item], count: $0.count) })
                if found.count > patternLimit { complete = false; return }
            }
            let slots = cls.vmLimit - vms
            guard slots > 0 else { return }
            // At most this many more VMs of positive size in the pivot dimension fit.
            let room = cap[p] + eps[p] - load[p] + giveBack[start * D + p]
            let more = Double(min(slots, Int((room / smallest + 1e-9).rounded(.down))))
            // Sorted by size in the pivot: skip those larger than the room (binary search).
            var low = start, high = n
            while low < high {
                let mid = (low + high) / 2
                if size[mid * D + p] > room { low = mid + 1 } else { high = mid }
            }
            for k in low..<n {
                let s = size[k * D + p]
                // Every later VM is no larger in the pivot: `more` of them would still fall short.
                if s > 0 ? load[p] + more * s < need[p] : load[p] < need[p] { break }
                var copies = 0
                while copies < count[k], copies < slots {
                    copies += 1
                    for d in 0..<D { load[d] += size[k * D + d] }
                    // Over capacity beyond what later VMs (and k's other copies) can give back:
                    // more copies of k cannot help either.
                    var over = false
                    for d in 0..<D where load[d] - giveBack[(k + 1) * D + d] - max(0, -size[k * D + d]) * Double(count[k] - copies)
                        > cap[d] + eps[d] { over = true; break }
                    if over { break }
                    chosen.append((k, copies))
                    visit(k + 1, vms + copies)
                    chosen.removeLast()
                    if !complete { break }
                }
                for d in 0..<D { load[d] -= Double(copies) * size[k * D + d] }
                if !complete { return }
            }
        }
        visit(0, 0)
        let share = String(format: "%.1f%%", 100 * waste[tightest] / (Double(L) * cap[tightest]))
        // So many patterns: the room is too loose for this to pay, and they would only slow the LP.
        if found.count > patternLimit {
            return Result(target: L, note: "tight packing: more than \(patternLimit) patterns waste at most \(share); left to column generation")
        }
        var result = Result(target: L, patterns: found, note: "")
        result.complete = complete
        if found.isEmpty {
            result.provenImpossible = complete
            result.note = "tight packing: " + (complete ? "no pattern wastes at most \(share), so no plan of \(L) hosts exists"
                                                        : "enumeration of patterns for \(L) hosts (\(share) room) stopped without any")
            return result
        }

        let what = "\(found.count) patterns wasting at most \(share) for \(L) hosts" + (complete ? "" : " (enumeration stopped)")
        let wasteOf = found.map { pattern in
            (0..<(D - 1)).map { d in cap[d] - pattern.reduce(0.0) { $0 + model.items[$1.item].size[d] * Double($1.count) } }
        }
        // Built when first needed: the exact-cover search usually settles it before.
        var expanded: SingleVMColumns??
        func singleVM() -> SingleVMColumns? {
            if let expanded { return expanded }
            let made = singleVMColumns(found, counts: model.items.map(\.count))
            expanded = .some(made)
            return made
        }
        var built: (model: MIPModel, patternOf: [Int])?
        func ilp() -> (model: MIPModel, patternOf: [Int]) {
            if let built { return built }
            let made = partitionILP(found, counts: model.items.map(\.count), hosts: L, single: singleVM())
            built = made
            return made
        }
        let budget = Array(waste.prefix(D - 1))
        // First a short search for an exact cover (quick where most VMs fit few patterns), then
        // annealing, then the ILP (which can also prove that no partition exists).
        func partition(within end: Allowance, seed: UInt64) -> Attempt {
            var cover = ExactCoverSearch(patterns: found, waste: wasteOf, demand: model.items.map(\.count), budget: budget, hosts: L)
            cover.allowance = end.share(0.25)
            switch cover.run(seed: seed) {
            case .found(let chosen):
                return Attempt(copies: chosen.map { found[$0] }, note: "a plan of \(L) hosts (exact-cover search)")
            case .impossible where complete:
                return Attempt(impossible: true, note: "no plan of \(L) hosts exists (exact-cover search)")
            default: break
            }
            // Then annealing over single VMs, for part of what is left: it finds the partitions
            // of triplet instances long before the ILP does, but proves nothing.
            var annealed = ""
            if let single = singleVM() {
                let search = PartitionSearch(columns: single.columns, rows: single.rows, hosts: L)
                let searched = search.run(allowance: end.share(0.4), seed: seed)
                if let chosen = searched.found {
                    return Attempt(copies: chosen.map { found[single.patternOf[$0]] },
                                   note: "a plan of \(L) hosts (annealing, \(searched.steps) steps)")
                }
                annealed = " (annealing left \(searched.fewestUncovered) VMs over at best)"
            }
            guard !end.expired else { return Attempt(note: "no budget left for the ILP" + annealed) }
            let ilp = ilp()
            do {
                let rows = ilp.model.rows.count, entries = ilp.model.entryCount
                let parameters = end.glpk(MIPParameters(relativeGap: 1e-9, presolve: true, heuristics: true, cuts: ilp.model.columns.count <= 1_000),
                                          control: control, rows: rows, entries: entries)
                let solution = try GLPKSolver.solve(ilp.model, parameters)
                end.spend(solution, rows: rows, entries: entries)
                if solution.hasSolution {
                    var copies: [[(item: Int, count: Int)]] = []
                    for (column, value) in solution.values.enumerated() {
                        for _ in 0..<Int(value.rounded()) { copies.append(found[ilp.patternOf[column]]) }
                    }
                    return Attempt(copies: copies, note: "a plan of \(L) hosts (ILP over \(ilp.model.columns.count) columns)")
                }
                if solution.status == .infeasible, complete { return Attempt(impossible: true, note: "no plan of \(L) hosts exists") }
                return Attempt(note: "\(solution.status)" + annealed)
            } catch {
                return Attempt(note: "ILP not run: \(error.userMessage)")
            }
        }
        let first = partition(within: allowance, seed: 1)
        result.copies = first.copies
        result.provenImpossible = first.impossible
        result.note = "tight packing: \(what): \(first.note)"
        if first.copies == nil, !first.impossible {
            result.partitionAgain = { end, seed in
                let attempt = partition(within: end, seed: seed)
                return (attempt.copies, "tight packing again: \(attempt.note)")
            }
        }
        return result
    }
}
