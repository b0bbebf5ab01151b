/// Running per-host load over time while VMs are placed, moved or removed: O(R x B) per fit
/// test and per move. The heuristics, the ratings of new VMs and the placement service use
/// it for speed; `PlanValidator` does not, and tests prove the two agree.
///
///     var loads = HostLoads(problem)
///     for (v, h) in plan.hostOf.enumerated() where h >= 0 { loads.add(v, to: h) }
///     let room = loads.fits(newVM, on: h)
public struct HostLoads: Sendable {
    public private(set) var problem: PlacementProblem
    /// [(host * R + r) * B + b]
    package private(set) var load: [Double]
    /// VMs per host.
    public private(set) var count: [Int]
    /// Per host, anti-affinity group -> VMs of it there (only when the problem has groups).
    private var antiPresent: [[Int: Int]]
    /// Where each VM is, when a caller keeps it here (for explanations).
    var hostOf: [Int] = []
    /// [host * R + r]: the least and the most room left over the buckets. A VM whose peak fits
    /// the least room fits without looking at buckets; one whose trough exceeds the most
    /// room cannot fit. Most fit tests end here.
    private(set) var leastRoom: [Double]
    private(set) var mostRoom: [Double]
    /// [host * R + r]: the bucket with the least room, tested first: a full host fails there.
    private(set) var tightest: [Int]

    public init(_ problem: PlacementProblem) {
        self.problem = problem
        load = [Double](repeating: 0, count: problem.hostCount * problem.resourceCount * problem.buckets)
        count = [Int](repeating: 0, count: problem.hostCount)
        antiPresent = problem.rules.antiAffinityGroups.isEmpty ? [] : [[Int: Int]](repeating: [:], count: problem.hostCount)
        leastRoom = (0..<(problem.hostCount * problem.resourceCount)).map { problem.capacity[$0] }
        mostRoom = leastRoom
        tightest = [Int](repeating: 0, count: problem.hostCount * problem.resourceCount)
    }

    /// Whether the VM may go on the host now: every rule and every resource in every bucket.
    public func fits(_ vm: Int, on host: Int) -> Bool {
        fits(CollectionOfOne(vm), on: host)
    }

    /// Whether all of `vms` (an affinity unit, or one VM) fit on the host together.
    public func fits<C: Collection<Int>>(_ vms: C, on host: Int) -> Bool {
        guard problem.accepting[host], count[host] + vms.count <= problem.vmLimit[host] else { return false }
        let rules = problem.rules
        for v in vms {
            guard rules.allows(v, host), !rules.isImpossible[v] else { return false }
            if !antiPresent.isEmpty {
                for g in rules.antiAffinityOf[v] where antiPresent[host][g, default: 0] > 0 { return false }
            }
        }
        let R = problem.resourceCount, B = problem.buckets
        let single = vms.count == 1 ? vms.first! : -1
        for r in 0..<R {
            let cap = problem.capacity(host, r) * (1 + 1e-12)
            if cap == .infinity { continue }
            let base = (host * R + r) * B
            if single >= 0 {
                let k = single * R + r, slack = cap - problem.capacity(host, r)
                if problem.peak[k] <= leastRoom[host * R + r] + slack { continue }
                if problem.trough[k] > mostRoom[host * R + r] + slack { return false }
                let dbase = (single * R + r) * B
                let t = tightest[host * R + r]
                if load[base + t] + problem.demand[dbase + t] > cap { return false }
                for b in 0..<B where load[base + b] + problem.demand[dbase + b] > cap { return false }
            } else {
                for b in 0..<B {
                    var total = load[base + b]
                    for v in vms { total += problem.demand[(v * R + r) * B + b] }
                    if total > cap { return false }
                }
            }
        }
        return true
    }

    /// Adds VMs to the problem, unplaced (see `PlacementProblem.append`); the loads stay.
    /// False, changing nothing, where the problem must be built anew.
    public mutating func append(_ vms: [VM], demandOf: (VM, Resource) -> [Double]? = { _, _ in nil }) -> Bool {
        // Let go of our reference first, so that a problem held nowhere else grows in place.
        var grown = problem
        problem = Self.placeholder
        defer { problem = grown }
        guard grown.append(vms, demandOf: demandOf) else { return false }
        if hostOf.count == grown.vmCount - vms.count { hostOf.append(contentsOf: repeatElement(-1, count: vms.count)) }
        // Groups that arrive with these VMs need their per-host tally (no VM of theirs is placed yet).
        if antiPresent.isEmpty, !grown.rules.antiAffinityGroups.isEmpty {
            antiPresent = [[Int: Int]](repeating: [:], count: grown.hostCount)
        }
        return true
    }

    private static let placeholder = PlacementProblem(hosts: [], vms: [], resources: [], headroom: Headroom(), buckets: 1, capacity: [],
                                                       rawCapacity: [], demand: [], mhzPerVCPU: 0, notes: [])

    public mutating func add(_ vm: Int, to host: Int) {
        apply(vm, host, sign: 1)
        count[host] += 1
        if !antiPresent.isEmpty { for g in problem.rules.antiAffinityOf[vm] { antiPresent[host][g, default: 0] += 1 } }
    }

    public mutating func remove(_ vm: Int, from host: Int) {
        apply(vm, host, sign: -1)
        count[host] -= 1
        if !antiPresent.isEmpty { for g in problem.rules.antiAffinityOf[vm] { antiPresent[host][g, default: 0] -= 1 } }
    }

    private mutating func apply(_ vm: Int, _ host: Int, sign: Double) {
        let R = problem.resourceCount, B = problem.buckets
        for r in 0..<R {
            let base = (host * R + r) * B, dbase = (vm * R + r) * B
            let cap = problem.capacity(host, r)
            var least = Double.infinity, most = -Double.infinity, at = 0
            for b in 0..<B {
                load[base + b] += sign * problem.demand[dbase + b]
                let room = cap - load[base + b]
                if room < least { least = room; at = b }
                if room > most { most = room }
            }
            leastRoom[host * R + r] = least
            mostRoom[host * R + r] = most
            tightest[host * R + r] = at
        }
    }

    /// The host's highest load of resource `r` over the buckets.
    @inline(__always) public func peak(_ host: Int, _ r: Int) -> Double {
        let k = host * problem.resourceCount + r
        return problem.capacity[k] - leastRoom[k]
    }

    /// The host's fullest resource at its fullest bucket, as a share of usable capacity.
    /// The host's load of resource `r` in bucket `b`.
    @inline(__always) public func load(_ host: Int, _ r: Int, _ b: Int) -> Double {
        load[(host * problem.resourceCount + r) * problem.buckets + b]
    }

    func utilization(_ host: Int) -> Double {
        var worst = 0.0
        for r in 0..<problem.resourceCount {
            let cap = problem.capacity(host, r)
            if cap.isFinite && cap > 0 { worst = max(worst, peak(host, r) / cap) }
        }
        return worst
    }

    /// `utilization(host)` as it would be with `vms` added.
    func utilization(_ host: Int, adding vms: [Int]) -> Double {
        let R = problem.resourceCount, B = problem.buckets
        var worst = 0.0
        for r in 0..<R {
            let cap = problem.capacity(host, r)
            guard cap.isFinite && cap > 0 else { continue }
            let base = (host * R + r) * B
            var top = 0.0
            for b in 0..<B {
                var total = load[base + b]
                for v in vms { total += problem.demand[(v * R + r) * B + b] }
                if total > top { top = total }
            }
            worst = max(worst, top / cap)
        }
        return worst
    }

    /// N+k shortfall of a cluster: the largest ratio of demand to what survives losing its k
    /// largest used hosts, over resources and buckets (at most 1 when the reserve holds).
    func reserveRatio(cluster c: Int) -> Double {
        let k = problem.rules.reserve
        let used = (0..<problem.hostCount).filter { count[$0] > 0 && problem.rules.clusterOf[$0] == c }
        guard !used.isEmpty else { return 0 }
        guard used.count > k else { return .infinity }
        let R = problem.resourceCount, B = problem.buckets
        var worst = 0.0
        for r in 0..<R {
            let caps = used.map { problem.capacity($0, r) }.sorted(by: >)
            guard caps.allSatisfy(\.isFinite) else { continue }
            let survives = caps.dropFirst(k).reduce(0, +)
            for b in 0..<B {
                let demand = used.reduce(0.0) { $0 + load[($1 * R + r) * B + b] }
                if demand > 0 { worst = max(worst, survives > 0 ? demand / survives : .infinity) }
            }
        }
        return worst
    }
}
