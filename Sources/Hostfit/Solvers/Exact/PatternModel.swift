/// The set-covering view of a placement problem (Gilmore & Gomory, "A linear programming
/// approach to the cutting-stock problem", Operations Research 9, 1961): VMs with equal
/// demand and equal host eligibility become one item type with a multiplicity, identical
/// hosts one host class with a count, and a plan is a choice of patterns (how many of each
/// item type share one host of a class).
///
/// Only for problems whose rules are per VM and host alone: no affinity or anti-affinity
/// groups, pinned VMs or N+k reserve (those couple hosts, and stay with the assignment
/// model). Time buckets are dimensions, so it is exact for bucketed demand too, but
/// pricing grows with resources x buckets: `dimensionLimit` keeps it for small ones.
struct PatternModel {
    struct ItemType {
        var size: [Double]          // per dimension
        var vms: [Int]              // its VMs, in problem order
        var eligibility: Int        // the VMs' eligibility class
        var count: Int { vms.count }
    }
    struct HostClass {
        var capacity: [Double]      // per dimension, usable
        var hosts: [Int]            // its hosts, in problem order
        var cost: Double
        var vmLimit: Int
        var allows: [Bool]          // per eligibility class
    }

    static let dimensionLimit = 64

    let items: [ItemType]
    let classes: [HostClass]
    let dimensions: Int
    /// Item types by VM; -1 for VMs outside the model.
    let typeOf: [Int]

    /// nil when the problem has rules that couple hosts, or too many dimensions.
    init?(_ problem: PlacementProblem, vms: [Int]) {
        let rules = problem.rules
        guard !rules.hasGroups, rules.reserve == 0, !rules.pinnedHost.contains(where: { $0 >= 0 }) else { return nil }
        let R = problem.resourceCount, B = problem.buckets
        let hosts = (0..<problem.hostCount).filter { problem.acceptsVMs($0) }
        // Dimensions: (resource, bucket) pairs with a finite capacity somewhere and some demand.
        let tracked = (0..<R).filter { r in
            hosts.contains { problem.capacity($0, r).isFinite } && vms.contains { problem.peakDemand($0, r) > 0 }
        }
        let dims = tracked.count * B
        guard dims <= Self.dimensionLimit, dims > 0 else { return nil }

        var classIndex: [[Double]: Int] = [:]
        var classes: [HostClass] = []
        let eligibilityCount = (rules.eligibilityClass.max() ?? -1) + 1
        for h in hosts {
            var capacity = [Double]()
            capacity.reserveCapacity(dims)
            for r in tracked {
                let c = problem.capacity(h, r)
                for _ in 0..<B { capacity.append(c.isFinite ? c : .greatestFiniteMagnitude) }
            }
            let allows = (0..<eligibilityCount).map { rules.eligibility[$0][h] }
            let limit = problem.vmLimit[h]
            let key = capacity + [problem.cost(h), Double(min(limit, 1 << 40))] + allows.map { $0 ? 1 : 0 }
            if let c = classIndex[key] { classes[c].hosts.append(h); continue }
            classIndex[key] = classes.count
            classes.append(HostClass(capacity: capacity, hosts: [h], cost: problem.cost(h), vmLimit: limit, allows: allows))
        }
        var typeIndex: [[Double]: Int] = [:]
        var items: [ItemType] = []
        var typeOf = [Int](repeating: -1, count: problem.vmCount)
        for v in vms {
            var size = [Double]()
            size.reserveCapacity(dims)
            for r in tracked { for b in 0..<B { size.append(problem.demand(v, r, b)) } }
            let eligibility = rules.eligibilityClass[v]
            let key = size + [Double(eligibility)]
            if let t = typeIndex[key] { items[t].vms.append(v); typeOf[v] = t; continue }
            typeIndex[key] = items.count
            typeOf[v] = items.count
            items.append(ItemType(size: size, vms: [v], eligibility: eligibility))
        }
        self.items = items
        self.classes = classes
        self.dimensions = dims
        self.typeOf = typeOf
    }

    /// Whether `count` copies of each item type fit one host of the class.
    func fits(_ counts: [Int: Int], in c: Int) -> Bool {
        let cls = classes[c]
        guard counts.values.reduce(0, +) <= cls.vmLimit else { return false }
        var load = [Double](repeating: 0, count: dimensions)
        for (t, k) in counts {
            guard cls.allows[items[t].eligibility] else { return false }
            for d in 0..<dimensions { load[d] += Double(k) * items[t].size[d] }
        }
        return (0..<dimensions).allSatisfy { load[$0] <= cls.capacity[$0] * (1 + 1e-12) }
    }

    /// (larger, smaller) pairs of item types where the smaller fits wherever the larger does:
    /// no larger in any dimension, and allowed on every host class the larger is. For each
    /// type, the closest such smaller type (in one dimension, a chain by size).
    func dominancePairs() -> [(Int, Int)] {
        let total = items.map { $0.size.reduce(0, +) }
        let order = items.indices.sorted { total[$0] > total[$1] || (total[$0] == total[$1] && $0 < $1) }
        var pairs: [(Int, Int)] = []
        for (k, big) in order.enumerated() {
            // Look a bounded way down the list: the closest dominated type is usually near.
            for small in order[(k + 1)...].prefix(64) {
                let a = items[big], b = items[small]
                guard (0..<dimensions).allSatisfy({ b.size[$0] <= a.size[$0] }) else { continue }
                guard classes.allSatisfy({ !$0.allows[a.eligibility] || $0.allows[b.eligibility] }) else { continue }
                pairs.append((big, small))
                break
            }
        }
        return pairs
    }

    /// A pattern cut down to the VMs still to cover (`residual` per item type), then topped
    /// up with the largest uncovered VMs that still fit the host. A cut that took out VMs of
    /// negative demand may no longer fit: then the largest VMs go too, until it does.
    func fill(_ pattern: [(item: Int, count: Int)], cls c: Int, residual: [Int]) -> [(item: Int, count: Int)] {
        let cls = classes[c]
        var counts: [Int: Int] = [:]
        var load = [Double](repeating: 0, count: dimensions)
        var total = 0
        for (item, count) in pattern {
            let k = min(count, residual[item])
            guard k > 0 else { continue }
            counts[item] = k
            total += k
            for d in 0..<dimensions { load[d] += Double(k) * items[item].size[d] }
        }
        let surrogate = items.map { PatternPricer.surrogate($0.size, capacity: cls.capacity) }
        while let over = (0..<dimensions).first(where: { load[$0] > cls.capacity[$0] * (1 + 1e-12) }) {
            guard let t = counts.keys.filter({ items[$0].size[over] > 0 }).max(by: { surrogate[$0] < surrogate[$1] }) else { return [] }
            counts[t]! -= 1
            if counts[t] == 0 { counts[t] = nil }
            total -= 1
            for d in 0..<dimensions { load[d] -= items[t].size[d] }
        }
        for t in items.indices.sorted(by: { surrogate[$0] > surrogate[$1] }) where cls.allows[items[t].eligibility] {
            while total < cls.vmLimit, residual[t] > (counts[t] ?? 0),
                  (0..<dimensions).allSatisfy({ load[$0] + items[t].size[$0] <= cls.capacity[$0] * (1 + 1e-12) }) {
                counts[t, default: 0] += 1
                total += 1
                for d in 0..<dimensions { load[d] += items[t].size[d] }
            }
        }
        return counts.map { (item: $0.key, count: $0.value) }.sorted { $0.item < $1.item }
    }

    /// The host class of each host index; -1 for hosts outside the model.
    func classOfHost(hostCount: Int) -> [Int] {
        var of = [Int](repeating: -1, count: hostCount)
        for (c, cls) in classes.enumerated() { for h in cls.hosts { of[h] = c } }
        return of
    }
}
