import Hostfit

/// The desk's inventory as a placement problem with the load of every placement on it,
/// kept up to date request by request: a placement appends its VMs to the problem and adds
/// their demand to the loads, where building both anew costs O(every VM) per request.
///
/// Where a VM runs lives in `hostOf`, not in the problem's `currentHost` (which stays as the
/// VM came). Indices of VMs that left the inventory (refused, replaced by a new definition,
/// deleted) stay behind, unplaced; the desk builds the engine anew when they pile up.
struct PlacementEngine {
    private(set) var rater: HostRater
    /// Host index per VM index, `Assignment.unplaced` where not running.
    private(set) var hostOf: [Int]
    let demand: ServiceDemand

    var problem: PlacementProblem { rater.problem }

    /// Built from scratch: `vms` on their `currentHost`.
    init(hosts: [VMHost], vms: [VM], headroom: Headroom, rules: PlacementRules, demand: ServiceDemand) {
        let problem = demand.problem(Inventory(hosts: hosts, vms: vms), headroom: headroom, rules: rules)
        self.demand = demand
        rater = HostRater(problem)
        hostOf = problem.vms.map { vm in vm.currentHost.flatMap { problem.host(named: $0) } ?? Assignment.unplaced }
    }

    /// The index of each VM, to rate or place it: its own where the problem has it unplaced
    /// and unchanged, else appended. Nil, changing nothing, where the problem must be built anew.
    mutating func indices(for vms: [VM]) -> [Int]? {
        var result: [Int] = [], missing: [VM] = []
        // Looked up through `rater` each time: a second reference would make the append copy it all.
        for vm in vms {
            if let v = rater.problem.vm(named: vm.id), hostOf[v] == Assignment.unplaced, rater.problem.vms[v] == vm {
                result.append(v)
            } else {
                result.append(rater.problem.vmCount + missing.count)
                missing.append(vm)
            }
        }
        guard missing.isEmpty || rater.append(missing, demandOf: demand.demand) else { return nil }
        hostOf.append(contentsOf: repeatElement(Assignment.unplaced, count: missing.count))
        return result
    }

    mutating func place(_ v: Int, on h: Int) {
        rater.place(v, on: h)
        hostOf[v] = h
    }

    mutating func unplace(_ v: Int) {
        guard hostOf[v] != Assignment.unplaced else { return }
        rater.release(v, from: hostOf[v])
        hostOf[v] = Assignment.unplaced
    }

    /// The running VM named `id`, if it runs.
    func placed(_ id: String) -> Int? {
        problem.vm(named: id).flatMap { hostOf[$0] == Assignment.unplaced ? nil : $0 }
    }

    /// Every running VM on its host, for the validator.
    func entries() -> [Placement.Entry] { entries { _ in true } }

    /// The running VMs on `hosts`: all the validator needs to judge a change to those hosts
    /// alone, since capacity, max_vms, tags, state, pinning and anti-affinity are per host.
    /// (Affinity and N+k span hosts: changes that touch them are judged on `entries()`.)
    func entries(on hosts: Set<Int>) -> [Placement.Entry] {
        var mark = [Bool](repeating: false, count: problem.hostCount)
        for h in hosts { mark[h] = true }
        return entries { mark[$0] }
    }

    private func entries(where keep: (Int) -> Bool) -> [Placement.Entry] {
        let problem = problem
        var result: [Placement.Entry] = []
        for (v, h) in hostOf.enumerated() where h != Assignment.unplaced && keep(h) {
            result.append(Placement.Entry(vm: problem.vms[v].id, host: problem.hosts[h].id))
        }
        return result
    }
}
