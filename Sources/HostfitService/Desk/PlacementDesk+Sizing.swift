import Hostfit

/// How the desk counts CPU (`ServiceDemand.CPU`): settled once per store, kept in it, so
/// that placements made under it stay valid on restart.
extension PlacementDesk {
    /// Settles how CPU is sized (`ServiceDemand.choose`) before the first load, and keeps it
    /// in the store; returns the note for the operator. A store with no VMs yet, given no
    /// --vcpu-ratio, leaves it to the first VMs it gets (loaded or placed).
    public func chooseCPU(given: Double??, startingWith read: InputRead<VM>?, on hostsRead: InputRead<VMHost>? = nil,
                          profiled: Set<String> = []) throws(DeskError) -> String {
        let hosts = merged(hostsRead?.items ?? [])
        // Where the file's VMs run, as the load will take it.
        let files = read.map { InventoryCheck.reconcile($0, vmFile: "body", hosts: hosts, hostFile: "hosts").vms } ?? []
        let known = vmList + files
        if given == nil, storedCPU == nil, known.isEmpty {
            cpuDecided = false
            state.write(.rebuilt) { $0.cpuDecided = false }
            return "CPU sizing is left to the first VMs loaded or placed: allocated vCPUs per core (at least 4:1) when they state no CPU use, else as used; --vcpu-ratio N or off chooses now"
        }
        let (cpu, note) = ServiceDemand.choose(given: given, stored: storedCPU, vms: known, hosts: hosts,
                                               profiled: profiled.union(ServiceProfile.withCPU(demand.profiles)))
        try keep(cpu)
        return note
    }

    /// Keeps `cpu` as the store's sizing, and places on it from now on.
    func keep(_ cpu: ServiceDemand.CPU) throws(DeskError) {
        var change = ServiceStore.Change()
        change.settings = ["cpu": cpu.stored]
        var next = demand
        next.cpu = cpu
        resize(next)
        try commit(change, .reshaped) { c in
            c.demand = next
            c.cpuDecided = true
        }
        storedCPU = cpu
        cpuDecided = true
    }

    /// Runs `body` with CPU sized for `new` where the store has no VMs and no sizing yet,
    /// keeping that sizing once `body` succeeds (`keep`); as it was otherwise.
    /// (`new` is only worked out when it counts: placements are a hot path.)
    func sizingFirst<T>(_ new: @autoclosure () -> [VM], keep keeping: Bool = true, profiled: Set<String> = [],
                        _ body: () throws(DeskError) -> T) throws(DeskError) -> T {
        guard !cpuDecided, state.read({ $0.vms.isEmpty }) else { return try body() }
        let new = new()
        guard !new.isEmpty else { return try body() }
        let before = demand
        var trial = demand
        trial.cpu = ServiceDemand.choose(given: nil, stored: nil, vms: new, hosts: hostList, profiled: profiled).cpu
        resize(trial)
        do {
            let result = try body()
            // Not kept, the next start chooses from the same VMs the same way.
            if keeping { try? keep(trial.cpu) } else { resize(before) }
            return result
        } catch {
            resize(before)
            throw error
        }
    }
}
