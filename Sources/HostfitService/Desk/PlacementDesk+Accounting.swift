import Hostfit

/// Live accounting: what each tenant holds and uses (GET /usage), who pays for the hosts
/// in use (GET /chargeback, the rule of chargeback.csv), and what is allocated but unused
/// (GET /sizing, the rule of sizing.csv). A tenant's caller sees its own lines only.
extension PlacementDesk {
    /// A tenant's line of GET /usage.
    public struct UsageLine: Codable, Sendable, Equatable {
        public var tenant: String
        /// VMs in the inventory, and those that run.
        public var vms: Int
        public var placed: Int
        /// What the placed VMs were given: what quotas count.
        public var allocated: TenantUse
        /// Their demand as placements see it (profiles, live samples, or static use), summed
        /// peaks by resource (cpu in MHz, or vCPUs where the store plans allocations; memory in MB).
        public var demand: [String: Double]
        /// Placed VMs whose demand follows live samples, or a profile from traces.
        public var sampled: Int
        public var profiled: Int
        public var quota: Quota?
        /// What the quota still allows, by limit.
        public var headroom: [String: Double]?
        /// Where the quota limits clusters: what runs in each of them, and what each allows still.
        public var clusters: [String: TenantUse]?
        public var clusterHeadroom: [String: [String: Double]]?

        enum CodingKeys: String, CodingKey {
            case tenant, vms, placed, allocated, demand, sampled, profiled, quota, headroom, clusters, clusterHeadroom = "cluster_headroom"
        }
    }

    public nonisolated func usage(as caller: Caller = .estate) -> [UsageLine] {
        let problem = standingProblem()
        let (owners, vmsOf, profiled, liveVMs) = state.read { c in
            (c.owners, Dictionary(grouping: c.vmOrder, by: { c.owners[$0] ?? Chargeback.unassigned }).mapValues(\.count),
             Set(c.demand.profiles.keys), c.sampled)
        }
        var lines: [String: UsageLine] = [:]
        func line(_ t: String) -> UsageLine {
            lines[t] ?? UsageLine(tenant: t, vms: vmsOf[t] ?? 0, placed: 0, allocated: TenantUse(), demand: [:], sampled: 0, profiled: 0)
        }
        for t in tenancy.allTenants().map(\.id) + [Chargeback.unassigned] where vmsOf[t] != nil || t != Chargeback.unassigned {
            lines[t] = line(t)
        }
        for (v, vm) in problem.vms.enumerated() where vm.currentHost != nil {
            let t = owners[vm.id] ?? Chargeback.unassigned
            var l = line(t)
            l.placed += 1
            l.allocated = l.allocated + TenantUse(vm)
            for (r, resource) in problem.resources.enumerated() { l.demand[resource.name, default: 0] += problem.peakDemand(v, r) }
            if liveVMs.contains(vm.id) { l.sampled += 1 } else if profiled.contains(vm.id) { l.profiled += 1 }
            lines[t] = l
        }
        for (t, l) in lines {
            guard let quota = tenancy.tenant(t)?.quota, !quota.limits.isEmpty || quota.clusters?.isEmpty == false else { continue }
            var l = l
            l.quota = quota
            l.headroom = Dictionary(uniqueKeysWithValues: quota.limits.map { ($0.name, $0.limit - l.allocated.amount($0.name)) })
            if let limits = quota.clusters, !limits.isEmpty {
                let used = state.read { $0.clusterUse(of: t) }
                l.clusters = limits.keys.reduce(into: [:]) { $0[$1] = used[$1] ?? TenantUse() }
                l.clusterHeadroom = limits.reduce(into: [:]) { room, limit in
                    let use = used[limit.key] ?? TenantUse()
                    room[limit.key] = Dictionary(uniqueKeysWithValues: limit.value.limits.map { ($0.name, $0.limit - use.amount($0.name)) })
                }
            }
            lines[t] = l
        }
        return lines.values.filter { caller.seesAll || $0.tenant == caller.tenant }.sorted { $0.tenant < $1.tenant }
    }

    /// GET /chargeback: the hosts in use, each one's cost and power split among tenants.
    public struct ChargebackAnswer: Codable, Sendable, Equatable {
        public struct Line: Codable, Sendable, Equatable {
            public var tenant: String
            public var vms: Int
            public var hostShare: Double
            public var cost: Double
            public var powerW: Double
            public var energyKWh: Double
            public var vcpus: Int
            public var memoryMB: Double
            enum CodingKeys: String, CodingKey {
                case tenant, vms, hostShare = "host_share", cost, powerW = "power_w", energyKWh = "energy_kwh", vcpus, memoryMB = "memory_mb"
            }
        }
        /// Hours the energy is counted over, and the hosts' cost prorated to where
        /// `costHours` says what their cost pays for.
        public var periodH: Double
        /// Hours a host's cost pays for (serve --cost-hours); nil: the cost as given.
        public var costHours: Double?
        /// The hosts in use and their summed cost and power (an admin's answer only).
        public var hostsUsed: Int?
        public var cost: Double?
        public var powerW: Double?
        public var tenants: [Line]
        enum CodingKeys: String, CodingKey { case periodH = "period_h", costHours = "cost_hours", hostsUsed = "hosts_used", cost, powerW = "power_w", tenants }
    }

    public nonisolated func chargeback(periodHours: Double = 720, as caller: Caller = .estate) -> ChargebackAnswer {
        let owners = state.read { $0.owners }
        let charged = Chargeback(standing: standingProblem()) { owners[$0.id] }
        // A period's share of what the hosts' cost pays for, where the service was told.
        let share = costHours.map { periodHours / $0 } ?? 1
        let lines = charged.lines.filter { caller.seesAll || $0.costCenter == caller.tenant }.map { l in
            ChargebackAnswer.Line(tenant: l.costCenter, vms: l.vms, hostShare: l.hostShare, cost: l.cost * share, powerW: l.watts,
                                  energyKWh: l.watts * periodHours / 1000, vcpus: l.vcpus, memoryMB: l.memoryMB)
        }
        guard caller.seesAll else { return ChargebackAnswer(periodH: periodHours, costHours: costHours, tenants: lines) }
        return ChargebackAnswer(periodH: periodHours, costHours: costHours, hostsUsed: charged.hosts.count,
                                cost: charged.hosts.reduce(0) { $0 + $1.cost } * share, powerW: charged.hosts.reduce(0) { $0 + $1.watts }, tenants: lines)
    }

    /// Right-sizing of the caller's VMs: on what traces said at start, else on the hours
    /// live samples hold (each hour's peak: coarser, and said so in the confidence), else
    /// on static use. `owners` names each VM's tenant.
    public func sizing(comfort: Double = 1.3, as caller: Caller = .estate) -> (sizing: RightSizing, owners: [String: String]) {
        let problem = standingProblem()
        let (owners, traced) = state.read { ($0.owners, $0.usage) }
        let vms = problem.vms.filter { caller.seesAll || owners[$0.id] == caller.tenant }
        var options = RightSizing.Options()
        options.percentile = traced.values.first?.percentile ?? 95
        options.comfort = comfort
        let live = live
        let sizing = RightSizing(vms: vms, usage: { id, resource in
            if let usage = traced[id]?.usage(resource) { return usage }
            return live[id]?[resource]?.usage(percentile: options.percentile)
        }, mhzPerCore: { vm in
            vm.currentHost.flatMap { problem.host(named: $0) }.map { problem.hosts[$0].cpuMHzPerCore } ?? problem.mhzPerVCPU
        }, options: options)
        return (sizing, owners)
    }

    /// The inventory as it stands under the sizing readers see, off the desk's queue.
    nonisolated func standingProblem() -> PlacementProblem {
        let (inventory, demand) = state.read { c in (Inventory(hosts: c.hostList, vms: c.vmList), c.demand) }
        return demand.problem(inventory, headroom: state.headroom, rules: state.rules)
    }
}
