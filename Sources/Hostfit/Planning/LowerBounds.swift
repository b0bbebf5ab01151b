import Foundation

/// A proven minimum number of hosts, and which argument proved it.
public struct LowerBound: Sendable, Equatable {
    public enum Method: String, Sendable, CaseIterable {
        /// Summed demand over the largest usable capacities, per resource and bucket.
        case volume
        /// Martello & Toth's L2: items above half a host cannot share one.
        case martelloTothL2 = "martello-toth-l2"
        /// The column-generation LP bound, or a search that proved the volume bound unreachable.
        case columnGeneration = "column-generation"
        /// GLPK's branch and bound.
        case ilp
    }

    public var hosts: Int
    public var method: Method
    /// The resource that binds, for the volume and L2 bounds.
    public var resource: Resource?
    /// Hosts added for N+k (`--reserve k`), included in `hosts`.
    public var reserve = 0

    public init(hosts: Int, method: Method, resource: Resource? = nil) {
        self.hosts = hosts
        self.method = method
        self.resource = resource
    }

    /// As summary.json says it: "volume (cpu)", "volume (cpu) + 1 for N+1".
    public var description: String {
        method.rawValue + (resource.map { " (\($0.name))" } ?? "") + (reserve > 0 ? " + \(reserve) for N+\(reserve)" : "")
    }
}

/// Lower bounds on the number of hosts any valid plan needs for a set of VMs.
///
/// - Volume: per resource and time bucket, the fewest hosts whose usable capacities (largest
///   first) add up to the summed demand. O(H log H + V) per resource and bucket.
/// - L2 (Martello & Toth, "Lower bounds and reduction procedures for the bin packing
///   problem", Discrete Applied Mathematics 28, 1990): per resource and bucket, with every
///   host given the largest usable capacity C (a relaxation, so still valid for mixed hosts).
///   Items above C/2 cannot share a host with each other; the bound counts them and the
///   room they leave for the small ones. O(V log V) per resource and bucket.
/// Each bound holds in every bucket, so the largest over resources and buckets holds.
public enum LowerBounds {
    public static func compute(_ problem: PlacementProblem, vms: [Int]) -> LowerBound {
        var best = LowerBound(hosts: vms.isEmpty ? 0 : 1, method: .volume, resource: nil)
        let eligible = (0..<problem.hostCount).filter { problem.acceptsVMs($0) }
        for (r, resource) in problem.resources.enumerated() {
            let capacities = eligible.map { problem.capacity($0, r) }.sorted(by: >)
            guard let largest = capacities.first, largest.isFinite, largest > 0 else { continue }
            // Volume in every bucket; L2 (a sort each) in the few busiest, where it binds.
            var totals = [Double](repeating: 0, count: problem.buckets)
            for v in vms { for b in 0..<problem.buckets { totals[b] += problem.demand(v, r, b) } }
            for b in 0..<problem.buckets {
                let volume = volumeBound(totals[b], capacities: capacities)
                if volume > best.hosts { best = LowerBound(hosts: volume, method: .volume, resource: resource) }
            }
            // L2 assumes sizes of at least 0 (the volume bound does not): a negative demand
            // (possible through the library, as in some benchmark instances) skips it.
            guard !vms.contains(where: { problem.trough[$0 * problem.resourceCount + r] < 0 }) else { continue }
            let busiest = totals.indices.sorted { totals[$0] > totals[$1] }.prefix(4)
            var sizes = [Double](repeating: 0, count: vms.count)
            for b in busiest {
                for (i, v) in vms.enumerated() { sizes[i] = problem.demand(v, r, b) }
                let l2 = martelloTothL2(sizes, capacity: largest)
                if l2 > best.hosts { best = LowerBound(hosts: l2, method: .martelloTothL2, resource: resource) }
            }
        }
        // N+k: the hosts left after a cluster loses its k largest must still hold the demand,
        // so they number at least the bound, and the plan k more (in each cluster it uses).
        if problem.settings.reserve > 0 && !vms.isEmpty {
            best.hosts += problem.settings.reserve
            best.reserve = problem.settings.reserve
        }
        return best
    }

    /// Fewest of `capacities` (sorted, largest first) that hold `total`; all of them plus
    /// the shortfall in units of the largest when even all do not.
    static func volumeBound(_ total: Double, capacities: [Double]) -> Int {
        var sum = 0.0
        for (k, c) in capacities.enumerated() {
            sum += c
            if sum >= total * (1 - 1e-12) { return k + 1 }
        }
        return capacities.count + Int(ceilTolerant((total - sum) / capacities[0]))
    }

    /// Martello & Toth's L2 for bins of capacity `c`; items must be at most `c`.
    static func martelloTothL2(_ items: [Double], capacity c: Double) -> Int {
        let sorted = items.sorted(by: >)  // decreasing
        let n = sorted.count
        guard n > 0 else { return 0 }
        var prefix = [Double](repeating: 0, count: n + 1)
        for i in 0..<n { prefix[i + 1] = prefix[i] + sorted[i] }
        // Number of items strictly greater than x.
        func countAbove(_ x: Double) -> Int {
            var lo = 0, hi = n
            while lo < hi { let mid = (lo + hi) / 2; if sorted[mid] > x { lo = mid + 1 } else { hi = mid } }
            return lo
        }
        // Number of items at least x.
        func countAtLeast(_ x: Double) -> Int {
            var lo = 0, hi = n
            while lo < hi { let mid = (lo + hi) / 2; if sorted[mid] >= x { lo = mid + 1 } else { hi = mid } }
            return lo
        }
        let half = c / 2
        let big = countAbove(half)  // J1 + J2
        var best = Int(ceilTolerant(prefix[n] / c))
        var candidates = [0.0]
        var last = -1.0
        for x in sorted.reversed() where x <= half && x != last { candidates.append(x); last = x }
        for k in candidates {
            let j1 = countAbove(c - k)                       // items > C - K
            let j2 = big - j1                                // C - K >= items > C/2
            let j2Sum = prefix[big] - prefix[j1]
            let j3End = countAtLeast(k)                      // C/2 >= items >= K
            let j3Sum = prefix[j3End] - prefix[big]
            let room = Double(j2) * c - j2Sum
            let bound = j1 + j2 + max(0, Int(ceilTolerant((j3Sum - room) / c)))
            best = max(best, bound)
        }
        return best
    }

    /// ceil that forgives floating-point noise just above an integer.
    static func ceilTolerant(_ x: Double) -> Double {
        (x - 1e-9).rounded(.up)
    }
}
