import Hostfit

/// Hosts, VMs and profiles put and deleted: each change is refused where the validator
/// finds it would break a placement that stands (a host shrunk under its VMs, a VM grown
/// past its host), and committed whole otherwise.
extension PlacementDesk {
    /// Loads hosts, VMs (on their `currentHost`) and, when given, profiles replacing every
    /// stored one, in one transaction after the validator accepts the placement they make.
    /// (`hint` adds what the operator can do about a broken rule.)
    func load(hosts newHosts: [VMHost], vms newVMs: [VM], profiles: [String: ServiceProfile]? = nil, usage: [String: TracedUsage]? = nil,
              as caller: Caller = .estate, hint: (Violation) -> String = { _ in "" }) throws(DeskError) {
        for vm in newVMs { try refuseIfNotOwned(vm.id, by: caller) }
        let owners = owners(of: newVMs.map(\.id), by: caller)
        try refuseOverQuota(running: newVMs.filter { $0.currentHost != nil }, owners: owners)
        var next = demand
        if let profiles {
            guard Set(profiles.values.map(\.scheme)).count <= 1 else {
                throw .invalid("profiles fold time in different ways: give them all by hour of day or all by hour of week")
            }
            let ids = state.read { c in Set(c.vmOrder) }.union(newVMs.map(\.id))
            next.profiles = profiles.filter { ids.contains($0.key) }
        }
        if let broken = Self.violations(problem(hosts: newHosts, vms: newVMs, sizing: next)).first {
            throw .conflict("the current placement breaks a rule: \(broken.message)\(hint(broken))", rule: broken.rule)
        }
        var change = ServiceStore.Change()
        change.hosts = newHosts.map(HostRecord.init)
        change.vms = newVMs.map(VMRecord.init)
        change.placements = newVMs.map { ($0.id, $0.currentHost) }
        if profiles != nil {
            change.replaceProfiles = true
            change.profiles = next.profiles.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        }
        change.owners = owners.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        change.usage = usage
        resize(next)
        try commit(change, .reshaped) { c in
            for (id, owner) in owners { c.own(id, by: owner) }
            c.put(newHosts)
            c.put(newVMs)
            c.demand = next
            if let usage { c.usage = usage }
        }
    }

    public func putHosts(_ records: [HostRecord]) throws(DeskError) -> DeskResult.Loaded {
        var hosts: [VMHost] = []
        for record in records {
            do { hosts.append(try record.host()) } catch { throw .record(error, "host '\(record.id)'") }
        }
        // A host may shrink only as far as the VMs on it still fit.
        try refuseIfBreaking(problem(hosts: hosts))
        var change = ServiceStore.Change()
        change.hosts = records
        try commit(change, .reshaped) { $0.put(hosts) }
        return DeskResult.Loaded(hosts: records.count)
    }

    /// Hosts from a file (hosts.csv, RVTools): checked as records are, then put as records.
    public func putHosts(_ read: InputRead<VMHost>, source: String = "body") throws(DeskError) -> DeskResult.Loaded {
        let (records, notes) = try Self.checked(read, source: source)
        _ = try putHosts(records)
        return DeskResult.Loaded(hosts: records.count, format: read.format, notes: notes)
    }

    /// A file's hosts as records the service keeps, with what to tell the operator; or what
    /// is wrong with the first that is wrong (`source:LINE`).
    static func checked(_ read: InputRead<VMHost>, source: String) throws(DeskError) -> ([HostRecord], [String]) {
        var records: [HostRecord] = []
        for host in read.items {
            let record = HostRecord(host)
            do { _ = try record.host() } catch { throw .record(error, "\(source):\(read.lines[host.id] ?? 0): host '\(host.id)'") }
            records.append(record)
        }
        var notes = read.notes
        let curved = read.items.filter { !$0.powerCurve.isEmpty }.count
        if curved > 0 { notes.append("\(curved) hosts have a power_curve: the service keeps their power_idle_w and power_max_w only") }
        return (records, notes)
    }

    public func deleteHost(_ id: String) throws(DeskError) -> DeskResult.Deleted {
        let (known, placed) = state.read { c in (c.hosts[id] != nil, c.vmOrder.filter { c.vms[$0]?.currentHost == id }) }
        guard known else { throw .notFound("no host '\(id)'") }
        guard placed.isEmpty else {
            throw .conflict("host '\(id)' runs \(placed.count) VMs (\(placed.sorted().prefix(5).joined(separator: ", "))): release them first")
        }
        var change = ServiceStore.Change()
        change.deletedHosts = [id]
        try commit(change, .reshaped) { $0.removeHost(id) }
        return DeskResult.Deleted(deleted: id)
    }

    public func putVMs(_ records: [VMRecord], as caller: Caller = .estate) throws(DeskError) -> DeskResult.Loaded {
        let records = pooled(records, for: caller)
        return try sizingFirst(records.compactMap { try? $0.vm() }) { () throws(DeskError) in try puttingVMs(records, as: caller) }
    }

    private func puttingVMs(_ records: [VMRecord], as caller: Caller) throws(DeskError) -> DeskResult.Loaded {
        var updated: [VM] = []
        for record in records {
            try refuseIfNotOwned(record.id, by: caller)
            do { updated.append(try record.vm(on: vm(named: record.id)?.currentHost)) } catch {
                throw .record(error, "vm '\(record.id)'", vm: record.id)
            }
        }
        let owners = owners(of: updated.map(\.id), by: caller)
        // A placed VM may grow only as far as its host, and its tenant's quota, still hold it.
        try refuseOverQuota(running: updated.filter { $0.currentHost != nil }, owners: owners)
        try refuseIfBreaking(problem(vms: updated))
        var change = ServiceStore.Change()
        change.vms = records
        change.owners = owners.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        try commit(change, .reshaped) { c in
            for (id, owner) in owners { c.own(id, by: owner) }
            c.put(updated)
        }
        return DeskResult.Loaded(vms: records.count)
    }

    /// VMs from a file (vms.csv, RVTools), where they run: a host the file names is where the
    /// VM runs now (the validator must accept it there); where it names none, a VM the service
    /// has placed stays placed. A VM "like" another takes that one's measured demand now.
    /// With `profiles` (traces read at start), those replace the stored ones, in the same
    /// transaction and under the same check.
    public func putVMs(_ read: InputRead<VM>, profiles: [String: ServiceProfile]? = nil, as caller: Caller = .estate) throws(DeskError) -> DeskResult.Loaded {
        var read = read
        if !caller.seesAll, let tags = caller.tenant.flatMap({ tenancy.tenant($0)?.hostTags }) {
            for k in read.items.indices { read.items[k].requires.formUnion(tags) }
        }
        return try sizingFirst(InventoryCheck.reconcile(read, vmFile: "body", hosts: hostList, hostFile: "hosts").vms,
                               profiled: ServiceProfile.withCPU(profiles ?? [:])) { () throws(DeskError) in
            try puttingVMs(read, profiles: profiles, as: caller)
        }
    }

    /// `newHosts` are loaded with the VMs, in the same transaction; `usage` replaces what
    /// traces said of use.
    func puttingVMs(_ read: InputRead<VM>, profiles: [String: ServiceProfile]?, usage: [String: TracedUsage]? = nil, adding newHosts: [VMHost] = [],
                    source: String = "body", hostsName: String = "the service's hosts", as caller: Caller = .estate) throws(DeskError) -> DeskResult.Loaded {
        // As the CLI reads them: a host name only a domain away is matched, a VM on an unknown
        // host is taken as not running (said in a note); a pinned one is refused below.
        let hosts = merged(newHosts)
        let known = Set(hosts.map(\.id))
        var (list, notes) = InventoryCheck.reconcile(read, vmFile: source, hosts: hosts, hostFile: hostsName)
        notes = read.notes + notes
        func line(_ id: String) -> String { "\(source):\(read.lines[id] ?? 0)" }
        do { try VM.resolveLikes(&list) { visible($0, to: caller) } } catch {
            throw .invalid("\(line(error.vm)): VM '\(error.vm)' is like '\(error.like)', which is neither in the file nor in the service", field: "like", vm: error.vm)
        }
        var profiles = profiles
        for k in list.indices {
            let id = list[k].id
            // The service keeps demand, not the likeness: the model's profile becomes its own.
            if let like = list[k].demandLike {
                if profiles != nil { profiles![id] = profiles![id] ?? profiles![like] }
                list[k].demandLike = nil
            }
            if list[k].currentHost == nil { list[k].currentHost = vm(named: id)?.currentHost }
            if let host = list[k].currentHost, !known.contains(host) {
                throw .invalid("\(line(id)): VM '\(id)' runs on '\(host)', which is not a host of the service, and it is pinned there: PUT /hosts first", field: "host", vm: id)
            }
            do { _ = try VMRecord(list[k]).vm(on: list[k].currentHost) } catch { throw .record(error, "\(line(id)): vm '\(id)'", vm: id) }
        }
        let unmeasured = demand.cpu == .used && !list.contains { CPUSizing.states($0) || profiles?[$0.id] != nil }
        try load(hosts: newHosts, vms: list, profiles: profiles, usage: usage, as: caller) { broken in
            guard unmeasured, broken.rule == .capacity, broken.resource == .cpu else { return "" }
            return " (no VM here states CPU use, and this store plans CPU as used, so each vCPU counts as a busy core of the fastest host: start serve with --vcpu-ratio N to plan vCPUs against cores, or give cpu_mhz or cpu_pct)"
        }
        return DeskResult.Loaded(vms: list.count, placed: list.count { $0.currentHost != nil }, format: read.format, notes: notes)
    }

    /// Hourly profiles for the VMs the service has (traces read at start), replacing the
    /// stored ones once the validator accepts the placement on them.
    public func putProfiles(_ profiles: [String: ServiceProfile], usage: [String: TracedUsage]? = nil) throws(DeskError) -> DeskResult.Loaded {
        try load(hosts: [], vms: [], profiles: profiles, usage: usage)
        return DeskResult.Loaded(profiles: demand.profiles.count)
    }

    public func deleteVM(_ id: String, as caller: Caller = .estate) throws(DeskError) -> DeskResult.Deleted {
        guard let vm = visible(id, to: caller) else { throw .notFound("no VM '\(id)'") }
        var change = ServiceStore.Change()
        change.deletedVMs = [id]
        // The store drops its profile with it; a VM later put under this id has none.
        var next = demand
        next.profiles[id] = nil
        let effect: Effect = next != demand ? .reshaped : vm.currentHost != nil ? .released(id) : .loadsUnchanged
        resize(next)
        try commit(change, effect) { c in
            c.removeVM(id)
            c.demand = next
        }
        return DeskResult.Deleted(deleted: id)
    }
}
