/// What stands between a VM and a host right now, in the order a person checks it: the
/// host's state and VM limit, then the VM's rules, then each resource that does not fit, with the
/// validator's rule, a key to count it by ("tag sql", "cpu") and a sentence with numbers.
/// Unplaced reasons count the keys over hosts; star ratings give the first as the reason.
public struct HostBlocker: Sendable, Equatable {
    public var rule: Violation.Rule
    public var key: String
    public var message: String
}

extension HostLoads {
    /// Every blocker of `v` on `h` (`all`), or the first only; empty when no rule and no
    /// resource stands in the way (N+k is the caller's: it depends on the whole cluster).
    public func blockers(_ v: Int, on h: Int, all: Bool = true) -> [HostBlocker] {
        let host = problem.hosts[h], vm = problem.vms[v], rules = problem.rules
        if host.state != .active { return [HostBlocker(rule: .hostState, key: host.state.rawValue, message: "host in \(host.state.rawValue)")] }
        if host.maxVMs == 0 { return [HostBlocker(rule: .maxVMs, key: "max_vms 0", message: "host takes no VMs (max_vms 0)")] }
        if let limit = host.maxVMs, count[h] >= limit {
            return [HostBlocker(rule: .maxVMs, key: "max_vms", message: "host runs \(count[h]) VMs, its max_vms is \(limit)")]
        }
        var found: [HostBlocker] = []
        if let tag = vm.requires.subtracting(host.tags).sorted().first {
            found.append(HostBlocker(rule: .requires, key: "tag \(tag)", message: "requires tag \(tag)"))
        }
        if let cluster = vm.cluster, !cluster.isEmpty, cluster != host.cluster {
            found.append(HostBlocker(rule: .cluster, key: "cluster", message: "VM belongs to cluster \(cluster), host to \(host.cluster.isEmpty ? "none" : host.cluster)"))
        }
        if vm.pinned, vm.currentHost != host.id {
            found.append(HostBlocker(rule: .pinned, key: "pinned", message: "pinned to \(vm.currentHost ?? "its host")"))
        }
        if !found.isEmpty { return all ? found : [found[0]] }
        let placed = hostOf.count == problem.vmCount
        if placed, rules.unitOf[v] >= 0, let mate = rules.units[rules.unitOf[v]].first(where: { $0 != v && hostOf[$0] >= 0 }), hostOf[mate] != h {
            return [HostBlocker(rule: .affinity, key: "affinity", message: "affinity with \(problem.vms[mate].id), which runs on \(problem.hosts[hostOf[mate]].id)")]
        }
        if placed {
            for g in rules.antiAffinityOf[v] {
                if let other = rules.antiAffinityGroups[g].vms.first(where: { $0 != v && hostOf[$0] == h }) {
                    let name = rules.antiAffinityGroups[g].name
                    return [HostBlocker(rule: .antiAffinity, key: "anti-affinity \(name)", message: "anti-affinity group \(name) with \(problem.vms[other].id)")]
                }
            }
        }
        let R = problem.resourceCount, B = problem.buckets
        for r in 0..<R {
            let cap = problem.capacity(h, r)
            guard cap.isFinite else { continue }
            var worst = (bucket: -1, over: 0.0, free: 0.0, need: 0.0)
            for b in 0..<B {
                let need = problem.demand(v, r, b), free = cap - load(h, r, b)
                if need - free > worst.over * (1 + 1e-12) + 1e-9 { worst = (b, need - free, free, need) }
            }
            guard worst.bucket >= 0 else { continue }
            let resource = problem.resources[r]
            let when = (problem.timeline.map { HostRater.moment($0.start + Int64(worst.bucket) * $0.step) }
                ?? HostRater.bucketLabel(worst.bucket, of: B)).map { " at \($0)" } ?? ""
            let headroom = Resource.number(problem.headroom.fraction(for: resource) * 100)
            found.append(HostBlocker(rule: resource == .vcpuAllocation || resource == .memoryAllocation ? .overcommit : .capacity, key: resource.name,
                                     message: "needs \(resource.format(worst.need))\(when), \(resource.format(max(0, worst.free))) free under \(headroom)% headroom"))
            if !all { return found }
        }
        return found
    }
}
