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
    /// The stages, in order (`ColumnGenerationRun`): tight packing, the polish, the master
    /// LP's root and dives (`+MasterLP`), the fixed-hosts search, enumeration within the
    /// reduced-cost gap and the pattern MIP (`+Completion`).
    static func run(_ problem: PlacementProblem, vms: [Int], incumbent: Assignment, allowance: Allowance,
                    polish: ((Assignment) -> Assignment)? = nil, control: SearchControl = SearchControl()) -> Result? {
        guard let run = ColumnGenerationRun(problem, vms: vms, incumbent: incumbent, allowance: allowance, polish: polish, control: control)
        else { return nil }
        return run.solve()
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
