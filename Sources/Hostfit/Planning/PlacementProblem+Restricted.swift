extension PlacementProblem {
    /// The same problem on a subset of hosts, VMs and time buckets (in the given orders):
    /// what large-neighbourhood search hands the exact solver. Rules come along (tags,
    /// clusters, pinning, groups among these VMs); the N+k reserve does not, since it
    /// couples every host of a cluster.
    func restricted(hosts hostList: [Int], vms vmList: [Int], buckets bucketList: [Int]? = nil) -> PlacementProblem {
        let R = resourceCount
        let bucketList = bucketList ?? Array(0..<buckets)
        var capacity = [Double](), raw = [Double]()
        capacity.reserveCapacity(hostList.count * R)
        for h in hostList {
            for r in 0..<R {
                capacity.append(self.capacity[h * R + r])
                raw.append(rawCapacity[h * R + r])
            }
        }
        var demand = [Double]()
        demand.reserveCapacity(vmList.count * R * bucketList.count)
        for v in vmList {
            for r in 0..<R { for b in bucketList { demand.append(self.demand(v, r, b)) } }
        }
        var settings = self.settings
        settings.reserve = 0
        return PlacementProblem(hosts: hostList.map { hosts[$0] }, vms: vmList.map { vms[$0] }, resources: resources,
                                headroom: headroom, buckets: bucketList.count, capacity: capacity, rawCapacity: raw,
                                demand: demand, mhzPerVCPU: mhzPerVCPU, notes: [], rules: settings, objective: .hosts)
    }
}
