extension PlacementProblem {
    /// The same VMs at one static figure each, as a planner without time would size them:
    /// their peak over the buckets (`percentile` nil: sum of peaks), or that percentile of
    /// their bucket values (sum of p95). Linear interpolation between ranks, as pandas.
    public func collapsed(percentile: Double? = nil) -> PlacementProblem {
        guard buckets > 1 else { return self }
        let R = resources.count, B = buckets
        var flat = [Double](repeating: 0, count: vms.count * R)
        var sorted = [Double](repeating: 0, count: B)
        for v in 0..<vms.count {
            for r in 0..<R {
                guard let percentile else { flat[v * R + r] = peak[v * R + r]; continue }
                let base = (v * R + r) * B
                for b in 0..<B { sorted[b] = demand[base + b] }
                sorted.sort()
                let rank = percentile / 100 * Double(B - 1), low = Int(rank.rounded(.down)), high = min(B - 1, low + 1)
                flat[v * R + r] = sorted[low] + (sorted[high] - sorted[low]) * (rank - Double(low))
            }
        }
        var problem = PlacementProblem(hosts: hosts, vms: vms, resources: resources, headroom: headroom, buckets: 1,
                                       capacity: capacity, rawCapacity: rawCapacity, demand: flat, mhzPerVCPU: mhzPerVCPU, notes: notes,
                                       rules: settings, objective: objective, purchasable: purchasable)
        problem.unmeasuredResources = unmeasuredResources
        return problem
    }
}
