/// Why a problem could not be built from its inputs (exit code 2 in the CLI).
public struct PlanningInputError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension PlacementProblem {
    /// Each vCPU of a VM with no measured CPU counts as a busy core of this clock: the
    /// fastest host's (owned or in the catalog), or 2,600 MHz when no host says.
    public static func mhzPerCore(hosts: [VMHost], catalog: [VMHost] = []) -> Double {
        (hosts + catalog).map(\.cpuMHzPerCore).max() ?? 2600
    }

    /// The one way to build a problem from an inventory and what traces say: the CLI and
    /// embedders alike. `vms` nil (or empty, with traces) plans every traced entity as a VM.
    /// Without `demand`, each VM's static demand (measured columns, else allocation) counts.
    /// `inputNotes` (what reading the files found) lead the problem's notes.
    public init(hosts: [VMHost], catalog: [VMHost] = [], vms: [VM]?, demand: TracedDemand? = nil,
                headroom: Headroom = Headroom(), rules: PlacementRules = PlacementRules(), inputNotes: [String] = []) throws(PlanningInputError) {
        guard !hosts.isEmpty || !catalog.isEmpty else {
            throw PlanningInputError("give --hosts, --models or both: there is nowhere to place VMs")
        }
        // A headroom for a resource nothing has is a typo ("cpus=80"), never a silent no-op.
        let declared = Set((hosts + catalog).flatMap(\.capacity.keys) + (vms ?? []).flatMap(\.measured.keys))
        let names = (Resource.standard + declared.sorted()).map(\.name)
        for resource in headroom.percent.keys.sorted() where resource.isCounted && !declared.contains(resource) {
            throw PlanningInputError("--headroom: '\(resource.name)' is not a resource here\(NameSuggestion.hint(for: resource.name, among: names)); resources: \(Array(Set(names)).sorted().joined(separator: ", "))")
        }
        let mhzPerCore = Self.mhzPerCore(hosts: hosts, catalog: catalog)
        var list = vms ?? []
        if list.isEmpty, let demand { list = demand.vms(mhzPerCore: mhzPerCore) }
        guard !list.isEmpty else {
            throw PlanningInputError("give --vms, --traces or --profiles: there is nothing to place")
        }
        // Expected CPU in percent of the VM's vCPUs, at the clock unmeasured vCPUs count at.
        for k in list.indices where list[k].measured[.cpu] == nil {
            if let pct = list[k].cpuPercent { list[k].measured[.cpu] = pct / 100 * Double(list[k].vcpus) * mhzPerCore }
        }
        // "like vm-42": that VM's demand, measured or traced.
        do { try VM.resolveLikes(&list) } catch {
            throw PlanningInputError("VM '\(error.vm)' is like '\(error.like)', which is not a VM of the inventory\(NameSuggestion.hint(for: error.like, among: list.map(\.id).sorted()))")
        }
        // No CPU use known at all (an RVTools vInfo, a vms.csv of allocations): counting each
        // vCPU as a busy core plans for every VM flat out at once, which no estate does. Plan
        // allocations instead, vCPUs against cores at today's ratio, as sizing "as on premises"
        // does (Azure Migrate); --vcpu-ratio sets another.
        var rules = rules
        var sizingNotes: [String] = []
        let cpuMeasured = list.contains { $0.measured[.cpu] != nil } || (demand?.measuredResources.contains(.cpu) ?? false)
        // The VMs keep their inventory values (a --apply must not write a made-up 0 MHz):
        // only the demand the planner sees is zero.
        // A ratio given counts as given (not as a cap on top of every vCPU busy).
        let allocationCPU = !cpuMeasured
        if allocationCPU {
            let (ratio, source) = CPUSizing.allocationRatio(given: rules.vcpusPerCore, vms: list, hosts: hosts, keepsHosts: false)
            rules.vcpusPerCore = ratio
            sizingNotes.append("no VM states CPU use (cpu_mhz or a trace): CPU is planned as allocated vCPUs, at most \(Resource.number(ratio)) per core"
                               + (source == .given ? " (--vcpu-ratio)" : (source == .usual ? " (4:1, a usual ratio for general workloads)" : " (today's ratio)") + "; --vcpu-ratio sets another")
                               + ", traces give a time-aware plan")
        }
        let inventory = Inventory(hosts: hosts, vms: list, catalog: catalog)
        if let demand {
            let traced = demand.traced
            let alike = list.filter { $0.demandLike.map(traced.contains) ?? false }.map(\.id)
            let B = demand.buckets
            self.init(inventory: inventory, headroom: headroom, rules: rules, buckets: B, traced: traced.union(alike)) { vm, resource in
                allocationCPU && resource == .cpu ? [Double](repeating: 0, count: B) : demand.demand(of: vm, resource, mhzPerCore: mhzPerCore)
            }
            if case .history(let history) = demand.source { timeline = (history.start, history.step) }
            let missing = unmeasured(demand)
            notes = inputNotes + sizingNotes + demand.notes + missing + notes
        } else {
            self.init(inventory: inventory, headroom: headroom, rules: rules, buckets: 1, traced: nil) { _, resource in
                allocationCPU && resource == .cpu ? [0] : nil
            }
            notes = inputNotes + sizingNotes + notes
        }
    }

    /// The vCPUs per core an inventory without CPU use is planned at: today's ratio (rounded
    /// up to a tenth) where it is known and above 4:1, else 4:1.
    public static func allocationRatio(vms: [VM], hosts: [VMHost]) -> Double {
        max(4, currentVCPURatio(vms: vms, hosts: hosts).map { ($0 * 10).rounded(.up) / 10 } ?? 4)
    }

    /// vCPUs per core of the hosts that run VMs today, from the VMs' current hosts; nil
    /// unless at least 80% of the VMs run on a known host (a ratio of a few is no estate's).
    static func currentVCPURatio(vms: [VM], hosts: [VMHost]) -> Double? {
        let byID = Dictionary(hosts.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var vcpus = 0, placed = 0, used = Set<String>()
        for vm in vms { if let h = vm.currentHost, byID[h] != nil { vcpus += vm.vcpus; placed += 1; used.insert(h) } }
        let cores = used.reduce(0) { $0 + byID[$1]!.cpuCores }
        guard Double(placed) >= 0.8 * Double(vms.count), cores > 0, vcpus > 0 else { return nil }
        return Double(vcpus) / Double(cores)
    }

    /// Resources the traces measure for no VM (memory on PlanetLab): planned on allocations.
    private mutating func unmeasured(_ demand: TracedDemand) -> [String] {
        let measured = demand.measuredResources
        unmeasuredResources = [Resource.cpu, .memory].filter { resources.contains($0) && !measured.contains($0) }
        return unmeasuredResources.map {
            "no trace measures \($0.name) for any VM: \($0 == .memory ? "each VM's allocated memory_mb" : "each vCPU as a busy core") is planned instead"
        }
    }
}
