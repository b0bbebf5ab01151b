extension PlacementProblem {
    /// Adds VMs after the others without rebuilding what those settled: O(new VMs x hosts)
    /// where a full build is O(all VMs x hosts). For an inventory that grows one request at
    /// a time (the placement service); a uniquely held problem grows in place.
    ///
    /// A new VM's demand is `demandOf`'s series, else its static demand, as the full build
    /// does. An id already here is taken over by the new VM (the earlier one stays, unnamed).
    /// Returns false, changing nothing, where a new VM would change the problem's shape: a
    /// counted resource no host has, an affinity group (units join over all VMs), or a
    /// catalog (its copies are sized on every VM's demand). Build the problem anew then.
    /// Notes are not recounted.
    public mutating func append(_ newVMs: [VM], demandOf: (VM, Resource) -> [Double]? = { _, _ in nil }) -> Bool {
        guard purchasable.isEmpty else { return false }
        let known = Set(resources)
        for vm in newVMs {
            for (resource, value) in vm.measured where value > 0 && resource.isCounted && !known.contains(resource) { return false }
        }
        let first = vms.count
        guard rules.append(newVMs, from: first) else { return false }
        let R = resources.count, B = buckets
        // No reserveCapacity: reserving a little more on every append defeats the array's
        // doubling and copies all demand each time (measured: 10% of a placement at 168 buckets).
        for (k, vm) in newVMs.enumerated() {
            for resource in resources {
                let start = demand.count
                if resource == .vcpuAllocation || resource == .memoryAllocation {
                    let allocated = resource == .vcpuAllocation ? Double(vm.vcpus) : vm.memoryMB
                    demand.append(contentsOf: repeatElement(allocated, count: B))
                } else if let series = demandOf(vm, resource), series.count == B {
                    demand.append(contentsOf: series)
                } else {
                    demand.append(contentsOf: repeatElement(vm.demand(of: resource, mhzPerVCPU: mhzPerVCPU), count: B))
                }
                let slice = demand[start...]
                peak.append(slice.max() ?? 0)
                trough.append(slice.min() ?? 0)
            }
            vmIndex[vm.id] = first + k
        }
        vms.append(contentsOf: newVMs)
        licensing.append(newVMs)
        return true
    }
}
