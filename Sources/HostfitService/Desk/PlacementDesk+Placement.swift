import Hostfit

/// Placing VMs and releasing them: the hot path, on the engine's loads kept from request
/// to request, with the validator's last word before anything is committed.
extension PlacementDesk {
    /// Places `records` one after another, each seeing those before, all or none. With a
    /// key, a retry of the same request gets the first answer and places nothing more. New
    /// VMs belong to the caller's tenant, within its quota and its host pool.
    public func place(_ records: [VMRecord], idempotencyKey given: String?, as caller: Caller = .estate) throws(DeskError) -> DeskResult.Placements {
        // Each tenant's keys are its own: another's key neither replays nor blocks.
        let key = given.map { k in caller.tenant.map { "\($0)\u{1F}\(k)" } ?? k }
        let asked = records
        let records = pooled(records, for: caller)
        return try sizingFirst(records.compactMap { try? $0.vm() }) { () throws(DeskError) in
            try placing(records, asked: asked, idempotencyKey: key, as: caller)
        }
    }

    private func placing(_ records: [VMRecord], asked: [VMRecord], idempotencyKey key: String?, as caller: Caller) throws(DeskError) -> DeskResult.Placements {
        let request = (try? ServiceStore.json(asked)) ?? ""
        if let key, let earlier = answers[key] {
            guard earlier.request == request else { throw .keyReused(key) }
            return DeskResult.Placements(placements: earlier.placements.placements, replayed: true)
        }
        guard !records.isEmpty else { throw .invalid("no VMs to place", field: "vms") }
        var new: [VM] = [], seen = Set<String>()
        for record in records {
            do { new.append(try record.vm()) } catch { throw .record(error, "vm '\(record.id)'", vm: record.id) }
            guard seen.insert(record.id).inserted else { throw .invalid("vm '\(record.id)' appears twice in the request", field: "id", vm: record.id) }
            try refuseIfNotOwned(record.id, by: caller)
            if let placed = vm(named: record.id)?.currentHost {
                throw .conflict("vm '\(record.id)' is already placed on '\(placed)': release it first (DELETE /placements/\(record.id))", vm: record.id)
            }
        }
        let owners = owners(of: new.map(\.id), by: caller)
        try refuseOverQuota(running: new, owners: owners)
        let before = standingViolations()
        let indices = engineIndices(new)
        let (round, gated) = try placeRound(new, indices, owners: owners)
        // The validator has the last word, whatever the rater decided. It judges the hosts
        // these VMs went to from scratch, or everything where a rule spans hosts (affinity,
        // N+k) or the standing placement already breaks one.
        let wholly = !before.isEmpty || rules.reserve > 0 || new.contains { !$0.affinity.isEmpty }
        let judged = PlanValidator.violations(of: Placement(wholly ? engine!.entries() : engine!.entries(on: round.touched)), in: engine!.problem)
        if let broken = judged.added(since: before).first {
            engine!.undo(round)
            throw .validationFailed(broken)
        }
        let placed = round.placed.map { DeskResult.Placed(vm: $0.vm, host: $0.host!, stars: $0.ratings[0].stars, reason: $0.ratings[0].reason) }
        let result = DeskResult.Placements(placements: placed)
        let running = zip(new, placed).map { vm, p in
            var vm = vm
            vm.currentHost = p.host
            return vm
        }
        // Quotas per cluster have the last word too: where the VMs went is counted against them.
        if gated { do { try refuseOverQuota(running: running, owners: owners) } catch {
            engine!.undo(round)
            throw error
        } }
        var change = ServiceStore.Change()
        change.vms = records
        change.placements = placed.map { ($0.vm, $0.host) }
        change.owners = owners.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        if let key { change.answer = (key, ServiceStore.StoredAnswer(request: request, placements: result)) }
        do {
            try commit(change, .placed(running, judged: wholly ? Set(judged) : nil)) { c in
                for (id, owner) in owners { c.own(id, by: owner) }
                c.put(running)
            }
        } catch {
            engine!.undo(round)
            throw error
        }
        if let key, let stored = change.answer?.1 { answers[key] = stored }
        return result
    }

    /// Places the VMs one by one, all or none. A tenant with quotas per cluster has each VM
    /// kept out of the clusters it would take past theirs, counting the request's earlier
    /// VMs; a VM that fits only there is a quota refusal, with that cluster's numbers.
    private func placeRound(_ new: [VM], _ indices: [Int], owners: [String: String]) throws(DeskError) -> (IncrementalPlacer.Round, gated: Bool) {
        let owned = state.read { c in new.map { owners[$0.id] ?? c.owners[$0.id] } }
        let gated = owned.contains { $0.flatMap { tenancy.tenant($0)?.quota.clusters }?.isEmpty == false }
        let problem = engine!.problem
        let vmOf = Dictionary(uniqueKeysWithValues: zip(indices, zip(new, owned)))
        func earlier(_ soFar: IncrementalPlacer.Round) -> [VM] {
            soFar.placed.compactMap { s in
                guard let host = s.host, var vm = new.first(where: { $0.id == s.vm }) else { return nil }
                vm.currentHost = host
                return vm
            }
        }
        let round = engine!.placeOneByOne(indices, goal: goal, allOrNone: true, gate: gated ? { v, soFar in
            self.clusterGate(for: vmOf[v]!.0, owner: vmOf[v]!.1, earlier: earlier(soFar), problem: problem)
        } : nil)
        guard let (id, first) = round.refused else { return (round, gated) }
        if gated, let v = engine!.problem.vm(named: id), let (vm, owner) = vmOf[v], let owner, let quota = tenancy.tenant(owner)?.quota,
           let open = engine!.rater.best(v, goal: goal), let h = problem.host(named: open.host) {
            // Some host would take it but for the quota: the refusal names that cluster's limit.
            let cluster = problem.hosts[h].cluster
            let use = clusterUse(of: owner, with: earlier(round), problem: problem)[cluster] ?? TenantUse()
            if let refused = quota.refusal(in: cluster, now: use, after: use + TenantUse(vm)) { throw .quotaExceeded(refused, tenant: owner) }
        }
        throw .conflict("vm '\(id)': no host can take it: \(first.map { "on '\($0.host)': \($0.reason)" } ?? "there are no hosts"); nothing was placed",
                        rule: first?.rule ?? .capacity, vm: id)
    }

    /// Releases a VM's placement (the VM stays in the inventory).
    public func release(_ id: String, as caller: Caller = .estate) throws(DeskError) -> DeskResult.Released {
        guard let vm = visible(id, to: caller) else { throw .notFound("no VM '\(id)'") }
        guard let host = vm.currentHost else { throw .notFound("vm '\(id)' is not placed") }
        var change = ServiceStore.Change()
        change.placements = [(id, nil)]
        try commit(change, .released(id)) { $0.setHost(of: id, nil) }
        return DeskResult.Released(released: id, host: host)
    }
}
