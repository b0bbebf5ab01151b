import Foundation
import Hostfit

/// What the service answers: an HTTP status and a JSON body.
public struct ServiceAnswer: Sendable, Equatable {
    public var status: Int
    public var body: String
    /// An idempotent retry answered from the store: nothing was done again.
    public var replayed = false

    static func json<T: Encodable>(_ status: Int, _ value: T) -> ServiceAnswer {
        // Encoding plain records cannot fail.
        ServiceAnswer(status: status, body: (try? ServiceStore.json(value)) ?? "{}")
    }

    static func error(_ status: Int, _ message: String, field: String? = nil, vm: String? = nil, rule: String? = nil) -> ServiceAnswer {
        json(status, ErrorBody(error: message, field: field, vm: vm, rule: rule))
    }

    struct ErrorBody: Encodable {
        var error: String
        var field: String?
        var vm: String?
        var rule: String?
    }
}

/// The live inventory of one service: hosts, VMs and where each runs. An actor, so
/// placements are serialized: each one rates hosts on the loads the placements before it
/// left, is checked by the validator, and is committed to the store before it is answered.
/// Concurrent requests can therefore never oversubscribe a host.
public actor PlacementDesk {
    let store: ServiceStore
    let headroom: Headroom
    let rules: PlacementRules
    let goal: PlacementGoal
    /// How VMs become demand: CPU used or allocated, hourly profiles (see `ServiceDemand`).
    public private(set) var demand: ServiceDemand
    /// Whether the store's CPU sizing is settled (kept in it, or chosen at start); until then
    /// the first VMs to arrive settle it.
    private var cpuDecided = true
    /// The sizing the store holds, if any.
    private var storedCPU: ServiceDemand.CPU?

    private var hostOrder: [String] = []
    private var hosts: [String: VMHost] = [:]
    private var vmOrder: [String] = []
    /// Each VM with `currentHost` set where it is placed.
    private var vms: [String: VM] = [:]
    private var answers: [String: ServiceStore.StoredAnswer] = [:]
    /// What the validator says of the placement as it stands (normally nothing; a stricter
    /// --headroom on restart may leave some), kept from the last check so that a placement
    /// validates once; nil after a change that needs it checked again.
    private var standing: Set<String>?
    /// The inventory as a problem with its loads, grown by each placement; nil after a change
    /// to hosts or VMs, built anew when next needed.
    private var engine: PlacementEngine?

    public init(store: ServiceStore, headroom: Headroom = Headroom(), rules: PlacementRules = PlacementRules(),
                goal: PlacementGoal = .balance) throws {
        self.store = store
        self.headroom = headroom
        self.rules = rules
        self.goal = goal
        let contents = try store.load()
        for record in contents.hosts {
            let host = try record.host()
            hostOrder.append(host.id)
            hosts[host.id] = host
        }
        for record in contents.vms {
            vmOrder.append(record.id)
            vms[record.id] = try record.vm(on: contents.placements[record.id])
        }
        answers = contents.answers
        storedCPU = contents.settings["cpu"].flatMap(ServiceDemand.CPU.init(stored:))
        let ids = Set(vmOrder)
        demand = ServiceDemand(cpu: storedCPU ?? .used, profiles: contents.profiles.filter { ids.contains($0.key) })
    }

    /// Settles how CPU is sized (`ServiceDemand.choose`) before the first load, and keeps it
    /// in the store; returns the note for the operator. A store with no VMs yet, given no
    /// --vcpu-ratio, leaves it to the first VMs it gets (loaded or placed).
    public func chooseCPU(given: Double??, startingWith read: InputRead<VM>?, on hostsRead: InputRead<VMHost>? = nil,
                          profiled: Set<String> = []) throws -> String {
        let stored = storedCPU
        let hostList = merged(hostsRead?.items ?? [])
        // Where the file's VMs run, as the load will take it.
        let files = read.map { InventoryCheck.reconcile($0, vmFile: "body", hosts: hostList, hostFile: "hosts").vms } ?? []
        let known = vmOrder.compactMap { vms[$0] } + files
        if given == nil, stored == nil, known.isEmpty {
            cpuDecided = false
            return "CPU sizing is left to the first VMs loaded or placed: allocated vCPUs per core (at least 4:1) when they state no CPU use, else as used; --vcpu-ratio N or off chooses now"
        }
        let (cpu, note) = ServiceDemand.choose(given: given, stored: stored, vms: known, hosts: hostList,
                                               profiled: profiled.union(ServiceProfile.withCPU(demand.profiles)))
        var change = ServiceStore.Change()
        change.settings = ["cpu": cpu.stored]
        try store.commit(change)
        storedCPU = cpu
        cpuDecided = true
        demand.cpu = cpu
        standing = nil
        engine = nil
        return note
    }

    /// Runs `body` with CPU sized for `new` where the store has no VMs and no sizing yet,
    /// keeping that sizing once `body` succeeds (`keep`); as it was otherwise.
    /// (`new` is only worked out when it counts: placements are a hot path.)
    private func sizingFirst(_ new: @autoclosure () -> [VM], keep: Bool = true, profiled: Set<String> = [], _ body: () -> ServiceAnswer) -> ServiceAnswer {
        guard !cpuDecided, vms.isEmpty else { return body() }
        let new = new()
        guard !new.isEmpty else { return body() }
        let before = demand.cpu
        let cpu = ServiceDemand.choose(given: nil, stored: nil, vms: new, hosts: hostOrder.compactMap { hosts[$0] }, profiled: profiled).cpu
        if cpu != before { demand.cpu = cpu; engine = nil; standing = nil }
        let answer = body()
        if keep, (200..<300).contains(answer.status) {
            var change = ServiceStore.Change()
            change.settings = ["cpu": cpu.stored]
            // Not kept, the next start chooses from the same VMs the same way.
            if (try? store.commit(change)) != nil { storedCPU = cpu; cpuDecided = true }
        } else if cpu != before {
            demand.cpu = before
            engine = nil
            standing = nil
        }
        return answer
    }

    // MARK: reads

    public struct Counts: Codable, Sendable {
        public var hosts: Int
        public var vms: Int
        public var placed: Int
        /// How CPU is planned: "used" or "allocated" (at `vcpu_ratio` per core); "undecided"
        /// until the first VMs of an empty store settle it.
        public var cpu: String
        public var vcpuRatio: Double?
        /// VMs with an hourly profile, and the hours it holds (1: static demand only).
        public var profiled: Int
        public var buckets: Int

        enum CodingKeys: String, CodingKey { case hosts, vms, placed, cpu, vcpuRatio = "vcpu_ratio", profiled, buckets }
    }

    public func counts() -> Counts {
        var ratio: Double?
        if case .allocated(let r) = demand.cpu { ratio = r }
        return Counts(hosts: hosts.count, vms: vms.count, placed: vms.values.count { $0.currentHost != nil },
                      cpu: !cpuDecided ? "undecided" : ratio == nil ? "used" : "allocated", vcpuRatio: ratio, profiled: demand.profiles.count, buckets: demand.buckets)
    }

    public func hostList() -> [HostRecord] { hostOrder.compactMap { hosts[$0].map(HostRecord.init) } }
    public func host(_ id: String) -> HostRecord? { hosts[id].map(HostRecord.init) }

    struct PlacedVM: Encodable, Sendable {
        var vm: VMRecord
        var host: String?
        func encode(to encoder: Encoder) throws {
            try vm.encode(to: encoder)
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(host, forKey: .host)
        }
        enum Key: String, CodingKey { case host }
    }

    func vmList() -> [PlacedVM] { vmOrder.compactMap { vms[$0].map { PlacedVM(vm: VMRecord($0), host: $0.currentHost) } } }
    func vm(_ id: String) -> PlacedVM? { vms[id].map { PlacedVM(vm: VMRecord($0), host: $0.currentHost) } }

    public func placements() -> [String: String] {
        Dictionary(uniqueKeysWithValues: vms.values.compactMap { vm in vm.currentHost.map { (vm.id, $0) } })
    }

    // MARK: the problem as it stands

    /// The inventory as it stands, for a consolidation plan: every VM, placed ones on their hosts.
    public func snapshot() -> PlacementProblem { problem() }

    /// The inventory as a placement problem, with `extra` VMs added unplaced (or replacing
    /// known unplaced VMs of the same id).
    func problem(hosts newHosts: [String: VMHost]? = nil, adding extra: [VM] = []) -> PlacementProblem {
        let hostMap = newHosts ?? hosts
        var order = hostOrder
        if newHosts != nil { for id in hostMap.keys.sorted() where hosts[id] == nil { order.append(id) } }
        let replaced = Set(extra.map(\.id))
        let inventory = vmOrder.filter { !replaced.contains($0) }.compactMap { vms[$0] } + extra
        return demand.problem(Inventory(hosts: order.compactMap { hostMap[$0] }, vms: inventory), headroom: headroom, rules: rules)
    }

    /// Violations the placements of `problem` have (with `extra` placed too).
    static func violations(_ problem: PlacementProblem, extra: [Placement.Entry] = []) -> [Violation] {
        let entries = problem.vms.compactMap { vm in vm.currentHost.map { Placement.Entry(vm: vm.id, host: $0) } } + extra
        return PlanValidator.violations(of: Placement(entries), in: problem)
    }

    /// The violations of `next` (with `extra` placed) that the placement as it stands does
    /// not already have: what a change would break.
    private func newViolations(_ next: PlacementProblem, extra: [Placement.Entry] = []) -> (new: [Violation], all: [Violation]) {
        let before = standingViolations()
        let all = Self.violations(next, extra: extra)
        return (all.filter { !before.contains($0.message) }, all)
    }

    /// What the validator says of the placement as it stands, from the last check where it can.
    private func standingViolations() -> Set<String> {
        if let standing { return standing }
        let found = withEngine { PlanValidator.violations(of: Placement($0.entries()), in: $0.problem) }
        standing = Set(found.map(\.message))
        return standing!
    }

    /// Runs `body` on the engine, built first where a change (or many VMs left behind) asks.
    private func withEngine<T>(_ body: (inout PlacementEngine) -> T) -> T {
        if let built = engine, built.problem.vmCount - vms.count > max(1024, vms.count) { engine = nil }
        if engine == nil {
            engine = PlacementEngine(hosts: hostOrder.compactMap { hosts[$0] }, vms: vmOrder.compactMap { vms[$0] },
                                     headroom: headroom, rules: rules, demand: demand)
        }
        return body(&engine!)
    }

    /// Indices of `new` in the engine, built anew with them where they cannot be appended.
    private func engineIndices(_ new: [VM]) -> [Int] {
        if let found = withEngine({ $0.indices(for: new) }) { return found }
        let replaced = Set(new.map(\.id))
        engine = PlacementEngine(hosts: hostOrder.compactMap { hosts[$0] },
                                 vms: vmOrder.filter { !replaced.contains($0) }.compactMap { vms[$0] } + new,
                                 headroom: headroom, rules: rules, demand: demand)
        // Unplaced and unchanged in a problem just built from them: found without appending.
        return engine!.indices(for: new)!
    }

    /// The 409 for a change to hosts or VMs that would break a placement.
    private func refusalIfBreaking(_ next: PlacementProblem) -> ServiceAnswer? {
        guard let broken = newViolations(next).new.first else { return nil }
        return .error(409, "the change would break a placement: \(broken.message)", rule: broken.rule.rawValue)
    }

    // MARK: hosts and VMs

    /// Commits `change`; the 500 to answer when the store refuses it (memory then stays as it was).
    /// (The placement changes with it: what it breaks is checked again next time.)
    private func commit(_ change: ServiceStore.Change) -> ServiceAnswer? {
        do { try store.commit(change) } catch { return .error(500, "store: \(error); nothing changed") }
        standing = nil
        engine = nil
        return nil
    }

    /// Takes a VM off its host in the engine, after the store released it. Without N+k a VM
    /// leaving breaks nothing, so a clean standing stays clean; with it, one host fewer in
    /// use can leave the rest short (what the next check finds).
    private func unplaced(_ id: String) {
        if let v = engine?.placed(id) { engine!.unplace(v) } else { engine = nil }
        if standing?.isEmpty == false || rules.reserve > 0 { standing = nil }
    }

    public func allHosts() -> [VMHost] { hostOrder.compactMap { hosts[$0] } }

    /// The service's hosts with `new` put over them (same id: the new one), new ones last.
    private func merged(_ new: [VMHost]) -> [VMHost] {
        let byID = Dictionary(new.map { ($0.id, $0) }, uniquingKeysWith: { _, b in b })
        return hostOrder.compactMap { byID[$0] ?? hosts[$0] } + new.filter { hosts[$0.id] == nil }
    }

    /// Every VM of the inventory, placed ones with their `currentHost`.
    public func allVMs() -> [VM] { vmOrder.compactMap { vms[$0] } }

    /// Loads an inventory (hosts.csv, vms.csv with their current hosts) in one transaction,
    /// after the validator accepts its placement; returns what is wrong otherwise. `profiles`,
    /// when given, replace every hourly profile the store holds.
    public func load(hosts newHosts: [VMHost], vms newVMs: [VM], profiles: [String: ServiceProfile]? = nil) -> String? {
        var hostMap = hosts
        for host in newHosts { hostMap[host.id] = host }
        var known = vms
        for vm in newVMs { known[vm.id] = vm }
        let inventory = Inventory(hosts: hostOrder.compactMap { hostMap[$0] } + newHosts.filter { hosts[$0.id] == nil },
                                  vms: vmOrder.compactMap { known[$0] } + newVMs.filter { vms[$0.id] == nil })
        var next = demand
        if let profiles {
            guard Set(profiles.values.map(\.scheme)).count <= 1 else { return "profiles fold time in different ways: give them all by hour of day or all by hour of week" }
            let ids = Set(inventory.vms.map(\.id))
            next.profiles = profiles.filter { ids.contains($0.key) }
        }
        let problem = next.problem(inventory, headroom: headroom, rules: rules)
        if let broken = Self.violations(problem).first { return "the current placement breaks a rule: \(broken.message)" }
        var change = ServiceStore.Change()
        change.hosts = newHosts.map(HostRecord.init)
        change.vms = newVMs.map(VMRecord.init)
        change.placements = newVMs.map { ($0.id, $0.currentHost) }
        if profiles != nil {
            change.replaceProfiles = true
            change.profiles = next.profiles.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        }
        do { try store.commit(change) } catch { return "store: \(error)" }
        demand = next
        standing = nil
        engine = nil
        for host in newHosts where hosts[host.id] == nil { hostOrder.append(host.id) }
        for vm in newVMs where vms[vm.id] == nil { vmOrder.append(vm.id) }
        hosts = hostMap
        vms = known
        return nil
    }

    public func putHosts(_ records: [HostRecord]) -> ServiceAnswer {
        var next = hosts
        for record in records {
            do { next[record.id] = try record.host() } catch { return .error(400, "host '\(record.id)': \(error.message)", field: error.field) }
        }
        // A host may shrink only as far as the VMs on it still fit.
        if let refusal = refusalIfBreaking(problem(hosts: next)) { return refusal }
        var change = ServiceStore.Change()
        change.hosts = records
        if let failed = commit(change) { return failed }
        for record in records where hosts[record.id] == nil { hostOrder.append(record.id) }
        hosts = next
        return .json(200, ["hosts": records.count])
    }

    /// Hosts from a file (hosts.csv, RVTools): checked as records are, then put as records.
    public func putHosts(_ read: InputRead<VMHost>) -> ServiceAnswer {
        let records: [HostRecord], notes: [String]
        switch Self.checked(read, source: "body") {
        case .failure(let refusal): return refusal.answer
        case .success(let good): (records, notes) = good
        }
        let answer = putHosts(records)
        guard answer.status == 200 else { return answer }
        return .json(200, ["hosts": AnyEncodable(records.count), "format": AnyEncodable(read.format), "notes": AnyEncodable(notes)])
    }

    struct Refusal: Error { var answer: ServiceAnswer }

    /// A file's hosts as records the service keeps, with what to tell the operator; or the
    /// 400 for the first that is wrong (`source:LINE`).
    static func checked(_ read: InputRead<VMHost>, source: String) -> Result<([HostRecord], [String]), Refusal> {
        var records: [HostRecord] = []
        for host in read.items {
            let record = HostRecord(host)
            do { _ = try record.host() } catch {
                return .failure(Refusal(answer: .error(400, "\(source):\(read.lines[host.id] ?? 0): host '\(host.id)': \(error.message)", field: error.field)))
            }
            records.append(record)
        }
        var notes = read.notes
        let curved = read.items.filter { !$0.powerCurve.isEmpty }.count
        if curved > 0 { notes.append("\(curved) hosts have a power_curve: the service keeps their power_idle_w and power_max_w only") }
        return .success((records, notes))
    }

    /// The inventory to start with, hosts and VMs (and profiles) in one transaction, after
    /// the validator accepts it: a start that fails leaves the store as it was. Errors and
    /// notes name the files (`hostsName:LINE`, `vmsName:LINE`).
    public func loadInventory(hosts hostsRead: InputRead<VMHost>, vms vmsRead: InputRead<VM>, profiles: [String: ServiceProfile]? = nil,
                              hostsName: String, vmsName: String) -> ServiceAnswer {
        let records: [HostRecord], hostNotes: [String]
        switch Self.checked(hostsRead, source: hostsName) {
        case .failure(let refusal): return refusal.answer
        case .success(let good): (records, hostNotes) = good
        }
        let newHosts = records.compactMap { try? $0.host() }
        let answer = sizingFirst(InventoryCheck.reconcile(vmsRead, vmFile: vmsName, hosts: merged(newHosts), hostFile: hostsName).vms,
                                 profiled: ServiceProfile.withCPU(profiles ?? [:])) {
            puttingVMs(vmsRead, profiles: profiles, adding: newHosts, source: vmsName, hostsName: hostsName)
        }
        guard answer.status == 200 else { return answer }
        let object = (try? JSONSerialization.jsonObject(with: Data(answer.body.utf8))) as? [String: Any] ?? [:]
        return .json(200, ["hosts": AnyEncodable(records.count), "vms": AnyEncodable(object["vms"] as? Int ?? 0),
                           "placed": AnyEncodable(object["placed"] as? Int ?? 0),
                           "notes": AnyEncodable(hostNotes + (object["notes"] as? [String] ?? []))])
    }

    public func deleteHost(_ id: String) -> ServiceAnswer {
        guard hosts[id] != nil else { return .error(404, "no host '\(id)'") }
        let placed = vms.values.filter { $0.currentHost == id }.map(\.id).sorted()
        guard placed.isEmpty else {
            return .error(409, "host '\(id)' runs \(placed.count) VMs (\(placed.prefix(5).joined(separator: ", "))): release them first")
        }
        var change = ServiceStore.Change()
        change.deletedHosts = [id]
        if let failed = commit(change) { return failed }
        hosts[id] = nil
        hostOrder.removeAll { $0 == id }
        return .json(200, ["deleted": id])
    }

    public func putVMs(_ records: [VMRecord]) -> ServiceAnswer {
        sizingFirst(records.compactMap { try? $0.vm() }) { puttingVMs(records) }
    }

    private func puttingVMs(_ records: [VMRecord]) -> ServiceAnswer {
        var updated: [VM] = []
        for record in records {
            do { updated.append(try record.vm(on: vms[record.id]?.currentHost)) } catch {
                return .error(400, "vm '\(record.id)': \(error.message)", field: error.field, vm: record.id)
            }
        }
        // A placed VM may grow only as far as its host still holds it.
        if let refusal = refusalIfBreaking(problem(adding: updated)) { return refusal }
        var change = ServiceStore.Change()
        change.vms = records
        if let failed = commit(change) { return failed }
        for vm in updated {
            if vms[vm.id] == nil { vmOrder.append(vm.id) }
            vms[vm.id] = vm
        }
        return .json(200, ["vms": records.count])
    }

    /// VMs from a file (vms.csv, RVTools), where they run: a host the file names is where the
    /// VM runs now (the validator must accept it there); where it names none, a VM the service
    /// has placed stays placed. A VM "like" another takes that one's measured demand now.
    /// With `profiles` (traces read at start), those replace the stored ones, in the same
    /// transaction and under the same check.
    public func putVMs(_ read: InputRead<VM>, profiles: [String: ServiceProfile]? = nil) -> ServiceAnswer {
        sizingFirst(InventoryCheck.reconcile(read, vmFile: "body", hosts: allHosts(), hostFile: "hosts").vms,
                    profiled: ServiceProfile.withCPU(profiles ?? [:])) { puttingVMs(read, profiles: profiles) }
    }

    /// `newHosts` are loaded with the VMs, in the same transaction.
    private func puttingVMs(_ read: InputRead<VM>, profiles: [String: ServiceProfile]?, adding newHosts: [VMHost] = [],
                            source: String = "body", hostsName: String = "the service's hosts") -> ServiceAnswer {
        // As the CLI reads them: a host name only a domain away is matched, a VM on an unknown
        // host is taken as not running (said in a note); a pinned one is refused below.
        let hostList = merged(newHosts)
        let known = Set(hostList.map(\.id))
        var (list, notes) = InventoryCheck.reconcile(read, vmFile: source, hosts: hostList, hostFile: hostsName)
        notes = read.notes + notes
        let inFile = Dictionary(list.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        func line(_ id: String) -> String { "\(source):\(read.lines[id] ?? 0)" }
        var profiles = profiles
        for k in list.indices {
            let id = list[k].id
            if let like = list[k].demandLike {
                guard let model = inFile[like] ?? vms[like], model.demandLike == nil else {
                    return .error(400, "\(line(id)): VM '\(id)' is like '\(like)', which is neither in the file nor in the service", field: "like", vm: id)
                }
                list[k].takeDemand(of: model)
                if profiles != nil { profiles![id] = profiles![id] ?? profiles![like] }
                if list[k].cpuPercent == nil, list[k].measured[.cpu] == nil { list[k].cpuPercent = model.cpuPercent }
                list[k].demandLike = nil
            }
            if list[k].currentHost == nil { list[k].currentHost = vms[id]?.currentHost }
            if let host = list[k].currentHost, !known.contains(host) {
                return .error(400, "\(line(id)): VM '\(id)' runs on '\(host)', which is not a host of the service, and it is pinned there: PUT /hosts first", field: "host", vm: id)
            }
            do { _ = try VMRecord(list[k]).vm(on: list[k].currentHost) } catch {
                return .error(400, "\(line(id)): vm '\(id)': \(error.message)", field: error.field, vm: id)
            }
        }
        if let broken = load(hosts: newHosts, vms: list, profiles: profiles) {
            let unmeasured = !list.contains { ServiceDemand.statesCPU($0) || profiles?[$0.id] != nil }
            let hint = demand.cpu == .used && unmeasured && broken.contains(" MHz cpu") ? " (no VM here states CPU use, and this store plans CPU as used, so each vCPU counts as a busy core of the fastest host: start serve with --vcpu-ratio N to plan vCPUs against cores, or give cpu_mhz or cpu_pct)" : ""
            return .error(409, broken + hint)
        }
        return .json(200, ["vms": AnyEncodable(list.count), "placed": AnyEncodable(list.count { $0.currentHost != nil }),
                           "format": AnyEncodable(read.format), "notes": AnyEncodable(notes)])
    }

    /// Hourly profiles for the VMs the service has (traces read at start), replacing the
    /// stored ones once the validator accepts the placement on them.
    public func putProfiles(_ profiles: [String: ServiceProfile]) -> ServiceAnswer {
        if let broken = load(hosts: [], vms: [], profiles: profiles) { return .error(409, broken) }
        return .json(200, ["profiles": demand.profiles.count])
    }

    public func deleteVM(_ id: String) -> ServiceAnswer {
        guard let vm = vms[id] else { return .error(404, "no VM '\(id)'") }
        var change = ServiceStore.Change()
        change.deletedVMs = [id]
        do { try store.commit(change) } catch { return .error(500, "store: \(error); nothing changed") }
        if vm.currentHost != nil { unplaced(id) }
        // The store dropped its profile with it; a VM later put under this id has none.
        if demand.profiles[id] != nil { demand.profiles[id] = nil; engine = nil }
        vms[id] = nil
        vmOrder.removeAll { $0 == id }
        return .json(200, ["deleted": id])
    }

    // MARK: ratings and placements

    struct RatingBody: Encodable {
        var host: String
        var stars: Double
        var score: Double
        var reason: String
        var rule: String?
    }

    /// The stars of `hostfit place` for one VM, on the loads as they are; nothing changes.
    public func rate(_ record: VMRecord) -> ServiceAnswer {
        let vm: VM
        do { vm = try record.vm() } catch { return .error(400, error.description, field: error.field, vm: record.id) }
        return sizingFirst([vm], keep: false) { rating(vm) }
    }

    private func rating(_ vm: VM) -> ServiceAnswer {
        if let placed = vms[vm.id]?.currentHost { return .error(409, "vm '\(vm.id)' is already placed on '\(placed)'", vm: vm.id) }
        let v = engineIndices([vm])[0]
        let ratings = engine!.rater.rate(v, goal: goal).map {
            RatingBody(host: $0.host, stars: $0.stars, score: ($0.score * 10).rounded() / 10, reason: $0.reason, rule: $0.rule?.rawValue)
        }
        return .json(200, ["vm": AnyEncodable(vm.id), "ratings": AnyEncodable(ratings)])
    }

    struct PlacedBody: Encodable {
        var vm: String
        var host: String
        var stars: Double
        var reason: String
    }

    /// Places `records` one after another, each seeing those before, all or none. With a
    /// key, a retry of the same request gets the first answer and places nothing more.
    public func place(_ records: [VMRecord], idempotencyKey key: String?) -> ServiceAnswer {
        sizingFirst(records.compactMap { try? $0.vm() }) { placing(records, idempotencyKey: key) }
    }

    private func placing(_ records: [VMRecord], idempotencyKey key: String?) -> ServiceAnswer {
        let request = (try? ServiceStore.json(records)) ?? ""
        if let key, let earlier = answers[key] {
            guard earlier.request == request else {
                return .error(422, "Idempotency-Key '\(key)' was used for another request: use a new key for new VMs")
            }
            return ServiceAnswer(status: earlier.status, body: earlier.body, replayed: true)
        }
        guard !records.isEmpty else { return .error(400, "no VMs to place", field: "vms") }
        var new: [VM] = [], seen = Set<String>()
        for record in records {
            do { new.append(try record.vm()) } catch { return .error(400, "vm '\(record.id)': \(error.message)", field: error.field, vm: record.id) }
            guard seen.insert(record.id).inserted else { return .error(400, "vm '\(record.id)' appears twice in the request", field: "id", vm: record.id) }
            if let placed = vms[record.id]?.currentHost {
                return .error(409, "vm '\(record.id)' is already placed on '\(placed)': release it first (DELETE /placements/\(record.id))", vm: record.id)
            }
        }
        let before = standingViolations()
        let indices = engineIndices(new)
        var chosen: [(v: Int, rating: HostRating)] = []
        var touched = Set<Int>()
        /// Takes this request's VMs off again: nothing of it stays in the loads.
        func undo() { for (v, _) in chosen { engine!.unplace(v) } }
        for (vm, v) in zip(new, indices) {
            guard let best = engine!.rater.best(v, goal: goal), let h = engine!.problem.host(named: best.host) else {
                let first = engine!.rater.rate(v, goal: goal).first
                undo()
                return .error(409, "vm '\(vm.id)': no host can take it: \(first.map { "on '\($0.host)': \($0.reason)" } ?? "there are no hosts"); nothing was placed",
                              vm: vm.id, rule: first?.rule?.rawValue ?? Violation.Rule.capacity.rawValue)
            }
            engine!.place(v, on: h)
            chosen.append((v, best))
            touched.insert(h)
        }
        // The validator has the last word, whatever the rater decided. It judges the hosts
        // these VMs went to from scratch, or everything where a rule spans hosts (affinity,
        // N+k) or the standing placement already breaks one.
        let wholly = !before.isEmpty || rules.reserve > 0 || new.contains { !$0.affinity.isEmpty }
        let problem = engine!.problem
        let judged = PlanValidator.violations(of: Placement(wholly ? engine!.entries() : engine!.entries(on: touched)), in: problem)
        if let broken = judged.first(where: { !before.contains($0.message) }) {
            undo()
            return .error(500, "internal error: the placement failed validation, nothing was placed: \(broken.message)", rule: broken.rule.rawValue)
        }
        let entries = chosen.map { Placement.Entry(vm: problem.vms[$0.v].id, host: $0.rating.host) }
        let body = chosen.map { PlacedBody(vm: problem.vms[$0.v].id, host: $0.rating.host, stars: $0.rating.stars, reason: $0.rating.reason) }
        let answer = ServiceAnswer.json(201, ["placements": body])
        var change = ServiceStore.Change()
        change.vms = records
        change.placements = entries.map { ($0.vm, $0.host) }
        if let key { change.answer = (key, ServiceStore.StoredAnswer(request: request, status: answer.status, body: answer.body)) }
        do { try store.commit(change) } catch {
            undo()
            return .error(500, "store: \(error); nothing was placed")
        }
        for (vm, entry) in zip(new, entries) {
            var placed = vm
            placed.currentHost = entry.host
            if vms[vm.id] == nil { vmOrder.append(vm.id) }
            vms[vm.id] = placed
        }
        if let key, let stored = change.answer?.1 { answers[key] = stored }
        if wholly { standing = Set(judged.map(\.message)) }
        return answer
    }

    /// Releases a VM's placement (the VM stays in the inventory).
    public func release(_ id: String) -> ServiceAnswer {
        guard let vm = vms[id] else { return .error(404, "no VM '\(id)'") }
        guard let host = vm.currentHost else { return .error(404, "vm '\(id)' is not placed") }
        var change = ServiceStore.Change()
        change.placements = [(id, nil)]
        do { try store.commit(change) } catch { return .error(500, "store: \(error); nothing changed") }
        unplaced(id)
        vms[id]?.currentHost = nil
        return .json(200, ["released": id, "host": host])
    }
}

/// A value of any Encodable type, for small mixed JSON objects.
struct AnyEncodable: Encodable {
    let value: any Encodable
    init(_ value: any Encodable) { self.value = value }
    func encode(to encoder: Encoder) throws { try value.encode(to: encoder) }
}
