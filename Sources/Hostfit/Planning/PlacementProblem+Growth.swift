import Foundation

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
        return withDemand(grown)
    }

    /// What trend growth did: VMs grown, VMs with too little history to judge, and the
    /// note that says so (also among the grown problem's notes, so summary.json has it).
    public struct TrendGrowth: Sendable {
        public var problem: PlacementProblem
        public var grown: Int
        public var unjudged: Int
        public var note: String
    }

    /// Each VM's demand `months` ahead on its own rising trend (`DemandTrends`): the daily
    /// mean rises by the slope times the days, so every time bucket shifts up by as much.
    /// Linear, not compounded: a month of data says nothing about compounding. CPU stops at
    /// the VM's vCPUs and memory at its allocation, which a VM cannot outgrow without a
    /// resize; falling and insignificant trends stay at today's demand.
    public func grown(by trends: DemandTrends, months: Double) -> TrendGrowth {
        let R = resources.count, B = buckets
        let days = months * 365.25 / 12
        var demand = self.demand
        var grownVMs = 0, unjudged = 0
        for (v, vm) in vms.enumerated() {
            let entity = vm.demandLike ?? vm.id
            guard trends.judged.contains(entity) else { unjudged += 1; continue }
            guard let rising = trends.rising[entity], days > 0 else { continue }
            var any = false
            for r in 0..<R {
                guard let trend = rising[resources[r]] else { continue }
                let cap: Double = switch resources[r] {
                case .cpu: Double(vm.vcpus) * (trends.mhzPerVCPU[entity] ?? mhzPerVCPU)
                case .memory: vm.memoryMB
                default: .infinity
                }
                let base = (v * R + r) * B, add = trend.perDay * days
                for b in 0..<B { demand[base + b] = max(demand[base + b], min(demand[base + b] + add, cap)) }
                any = true
            }
            if any { grownVMs += 1 }
        }
        var note = "growth by trend over \(Resource.number(months)) months: \(grownVMs) VMs grow on a rising trend (capped at their allocation), the rest stay at today's demand"
        if unjudged > 0 { note += "; \(unjudged) have under \(DemandTrends.minimumDays) days of traces to judge" }
        if days > 3 * Double(trends.longestDays) {
            note += "; \(trends.longestDays) days of history extrapolated \(Resource.number(months)) months: a rough guide"
        }
        var problem = withDemand(demand)
        problem.notes.append(note)
        return TrendGrowth(problem: problem, grown: grownVMs, unjudged: unjudged, note: note)
    }

    private func withDemand(_ grown: [Double]) -> PlacementProblem {
        reshaped(buckets: buckets, demand: grown)
    }

    /// The same problem over some of its buckets, in the order given.
    package func selecting(_ kept: [Int]) -> PlacementProblem {
        let R = resources.count, B = buckets, S = kept.count
        var part = [Double](repeating: 0, count: vms.count * R * S)
        for k in 0..<(vms.count * R) {
            for (i, b) in kept.enumerated() { part[k * S + i] = demand[k * B + b] }
        }
        return reshaped(buckets: S, demand: part)
    }

    /// The same hosts, VMs and rules over other time buckets (`demand` laid out as the
    /// problem's own); the timeline still names the first buckets.
    package func reshaped(buckets: Int, demand grown: [Double]) -> PlacementProblem {
        var problem = PlacementProblem(hosts: hosts, vms: vms, resources: resources, headroom: headroom, buckets: buckets,
                                       capacity: capacity, rawCapacity: rawCapacity, demand: grown, mhzPerVCPU: mhzPerVCPU, notes: notes,
                                       rules: settings, objective: objective, purchasable: purchasable)
        problem.unmeasuredResources = unmeasuredResources
        problem.timeline = timeline
        return problem
    }
}
