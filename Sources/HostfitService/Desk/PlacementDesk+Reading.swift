import Hostfit

/// Reads: answered from the state the desk mirrors (`DeskState`) and from rating replicas,
/// on the caller's thread, never in the desk's queue behind writes.
extension PlacementDesk {
    public nonisolated func counts() -> DeskResult.Counts {
        state.read { c in
            var ratio: Double?
            if case .allocated(let r) = c.demand.cpu { ratio = r }
            return DeskResult.Counts(hosts: c.hosts.count, vms: c.vms.count, placed: c.placed,
                                     cpu: !c.cpuDecided ? "undecided" : ratio == nil ? "used" : "allocated",
                                     vcpuRatio: ratio, profiled: c.demand.profiles.count, buckets: c.demand.buckets)
        }
    }

    /// Up to `limit` hosts after the one named `cursor`, in the order they came.
    public nonisolated func hosts(after cursor: String? = nil, limit: Int = .max) throws(DeskError) -> DeskResult.Page<HostRecord> {
        try state.read { c throws(DeskError) in try DeskState.Contents.page(c.hostOrder, after: cursor, limit: limit) { c.hosts[$0].map(HostRecord.init) } }
    }

    public nonisolated func host(_ id: String) -> HostRecord? { state.read { $0.hosts[id].map(HostRecord.init) } }

    /// Up to `limit` VMs after the one named `cursor`, in the order they came, each where it
    /// runs: the caller's own (all of them for an admin).
    public nonisolated func vms(after cursor: String? = nil, limit: Int = .max, as caller: Caller = .estate) throws(DeskError) -> DeskResult.Page<DeskResult.PlacedVM> {
        try state.read { c throws(DeskError) in
            let order = caller.seesAll ? c.vmOrder : c.vmOrder.filter { c.owners[$0] == caller.tenant }
            return try DeskState.Contents.page(order, after: cursor, limit: limit) { id in
                c.vms[id].map { DeskResult.PlacedVM(vm: VMRecord($0), host: $0.currentHost) }
            }
        }
    }

    public nonisolated func vm(_ id: String, as caller: Caller = .estate) -> DeskResult.PlacedVM? {
        visible(id, to: caller).map { DeskResult.PlacedVM(vm: VMRecord($0), host: $0.currentHost) }
    }

    /// vm -> host, for every VM that runs (the caller's own).
    public nonisolated func placements(as caller: Caller = .estate) -> [String: String] {
        state.read { c in
            var result: [String: String] = [:]
            result.reserveCapacity(caller.seesAll ? c.placed : 0)
            for (id, vm) in c.vms where caller.seesAll || c.owners[id] == caller.tenant { if let host = vm.currentHost { result[id] = host } }
            return result
        }
    }

    /// Every host, every VM (placed ones on their `currentHost`), as they stand.
    public nonisolated func allHosts() -> [VMHost] { state.read { $0.hostList } }
    public nonisolated func allVMs() -> [VM] { state.read { $0.vmList } }

    /// The stars of `hostfit place` for one VM, on the loads as they are; nothing changes.
    /// The `top` best hosts in words (nil: every host), the others counted by rule.
    /// A tenant's caller rates only as its own VMs, within its host pool.
    public nonisolated func rate(_ record: VMRecord, top: Int? = 10, as caller: Caller = .estate) async throws(DeskError) -> DeskResult.Ratings {
        try refuseIfNotOwned(record.id, by: caller)
        let vm: VM
        do { vm = try pooled([record], for: caller)[0].vm() } catch { throw .invalid(error.description, field: error.field, vm: record.id) }
        if let placed = state.read({ $0.vms[vm.id]?.currentHost }) {
            throw .conflict("vm '\(vm.id)' is already placed on '\(placed)'", vm: vm.id)
        }
        // Hosts in a cluster whose quota the VM would pass rate 0, rule quota.
        let owner = owners(of: [vm.id], by: caller)[vm.id]
        let gate = { @Sendable (problem: PlacementProblem) in self.clusterGate(for: vm, owner: owner, problem: problem) }
        // An empty store whose sizing the first VMs settle: rated as the desk would place it.
        if !state.read({ $0.cpuDecided }) {
            return try await rateUndecided(vm, top: top, gate: gate)
        }
        return replicas.rate(vm, top: top, on: state, gate: gate)
    }

    private func rateUndecided(_ vm: VM, top: Int?, gate: (PlacementProblem) -> HostRater.Gate?) throws(DeskError) -> DeskResult.Ratings {
        try sizingFirst([vm], keep: false) { () throws(DeskError) in
            let v = engineIndices([vm])[0]
            var rater = engine!.rater
            rater.gate = gate(rater.problem)
            return RatingReplicas.ratings(of: vm.id, v, top: top, rater: rater, goal: goal)
        }
    }
}
