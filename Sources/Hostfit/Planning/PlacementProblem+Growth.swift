extension PlacementProblem {
    /// The same problem with every VM's measured demand (CPU, memory, disk, network)
    /// multiplied by `factor`: growth. Allocations and counted resources do not grow.
    public func scaled(by factor: Double) -> PlacementProblem {
        guard factor != 1 else { return self }
        let R = resources.count, B = buckets
        var grown = demand
        for r in 0..<R where !resources[r].isCounted {
            for v in 0..<vms.count {
                let base = (v * R + r) * B
                for b in 0..<B { grown[base + b] *= factor }
            }
        }
        var problem = PlacementProblem(hosts: hosts, vms: vms, resources: resources, headroom: headroom, buckets: buckets,
                                       capacity: capacity, rawCapacity: rawCapacity, demand: grown, mhzPerVCPU: mhzPerVCPU, notes: notes,
                                       rules: settings, objective: objective, purchasable: purchasable)
        problem.unmeasuredResources = unmeasuredResources
        problem.timeline = timeline
        return problem
    }
}
