import GLPK

/// The state of one `ColumnGeneration.run`, which its stages read and improve: the pattern
/// pool, the best plan as pattern copies, what is proven, and the notes.
final class ColumnGenerationRun {
    let problem: PlacementProblem
    let vms: [Int]
    let incumbent: Assignment
    let allowance: Allowance
    let polish: ((Assignment) -> Assignment)?
    let control: SearchControl
    let model: PatternModel
    /// Item types and host classes: the rows of the covering LP.
    let T: Int, K: Int
    let classOf: [Int]
    let demand: [Int], available: [Int]

    var pool = PatternPool()
    var result = ColumnGeneration.Result()
    var best: Int
    var bestCopies: [Int: Int] = [:]
    /// Hosts any plan needs, proven before the LP runs.
    var knownHosts = 0
    /// Tight packing listed every pattern a plan of the bound can use: only a partition of
    /// them (which the ejection chains rarely find) can beat a plan one host above it.
    var partitionOnly = false
    var partitionAgain: TightPacking.Result.Retry?
    var retried = false
    var pricer: PatternPricer
    var rootSolution: ColumnLP.Solution?
    /// The master LP's columns: the pattern of each, -1 for a dual-optimal inequality.
    var patternOfColumn: [Int] = []
    /// The last `generate` proved its LP optimal.
    var converged = false

    init?(_ problem: PlacementProblem, vms: [Int], incumbent: Assignment, allowance: Allowance,
          polish: ((Assignment) -> Assignment)?, control: SearchControl) {
        guard problem.objective == .hosts, let model = PatternModel(problem, vms: vms) else { return nil }
        guard vms.allSatisfy({ incumbent.hostOf[$0] >= 0 }) else { return nil }
        self.problem = problem
        self.vms = vms
        self.incumbent = incumbent
        self.allowance = allowance
        self.polish = polish
        self.control = control
        self.model = model
        T = model.items.count
        K = model.classes.count
        classOf = model.classOfHost(hostCount: problem.hostCount)
        demand = model.items.map(\.count)
        available = model.classes.map(\.hosts.count)
        best = incumbent.hostsUsed
        pricer = PatternPricer(dimensions: model.dimensions)
        // Several dimensions: many quick heuristic rounds beat few exact ones.
        if model.dimensions > 1 { pricer.nodeLimit = 20_000 }
        pricer.allowance = allowance
        // The incumbent's hosts are the first columns, so the MIP can start from it.
        guard let incumbentCopies = copies(of: incumbent) else { return nil }
        bestCopies = incumbentCopies
    }

    func solve() -> ColumnGeneration.Result {
        if tightPacking() || knownHosts >= best { return result }
        if polishIncumbent() { return result }
        if tryPartitionAgain() { return result }
        guard masterLP() else { return result }
        if tryPartitionAgain() { return result }
        fixedHostsSearch()
        enumerateWithinGap()
        priceAndBranch()
        guard best < incumbent.hostsUsed, let plan = ColumnGeneration.assignment(bestCopies, pool, model, vms: vms, base: incumbent),
              plan.hostsUsed < incumbent.hostsUsed else { return result }
        result.assignment = plan
        return result
    }

    /// Work done since the meter read `units`, as notes say it (reference seconds, the same
    /// on every machine, where a clock's seconds would differ from run to run).
    func workSince(_ units: Double) -> String { String(format: "%.2f s of work", (allowance.meter.units - units) / 1_000_000) }

    /// The allowance is spent (its work, or its time as the cap), or the plan was stopped.
    func outOfTime() -> Bool { allowance.expired }

    /// Rows: cover each item type; at most N_t hosts of class t.
    func rows(_ demand: [Int], _ available: [Int]) -> [MIPModel.Row] {
        demand.map { MIPModel.Row(lower: Double($0)) } + available.map { MIPModel.Row(upper: Double($0)) }
    }

    /// A plan as pool columns and their copies; nil when a host is of no class.
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

    /// A plan of the single class (one pattern per host) as pool columns and copies.
    func poolCounts(_ copies: [[(item: Int, count: Int)]]) -> [Int: Int] {
        var counts: [Int: Int] = [:]
        for p in copies { counts[pool.insert(0, p) ?? pool.index(0, p)!, default: 0] += 1 }
        return counts
    }

    func assignment(_ copies: [Int: Int], _ pool: PatternPool, _ model: PatternModel, vms: [Int], base: Assignment) -> Assignment? {
        ColumnGeneration.assignment(copies, pool, model, vms: vms, base: base)
    }

    /// Tight packing (`TightPacking`) when the volume bound leaves little room; true when
    /// its plan ends the run.
    private func tightPacking() -> Bool {
        // A tight volume bound: few patterns can be part of a plan that meets it (`TightPacking`).
        if let tight = TightPacking.run(model, below: best, allowance: allowance.share(0.3), control: control) {
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
                    return true
                }
            }
            // The patterns that waste least make good columns for the LP.
            for p in tight.patterns.prefix(5_000) { _ = pool.insert(0, p) }
        }
        if knownHosts > 0 { result.boundHosts = knownHosts }
        return false
    }

    /// The caller's polish (ejection chains) on the incumbent; true when it meets what is proven.
    private func polishIncumbent() -> Bool {
        // One resource: the pricer is exact and the dives find what the chains would, at a
        // fraction of their time (BPPLIB: Schwerin 0.02 s against 0.9 s with them).
        if let polish, model.dimensions > 1, !(partitionOnly && best <= knownHosts + 1), !outOfTime() {
            let better = polish(incumbent)
            if better.hostsUsed < best, vms.allSatisfy({ better.hostOf[$0] >= 0 }), let counts = copies(of: better) {
                best = better.hostsUsed
                bestCopies = counts
                result.assignment = better
                if knownHosts >= best { return true }
            }
        }
        return false
    }

    /// One host above the bound, and tight packing listed every pattern: only a partition of
    /// them does better, so the time left goes to another try at one (the LP, its dives and
    /// the MIPs below would search the same space less directly).
    func tryPartitionAgain() -> Bool {
        guard partitionOnly, best == knownHosts + 1, !retried, let partitionAgain, !outOfTime() else { return false }
        retried = true
        let start = allowance.meter.units
        let again = partitionAgain(allowance.share(0.9), 2)
        result.notes.append(again.note + " (\(workSince(start)))")
        guard let found = again.copies else { return false }
        guard let plan = assignment(poolCounts(found), pool, model, vms: vms, base: incumbent), plan.hostsUsed < best else { return false }
        result.columns = pool.patterns.count
        result.assignment = plan
        return true
    }
}
