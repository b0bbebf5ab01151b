import GLPK

/// The placement as an assignment ILP, built on `MIPModel` (never on GLPK's C API).
///
/// Variables: x[v,h] = 1 when VM v runs on host h (only where v fits h alone), y[h] = 1
/// when host h is used, u[v] = 1 when VM v stays unplaced.
///
///     minimize   sum_h y[h] + M sum_v u[v]                    (M = hosts + 1: placing a VM
///                                                               beats any number of hosts)
///     subject to sum_h x[v,h] + u[v] = 1                       for every VM v
///                sum_v d[v,r,b] x[v,h] <= C[h,r] y[h]          for every host h, resource r, bucket b
///                sum_v x[v,h] <= max_vms[h] y[h]               where a host has max_vms
///                x[v,h] <= y[h]                                (strengthens the LP relaxation)
///                sum_{v in g} x[v,h] <= y[h]                   anti-affinity group g, host h
///                x[v,h] = x[w,h]                               v, w of one affinity unit
///                x[v,h] <= l[h,L]                              v needs licence L, which host h
///                                                              then pays: + sum price[h,L] l[h,L]
///                                                              in the objective
///                sum_{h in c} (sum_v d[v,r,b] x[v,h] - C[h,r] y[h]) + k Cmax[c,r] z[c] <= 0
///                                                              N+k for cluster c (z[c] >= y[h]:
///                                                              the cluster is used); holding back k
///                                                              of its largest hosts is conservative
///                                                              for mixed sizes; y[h] <= sum_v x[v,h]
///                                                              so that only hosts running VMs count
/// Tags, clusters and pinning decide which x[v,h] exist at all.
///
/// Symmetry breaking for identical hosts (Vance et al. 1994 use the same ordering argument
/// for bin packing): within each class of identical hosts, with VMs in a fixed order,
/// relabel a plan's hosts by their first VM; then the k-th host of a class holds only VMs
/// at position k or later, and used hosts come first: x[v,k] = 0 for pos(v) < k and
/// y[k] >= y[k+1]. Every plan has such a relabelling, so no optimum is lost.
///
/// With all objective coefficients integer, the optimum is an integer, so GLPK may stop
/// once the incumbent is within 1 of the bound: that is still a proof of optimality.
struct AssignmentModel {
    let problem: PlacementProblem
    /// VMs in the model, in their symmetry-breaking order.
    let vms: [Int]
    /// Candidate hosts, by class.
    let classes: [[Int]]
    private(set) var model = MIPModel(sense: .minimize)
    private let inModelVMs: Set<Int>
    private var reserveColumns: [(column: Int, cluster: Int)] = []
    private var xColumns: [(vm: Int, host: Int, column: Int)] = []
    private var yColumn: [Int: Int] = [:]
    private var uColumn: [Int: Int] = [:]
    /// l[h,L]: host h pays licence L.
    private var licenceColumns: [(host: Int, licence: Int, column: Int)] = []
    private let classIndex: [String: Int]

    /// `hostsPerClass` caps the hosts of each class in the model (an optimum never needs more
    /// hosts of one class than the incumbent uses in all).
    init(problem: PlacementProblem, vms: [Int], hostsPerClass: Int) {
        self.problem = problem
        self.vms = vms
        self.inModelVMs = Set(vms)
        var members: [[Int]] = []
        var classIndex: [String: Int] = [:]
        for h in FirstFitDecreasing.hostOrder(problem) {
            let key = Self.classKey(problem, h)
            if let c = classIndex[key] { members[c].append(h) } else { classIndex[key] = members.count; members.append([h]) }
        }
        self.classIndex = classIndex
        classes = members.map { Array($0.prefix(hostsPerClass)) }
        build()
    }

    /// Hosts with equal keys are interchangeable in every constraint and in the objective:
    /// same usable capacities, limits, cost, tags and cluster, and no VM pinned to them.
    static func classKey(_ problem: PlacementProblem, _ h: Int) -> String {
        let host = problem.hosts[h]
        let pinnedHere = problem.rules.pinnedHost.contains(h)
        return (0..<problem.resourceCount).map { "\(problem.capacity(h, $0))" }.joined(separator: ",")
            + "|\(host.maxVMs ?? -1)|\(host.cost ?? -1)|\(host.tags.sorted())|\(host.cluster)" + (pinnedHere ? "|pin\(h)" : "")
            + (problem.licensing.pricesAnything ? "|\(problem.licensing.carried[h])|" + problem.licensing.licences.indices.map { "\(problem.licensing.price(h, $0))" }.joined(separator: ",") : "")
    }

    var columnCount: Int { model.columns.count }

    private mutating func build() {
        let byCost = problem.objective == .cost
        let allHosts = classes.flatMap { $0 }
        // Placing one more VM must beat any saving in hosts or cost.
        let licensing = problem.licensing, L = licensing.licences.count
        let penalty = byCost ? allHosts.reduce(1) { sum, h in sum + problem.cost(h) + (0..<L).reduce(0.0) { $0 + licensing.price(h, $1) } }
                             : Double(allHosts.count + 1)
        // Where licences make owned hosts free of cost, fewer hosts still break the tie.
        let perHost = licensing.pricesAnything ? 1e-3 : 0
        for hosts in classes {
            for h in hosts { yColumn[h] = model.addColumn(kind: .binary, objective: byCost ? problem.cost(h) + perHost : 1) }
        }
        var columnsOfHost: [Int: [(vm: Int, column: Int)]] = [:]
        for (position, v) in vms.enumerated() {
            var row: [(column: Int, coefficient: Double)] = []
            for hosts in classes {
                for (k, h) in hosts.enumerated() where k <= position && problem.fitsEmpty(v, h) {
                    let x = model.addColumn(kind: .binary)
                    xColumns.append((v, h, x))
                    columnsOfHost[h, default: []].append((v, x))
                    row.append((x, 1))
                }
            }
            let u = model.addColumn(kind: .continuous, lower: 0, upper: 1, objective: penalty)
            uColumn[v] = u
            model.addRow(row + [(u, 1)], lower: 1, upper: 1)
        }
        let R = problem.resourceCount, B = problem.buckets
        for hosts in classes {
            for (k, h) in hosts.enumerated() {
                let y = yColumn[h]!
                let members = columnsOfHost[h] ?? []
                for r in 0..<R {
                    let cap = problem.capacity(h, r)
                    guard cap.isFinite else { continue }
                    for b in 0..<B {
                        let terms = members.map { ($0.column, problem.demand($0.vm, r, b)) }
                        guard terms.reduce(0.0, { $0 + $1.1 }) > cap else { continue }  // cannot bind
                        model.addRow(terms + [(y, -cap)], upper: 0)
                    }
                }
                if let limit = problem.hosts[h].maxVMs, members.count > limit {
                    model.addRow(members.map { ($0.column, 1) } + [(y, -Double(limit))], upper: 0)
                }
                for member in members { model.addRow([(member.column, 1), (y, -1)], upper: 0) }
                for l in 0..<L {
                    let needing = members.filter { licensing.needs[$0.vm].contains(l) }
                    guard !needing.isEmpty else { continue }
                    let pays = model.addColumn(kind: .binary, objective: licensing.price(h, l))
                    licenceColumns.append((h, l, pays))
                    for member in needing { model.addRow([(member.column, 1), (pays, -1)], upper: 0) }
                }
                if k + 1 < hosts.count { model.addRow([(y, 1), (yColumn[hosts[k + 1]]!, -1)], lower: 0) }
                addGroupRows(host: h, members: members)
            }
        }
        addReserveRows(columnsOfHost)
    }

    private mutating func addGroupRows(host h: Int, members: [(vm: Int, column: Int)]) {
        let rules = problem.rules, y = yColumn[h]!
        let column = Dictionary(members.map { ($0.vm, $0.column) }, uniquingKeysWith: { a, _ in a })
        for group in rules.antiAffinityGroups {
            let here = group.vms.compactMap { column[$0] }
            if here.count > 1 { model.addRow(here.map { ($0, 1) } + [(y, -1)], upper: 0) }
        }
        for unit in rules.units where unit.count > 1 {
            let inModel = unit.filter { inModelVMs.contains($0) }
            guard inModel.count > 1 else { continue }
            let first = inModel[0]
            for v in inModel.dropFirst() {
                switch (column[first], column[v]) {
                case let (a?, b?): model.addRow([(a, 1), (b, -1)], lower: 0, upper: 0)
                case let (a?, nil): model.addRow([(a, 1)], upper: 0)
                case let (nil, b?): model.addRow([(b, 1)], upper: 0)
                case (nil, nil): break
                }
            }
        }
    }

    private mutating func addReserveRows(_ columnsOfHost: [Int: [(vm: Int, column: Int)]]) {
        let k = problem.rules.reserve
        guard k > 0 else { return }
        let R = problem.resourceCount, B = problem.buckets
        let modelHosts = classes.flatMap { $0 }
        // A host counts as failover capacity only if the plan runs a VM on it, as the
        // validator counts it: y[h] <= sum_v x[v,h].
        for h in modelHosts {
            model.addRow((columnsOfHost[h] ?? []).map { ($0.column, -1) } + [(yColumn[h]!, 1)], upper: 0)
        }
        for c in problem.rules.clusters.indices {
            let hosts = modelHosts.filter { problem.rules.clusterOf[$0] == c }
            guard !hosts.isEmpty else { continue }
            let z = model.addColumn(kind: .binary)
            reserveColumns.append((z, c))
            for h in hosts { model.addRow([(z, 1), (yColumn[h]!, -1)], lower: 0) }
            for r in 0..<R {
                let caps = hosts.map { problem.capacity($0, r) }
                guard caps.allSatisfy(\.isFinite), let largest = caps.max() else { continue }
                for b in 0..<B {
                    var terms: [(column: Int, coefficient: Double)] = []
                    for h in hosts {
                        for m in columnsOfHost[h] ?? [] { terms.append((m.column, problem.demand(m.vm, r, b))) }
                        terms.append((yColumn[h]!, -problem.capacity(h, r)))
                    }
                    model.addRow(terms + [(z, Double(k) * largest)], upper: 0)
                }
            }
        }
    }

    /// The assignment as a vector of column values, relabelled to satisfy the symmetry
    /// breaking; nil when it uses a host outside the model.
    func columnValues(for assignment: Assignment) -> [Double]? {
        let position = Dictionary(uniqueKeysWithValues: vms.enumerated().map { ($1, $0) })
        // Within each class, the used hosts in order of their first VM go to slots 0, 1, ...
        var firstVM: [Int: Int] = [:]
        for v in vms where assignment.hostOf[v] >= 0 {
            let h = assignment.hostOf[v]
            firstVM[h] = min(firstVM[h] ?? .max, position[v]!)
        }
        var usedByClass = [[Int]](repeating: [], count: classes.count)
        for h in firstVM.keys {
            guard let c = classIndex[Self.classKey(problem, h)] else { return nil }
            usedByClass[c].append(h)
        }
        var relabel: [Int: Int] = [:]
        for (c, used) in usedByClass.enumerated() {
            guard used.count <= classes[c].count else { return nil }
            for (k, h) in used.sorted(by: { firstVM[$0]! < firstVM[$1]! }).enumerated() { relabel[h] = classes[c][k] }
        }
        var values = [Double](repeating: 0, count: model.columns.count)
        for target in relabel.values { values[yColumn[target]!] = 1 }
        for (column, cluster) in reserveColumns where relabel.values.contains(where: { problem.rules.clusterOf[$0] == cluster }) { values[column] = 1 }
        var xIndex: [Int64: Int] = [:]
        for x in xColumns { xIndex[Int64(x.vm) << 32 | Int64(x.host)] = x.column }
        var licenceIndex: [Int64: Int] = [:]
        for p in licenceColumns { licenceIndex[Int64(p.host) << 32 | Int64(p.licence)] = p.column }
        for v in vms {
            let h = assignment.hostOf[v]
            if h < 0 { values[uColumn[v]!] = 1; continue }
            guard let target = relabel[h], let x = xIndex[Int64(v) << 32 | Int64(target)] else { return nil }
            values[x] = 1
            for l in problem.licensing.needs[v] {
                guard let pays = licenceIndex[Int64(target) << 32 | Int64(l)] else { return nil }
                values[pays] = 1
            }
        }
        return values
    }

    /// The assignment a solution vector describes (VMs outside the model stay as in `base`).
    func assignment(from values: [Double], base: Assignment) -> Assignment {
        var result = base
        for v in vms { result.hostOf[v] = Assignment.unplaced }
        for x in xColumns where values[x.column] > 0.5 { result.hostOf[x.vm] = x.host }
        return result
    }
}
