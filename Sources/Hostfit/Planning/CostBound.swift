/// A lower bound on what placing VMs costs, for plans that minimize cost (a catalog, or
/// licences): the hosts' part and each licence's part bounded separately, each as the
/// summed demand bought at the cheapest price per unit of usable capacity (in the resource
/// and moment where that is dearest), and at least one host's or licence's price. These
/// fractional covers ignore that hosts come whole, so the bound is weak where hosts are
/// lumpy, but never above the optimum: the gap it gives is honest, if pessimistic.
enum CostBound {
    static func compute(_ problem: PlacementProblem, vms: [Int]) -> Double {
        guard !vms.isEmpty else { return 0 }
        let hosts = (0..<problem.hostCount).filter { problem.acceptsVMs($0) }
        let hardware = cover(problem, vms: vms, hosts: hosts) { problem.cost($0) }
        var licences = 0.0
        let needs = problem.licensing.needs
        for l in problem.licensing.licences.indices {
            let needing = vms.filter { needs[$0].contains(l) }
            guard !needing.isEmpty else { continue }
            licences += cover(problem, vms: needing, hosts: hosts) { problem.licensing.price($0, l) }
        }
        return hardware + licences
    }

    /// The cheapest fractional cover of `vms`' demand by `hosts` at `price` each.
    private static func cover(_ problem: PlacementProblem, vms: [Int], hosts: [Int], price: (Int) -> Double) -> Double {
        let candidates = hosts.filter { h in vms.contains { problem.fitsEmpty($0, h) } }
        guard let cheapest = candidates.map(price).min() else { return 0 }
        var bound = cheapest
        for r in 0..<problem.resourceCount {
            let ratios = candidates.compactMap { h -> Double? in
                let cap = problem.capacity(h, r)
                return cap.isFinite && cap > 0 ? price(h) / cap : nil
            }
            guard ratios.count == candidates.count, let ratio = ratios.min(), ratio > 0 else { continue }
            var peak = 0.0
            for b in 0..<problem.buckets {
                var total = 0.0
                for v in vms { total += problem.demand(v, r, b) }
                peak = max(peak, total)
            }
            bound = max(bound, peak * ratio)
        }
        return bound
    }
}
