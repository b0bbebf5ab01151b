import Foundation
import Hostfit

/// The live inventory of one service: hosts, VMs and where each runs. Its writes are an
/// actor's, so placements are serialized: each one rates hosts on the loads the placements
/// before it left, is checked by the validator, and is committed to the store before it is
/// answered. Concurrent requests can therefore never oversubscribe a host.
///
/// Reads do not queue here: every committed change is mirrored into `state`, which GETs
/// read under a shared lock and rating replicas follow (`PlacementDesk+Reading`).
/// Split by concern: `+Sizing` (how CPU is counted), `+Inventory` (hosts, VMs, profiles),
/// `+Placement` (place, release), `+Startup` (the files a server starts with).
public actor PlacementDesk {
    let store: ServiceStore
    let state: DeskState
    let replicas: RatingReplicas
    /// Tenants and tokens: read by the authenticator on every request, changed here.
    nonisolated let tenancy: TenantRegistry
    /// Hours a host's `cost` pays for (43,800 for a purchase written off over five years, 720
    /// for a monthly rent): GET /chargeback charges a period's share of it. Nil: as given.
    nonisolated let costHours: Double?
    /// How VMs become demand, as the desk places now; `state` mirrors it once settled.
    var demand: ServiceDemand
    /// Whether the store's CPU sizing is settled (kept in it, or chosen at start); until then
    /// the first VMs to arrive settle it.
    var cpuDecided = true
    /// The sizing the store holds, if any.
    var storedCPU: ServiceDemand.CPU?
    var answers: [String: ServiceStore.StoredAnswer] = [:]
    /// The live samples' windows (POST /samples): VMs x resources x hours, never samples.
    var live: [String: [Resource: LoadWindow]] = [:]
    /// What the validator says of the placement as it stands (normally nothing; a stricter
    /// --headroom on restart may leave some), kept from the last check so that a placement
    /// validates once; nil after a change that needs it checked again.
    var standing: Set<Violation>?
    /// The inventory as a problem with its loads, grown by each placement; nil after a change
    /// to hosts, VMs or sizing, built anew when next needed.
    var engine: IncrementalPlacer?

    var headroom: Headroom { state.headroom }
    var rules: PlacementRules { state.rules }
    var goal: PlacementGoal { state.goal }

    public init(store: ServiceStore, headroom: Headroom = Headroom(), rules: PlacementRules = PlacementRules(),
                goal: PlacementGoal = .balance, costHours: Double? = nil) throws {
        self.store = store
        self.costHours = costHours
        state = DeskState(headroom: headroom, rules: rules, goal: goal)
        replicas = RatingReplicas(count: max(1, ProcessInfo.processInfo.activeProcessorCount))
        let contents = try store.load()
        let hosts = try contents.hosts.map { try $0.host() }
        let vms = try contents.vms.map { try $0.vm(on: contents.placements[$0.id]) }
        answers = contents.answers
        live = contents.live
        tenancy = TenantRegistry(tenants: contents.tenants, tokens: contents.tokens)
        storedCPU = contents.settings["cpu"].flatMap(ServiceDemand.CPU.init(stored:))
        let ids = Set(vms.map(\.id))
        demand = ServiceDemand(cpu: storedCPU ?? .used, profiles: contents.profiles.filter { ids.contains($0.key) })
        let demand = demand
        state.write(.rebuilt) { c in
            c.owners = contents.owners
            c.usage = contents.usage
            c.sampled = Set(contents.live.keys)
            c.put(hosts)
            c.put(vms)
            c.demand = demand
        }
    }

    // MARK: committing

    /// What a committed change did, so that each cache is dropped by the change that needs it.
    enum Effect {
        /// Hosts, VMs or sizing changed: the problem is built anew and checked again.
        case reshaped
        /// VMs placed through the engine, which holds them already; `judged` is what the
        /// validator found of the whole placement, where it judged all of it.
        case placed([VM], judged: Set<Violation>?)
        /// A VM off its host (not yet taken off the engine).
        case released(String)
        /// Nothing placed moved (a VM that runs nowhere deleted).
        case loadsUnchanged
    }

    /// Commits `change` to the store, then mirrors it into what readers see (`update`), and
    /// drops what `effect` makes stale. Nothing changes where the store refuses.
    func commit(_ change: ServiceStore.Change, _ effect: Effect, _ update: (inout DeskState.Contents) -> Void) throws(DeskError) {
        do { try store.commit(change) } catch { throw .storeFailed("\(error)") }
        switch effect {
        case .reshaped:
            engine = nil
            standing = nil
            state.write(.rebuilt, update)
        case .placed(let vms, let judged):
            if let judged { standing = judged }
            state.write(.placed(vms), update)
        case .released(let id):
            // Without N+k a VM leaving breaks nothing, so a clean standing stays clean; with
            // it, one host fewer in use can leave the rest short (what the next check finds).
            if let v = engine?.placed(id) { engine!.unplace(v) } else { engine = nil }
            if standing?.isEmpty == false || rules.reserve > 0 { standing = nil }
            state.write(.released(id), update)
        case .loadsUnchanged:
            state.write(.loadsUnchanged, update)
        }
    }

    /// Changes the sizing the desk places on (not yet kept): the problem is built anew.
    func resize(_ next: ServiceDemand) {
        guard next != demand else { return }
        demand = next
        engine = nil
        standing = nil
    }

    // MARK: the problem as it stands

    var hostList: [VMHost] { state.read { $0.hostList } }
    var vmList: [VM] { state.read { $0.vmList } }
    func vm(named id: String) -> VM? { state.read { $0.vms[id] } }

    /// The inventory as it stands, for a consolidation plan: every VM, placed ones on their hosts.
    public func snapshot() -> PlacementProblem { problem() }

    /// The inventory as a placement problem: `hosts` and `vms` put over the desk's (same id:
    /// the new one, new ones last), under `sizing` (the desk's by default).
    func problem(hosts newHosts: [VMHost] = [], vms newVMs: [VM] = [], sizing: ServiceDemand? = nil) -> PlacementProblem {
        let inventory = state.read { c in
            let hostByID = Dictionary(newHosts.map { ($0.id, $0) }, uniquingKeysWith: { _, b in b })
            let vmByID = Dictionary(newVMs.map { ($0.id, $0) }, uniquingKeysWith: { _, b in b })
            return Inventory(hosts: c.hostOrder.compactMap { hostByID[$0] ?? c.hosts[$0] } + newHosts.filter { c.hosts[$0.id] == nil },
                             vms: c.vmOrder.compactMap { vmByID[$0] ?? c.vms[$0] } + newVMs.filter { c.vms[$0.id] == nil })
        }
        return (sizing ?? demand).problem(inventory, headroom: headroom, rules: rules)
    }

    /// The service's hosts with `new` put over them (same id: the new one), new ones last.
    func merged(_ new: [VMHost]) -> [VMHost] {
        let byID = Dictionary(new.map { ($0.id, $0) }, uniquingKeysWith: { _, b in b })
        return state.read { c in c.hostOrder.compactMap { byID[$0] ?? c.hosts[$0] } + new.filter { c.hosts[$0.id] == nil } }
    }

    /// Violations the placements of `problem` have.
    static func violations(_ problem: PlacementProblem) -> [Violation] {
        let entries = problem.vms.compactMap { vm in vm.currentHost.map { Placement.Entry(vm: vm.id, host: $0) } }
        return PlanValidator.violations(of: Placement(entries), in: problem)
    }

    /// What the validator says of the placement as it stands, from the last check where it can.
    func standingViolations() -> Set<Violation> {
        if let standing { return standing }
        let found = withEngine { PlanValidator.violations(of: Placement($0.entries()), in: $0.problem) }
        standing = Set(found)
        return standing!
    }

    /// The conflict for a change to hosts or VMs that would break a placement (`next` is
    /// the inventory after it).
    func refuseIfBreaking(_ next: PlacementProblem) throws(DeskError) {
        guard let broken = Self.violations(next).added(since: standingViolations()).first else { return }
        throw .conflict("the change would break a placement: \(broken.message)", rule: broken.rule)
    }

    /// Runs `body` on the engine, built first where a change (or many VMs left behind) asks.
    func withEngine<T>(_ body: (inout IncrementalPlacer) -> T) -> T {
        let live = state.read { $0.vms.count }
        if let built = engine, built.leftBehind(live: live) > max(1024, live) { engine = nil }
        if engine == nil {
            engine = demand.placer(hosts: hostList, vms: vmList, headroom: headroom, rules: rules)
        }
        return body(&engine!)
    }

    /// Indices of `new` in the engine, built anew with them where they cannot be appended.
    func engineIndices(_ new: [VM]) -> [Int] {
        if let found = withEngine({ $0.indices(for: new) }) { return found }
        let replaced = Set(new.map(\.id))
        engine = demand.placer(hosts: hostList, vms: vmList.filter { !replaced.contains($0.id) } + new, headroom: headroom, rules: rules)
        // Unplaced and unchanged in a problem just built from them: found without appending.
        return engine!.indices(for: new)!
    }
}
