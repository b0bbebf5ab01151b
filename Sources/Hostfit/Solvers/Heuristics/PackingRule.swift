/// How the greedy packer orders VMs and picks a host for each. Sizes and scores normalize
/// each resource by the largest usable capacity and run over resources and time buckets,
/// so a rule sees when a VM needs its room, not only how much.
///
/// - `ffdSum`: first fit, VMs by the sum of their normalized demand (FFDSum in Panigrahy,
///   Talwar, Uyeda & Wieder, "Heuristics for Vector Bin Packing", MSR 2011).
/// - `ffdL2`: first fit, VMs by the L2 norm of their normalized demand vector (ibid., the
///   norm-based item orders).
/// - `bfdDot`: best fit by dot product: the open host maximizing sum over resources and
///   buckets of demand x residual capacity (ibid., DotProduct): room where the VM needs it.
/// - `bfdL2`: best fit by L2: the open host minimizing the L2 norm of its residual capacity
///   after the VM is placed (ibid., Norm-based Greedy): the tightest, most even fit.
/// - `bcDot`, `bcL2`: bin-centric (`BinCentricPacking`): one host at a time, filled with the
///   VM of best dot product, or of least room left, until none fits (ibid., bin-centric).
/// The best-fit rules score at most `PackingRule.candidates` open hosts (the most recently
/// opened that fit), so they stay O(V x K x R x B).
public enum PackingRule: String, Sendable, CaseIterable {
    case ffdSum = "ffd-sum"
    case ffdL2 = "ffd-l2"
    case bfdDot = "bfd-dot"
    case bfdL2 = "bfd-l2"
    case bcDot = "bc-dot"
    case bcL2 = "bc-l2"

    static let candidates = 64

    var isBestFit: Bool { self == .bfdDot || self == .bfdL2 }
    var isBinCentric: Bool { self == .bcDot || self == .bcL2 }

    /// Item sizes for the decreasing order.
    func sizes(_ problem: PlacementProblem) -> [Double] {
        guard self == .ffdL2 else { return FirstFitDecreasing.sizes(problem) }
        let scale = FirstFitDecreasing.scale(problem)
        return (0..<problem.vmCount).map { v in
            var total = 0.0
            for r in 0..<problem.resourceCount {
                guard let s = scale[r] else { continue }
                for b in 0..<problem.buckets { let x = problem.demand(v, r, b) / s; total += x * x }
            }
            return total.squareRoot()
        }
    }

    /// Higher is better.
    func score(_ vms: [Int], on host: Int, _ loads: HostLoads, scale: [Double?]) -> Double {
        let problem = loads.problem
        let R = problem.resourceCount, B = problem.buckets
        var total = 0.0
        for r in 0..<R {
            guard let s = scale[r] else { continue }
            let cap = problem.capacity(host, r)
            guard cap.isFinite else { continue }
            let base = (host * R + r) * B
            for b in 0..<B {
                var d = 0.0
                for v in vms { d += problem.demand[(v * R + r) * B + b] }
                let residual = (cap - loads.load[base + b]) / s
                if self == .bfdDot || self == .bcDot {
                    total += d / s * residual
                } else {
                    let left = residual - d / s
                    total -= left * left
                }
            }
        }
        return total
    }
}
