/// A placement problem as solvers see it: hosts with usable capacity per resource, VMs
/// with demand per resource and time bucket, all in flat arrays indexed by position.
///
/// Built once from an inventory and a headroom; solvers never read files. Demand has
/// `buckets` points in time per resource (1 for static demand), and a host's constraint
/// is that the summed demand fits in every bucket, not that the summed peaks fit.
public struct PlacementProblem: Sendable {
    public let hosts: [VMHost]
    public internal(set) var vms: [VM]
    public let resources: [Resource]
    public let headroom: Headroom
    public let buckets: Int
    /// [host * resources.count + r]: capacity times headroom; `.infinity` where untracked.
    package let capacity: [Double]
    /// [host * resources.count + r]: capacity before headroom.
    package let rawCapacity: [Double]
    /// [(vm * resources.count + r) * buckets + b]
    package internal(set) var demand: [Double]
    /// How CPU was counted for VMs without a measured `cpu_mhz`: each vCPU as a busy core of this clock.
    public let mhzPerVCPU: Double
    /// Things the user should know about how the inputs were read (never silent drops).
    public internal(set) var notes: [String]
    /// Resources that traces measure for no VM (memory on PlanetLab): planned on allocations.
    public internal(set) var unmeasuredResources: [Resource] = []
    /// When demand is a history: bucket b is the interval at start + b x step (epoch seconds, UTC).
    public internal(set) var timeline: (start: Int64, step: Int64)?
    package let hostIndex: [String: Int]
    package internal(set) var vmIndex: [String: Int]
    /// Tags, clusters, pinning, groups, N+k: compiled once for every solver and the validator.
    package internal(set) var rules: CompiledRules
    /// What a plan minimizes first: hosts used, or their cost (when buying from a catalog,
    /// or when licences are priced; hosts already owned and without a cost are free).
    public let objective: Objective
    /// What licences cost on each host and which each VM needs (`rules.licences` compiled).
    package internal(set) var licensing: LicenceCosts
    public enum Objective: String, Sendable { case hosts, cost }
    /// Hosts that are copies of catalog models (to buy), not hosts owned today.
    package let purchasable: Set<Int>
    /// [vm * resources.count + r]: highest and lowest demand over the buckets (fast fit tests).
    package internal(set) var peak: [Double]
    package internal(set) var trough: [Double]
    /// Per host: takes VMs at all (active, max_vms not 0), and its max_vms (Int.max when none).
    /// Flat copies for the hot paths, which must not copy a Host.
    package let accepting: [Bool]
    package let vmLimit: [Int]
    public let settings: PlacementRules

    /// With `profiles`, a VM's demand is the profile's percentile in each time bucket (a VM
    /// without a profile keeps its static demand in every bucket); without, it is static.
    public init(inventory: Inventory, headroom: Headroom = Headroom(), profiles: ProfileSet? = nil, rules: PlacementRules = PlacementRules()) {
        guard let profiles else {
            self.init(inventory: inventory, headroom: headroom, rules: rules, buckets: 1, traced: nil) { _, _ in nil }
            return
        }
        let demand = TracedDemand(profiles: profiles)
        self.init(inventory: inventory, headroom: headroom, rules: rules, buckets: demand.buckets, traced: demand.traced) { vm, resource in
            demand.demand(of: vm, resource, mhzPerCore: 0)  // profile sizing needs no clock
        }
    }

    /// Demand from the history itself: the constraint holds at every moment of it.
    public init(inventory: Inventory, headroom: Headroom = Headroom(), history: DemandHistory, rules: PlacementRules = PlacementRules()) {
        let demand = TracedDemand(sizing: .history, source: .history(history))
        self.init(inventory: inventory, headroom: headroom, rules: rules, buckets: history.slots, traced: demand.traced) { vm, resource in
            demand.demand(of: vm, resource, mhzPerCore: 0)
        }
        timeline = (history.start, history.step)
    }

    /// The general form: `demandOf` gives a VM's demand for a resource in each of `buckets`
    /// time buckets, or nil for its static demand (measured, else allocated). `traced` names
    /// the VMs a trace covers, for notes; `timeline`, where the buckets are a history, when
    /// the first is and how long each lasts (epoch seconds).
    public init(inventory: Inventory, headroom: Headroom, rules: PlacementRules, buckets B: Int, traced: Set<String>?,
                timeline: (start: Int64, step: Int64)? = nil, demandOf: (VM, Resource) -> [Double]?) {
        var hosts = inventory.hosts
        let vms = inventory.vms
        var notes: [String] = []
        var resources = inventory.resources
        // A counted resource that VMs need but no host declares: every host has none of it.
        let demanded = Set(vms.flatMap { vm in vm.measured.filter { $0.value > 0 }.map(\.key) })
        for resource in demanded.subtracting(resources).sorted() {
            if resource.isCounted {
                resources.append(resource)
                notes.append("VMs need '\(resource.name)' but no host declares res_\(resource.name): no host has any")
            } else {
                notes.append("VMs state \(resource.name) demand but hosts.csv has no capacity for it: not planned")
            }
        }
        // Overcommit limits are resources too: allocations against capacity times the ratio.
        if rules.vcpusPerCore != nil { resources.append(.vcpuAllocation) }
        if rules.memoryRatio != nil { resources.append(.memoryAllocation) }
        let R = resources.count
        let mhzPerVCPU = (hosts + inventory.catalog).map(\.cpuMHzPerCore).max() ?? 0
        func fullCapacity(_ host: VMHost, _ resource: Resource) -> Double {
            if resource == .vcpuAllocation { return Double(host.cpuCores) * (rules.vcpusPerCore ?? 0) }
            if resource == .memoryAllocation { return (host.capacity[.memory] ?? 0) * (rules.memoryRatio ?? 0) }
            return host.capacity[resource] ?? (resource.isCounted ? 0 : .infinity)
        }
        var demand = [Double](repeating: 0, count: vms.count * R * B)
        var untraced: [VM] = []
        for (v, vm) in vms.enumerated() {
            if let traced, !traced.contains(vm.id) { untraced.append(vm) }
            for (r, resource) in resources.enumerated() {
                let base = (v * R + r) * B
                if resource == .vcpuAllocation || resource == .memoryAllocation {
                    let allocated = resource == .vcpuAllocation ? Double(vm.vcpus) : vm.memoryMB
                    for b in 0..<B { demand[base + b] = allocated }
                } else if let series = demandOf(vm, resource), series.count == B {
                    for b in 0..<B { demand[base + b] = series[b] }
                } else {
                    let value = vm.demand(of: resource, mhzPerVCPU: mhzPerVCPU)
                    for b in 0..<B { demand[base + b] = value }
                }
            }
        }
        if let traced {
            if !untraced.isEmpty { notes.append("\(untraced.count) VMs have no trace: planned on their static demand") }
            let ids = Set(vms.map(\.id))
            let unknown = traced.count { !ids.contains($0) }
            if unknown > 0 { notes.append("\(unknown) traced entities are not in the VM inventory: not planned") }
        }
        var purchasable = Set<Int>()
        // Models to buy become candidate hosts: as many of each as the VMs' summed peaks could
        // fill at its usable capacity, with margin (and the N+k reserve) on top.
        for model in inventory.catalog {
            var needed = 1.0
            for (r, resource) in resources.enumerated() {
                let usable = fullCapacity(model, resource) * headroom.fraction(for: resource)
                guard usable.isFinite, usable > 0 else { continue }
                var total = 0.0
                for v in 0..<vms.count { total += demand[((v * R + r) * B)..<((v * R + r) * B + B)].max() ?? 0 }
                needed = max(needed, total / usable)
            }
            // min before Int: an absurd demand must not trap the conversion.
            let copies = min(max(vms.count, 1), Int(min(needed * 1.25, 1e9).rounded(.up)) + rules.reserve + 2)
            for k in 1...copies {
                purchasable.insert(hosts.count)
                var host = model
                host.model = model.id
                host.id = "\(model.id)#\(k)"
                host.state = .active
                hosts.append(host)
            }
        }
        var capacity = [Double](repeating: 0, count: hosts.count * R)
        var raw = capacity
        for (h, host) in hosts.enumerated() {
            for (r, resource) in resources.enumerated() {
                let full = fullCapacity(host, resource)
                raw[h * R + r] = full
                capacity[h * R + r] = full * headroom.fraction(for: resource)
            }
        }
        let traced = traced ?? []
        // Only VMs whose CPU has no source at all: no measured column, no trace, no series given.
        let unmeasuredCPU = vms.filter { $0.measured[.cpu] == nil && $0.cpuPercent == nil && !traced.contains($0.id) && demandOf($0, .cpu) == nil }.count
        if unmeasuredCPU > 0 {
            notes.append("\(unmeasuredCPU) VMs have no cpu_mhz: each vCPU counts as a busy \(Resource.number(mhzPerVCPU)) MHz core (the fastest host's)")
        }
        let unmeasuredMemory = vms.filter { $0.measured[.memory] == nil && !traced.contains($0.id) && demandOf($0, .memory) == nil }.count
        if unmeasuredMemory > 0 {
            notes.append("\(unmeasuredMemory) VMs have no memory_used_mb: their allocated memory_mb is planned")
        }
        self.init(hosts: hosts, vms: vms, resources: resources, headroom: headroom, buckets: B,
                  capacity: capacity, rawCapacity: raw, demand: demand, mhzPerVCPU: mhzPerVCPU, notes: notes, rules: rules,
                  objective: inventory.catalog.isEmpty ? .hosts : .cost, purchasable: purchasable)
        self.timeline = timeline
    }

    /// The low-level form over flat arrays, for benchmark instances and tests.
    package init(hosts: [VMHost], vms: [VM], resources: [Resource], headroom: Headroom, buckets: Int,
                capacity: [Double], rawCapacity: [Double], demand: [Double], mhzPerVCPU: Double, notes: [String],
                rules: PlacementRules = PlacementRules(), objective: Objective = .hosts, purchasable: Set<Int> = []) {
        precondition(capacity.count == hosts.count * resources.count && rawCapacity.count == capacity.count)
        precondition(buckets >= 1 && demand.count == vms.count * resources.count * buckets)
        self.hosts = hosts
        self.vms = vms
        self.resources = resources
        self.headroom = headroom
        self.buckets = buckets
        self.capacity = capacity
        self.rawCapacity = rawCapacity
        self.demand = demand
        self.mhzPerVCPU = mhzPerVCPU
        self.notes = notes
        self.hostIndex = Dictionary(hosts.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.vmIndex = Dictionary(vms.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.settings = rules
        let licensing = LicenceCosts(hosts: hosts, vms: vms, licences: rules.licences)
        self.licensing = licensing
        // Priced licences make where VMs go (and which hosts run) a matter of money.
        self.objective = licensing.pricesAnything ? .cost : objective
        self.purchasable = purchasable
        self.rules = CompiledRules(hosts: hosts, vms: vms, reserve: rules.reserve)
        let R = resources.count
        var peak = [Double](repeating: 0, count: vms.count * R), trough = peak
        for k in 0..<(vms.count * R) {
            let slice = demand[(k * buckets)..<((k + 1) * buckets)]
            peak[k] = slice.max() ?? 0
            trough[k] = slice.min() ?? 0
        }
        self.peak = peak
        self.trough = trough
        self.accepting = hosts.map { $0.acceptsVMs && ($0.maxVMs ?? 1) > 0 }
        self.vmLimit = hosts.map { $0.maxVMs ?? Int.max }
    }

    public var hostCount: Int { hosts.count }
    /// Position of a host or VM by its id.
    public func host(named id: String) -> Int? { hostIndex[id] }
    public func vm(named id: String) -> Int? { vmIndex[id] }
    /// Whether host `h` is a copy of a catalog model (to buy), not a host owned today.
    public func isPurchasable(_ host: Int) -> Bool { purchasable.contains(host) }
    /// Capacity of host `h` for resource `r` before headroom (`.infinity` where untracked).
    public func fullCapacity(_ host: Int, _ r: Int) -> Double { rawCapacity[host * resources.count + r] }
    public var vmCount: Int { vms.count }
    public var resourceCount: Int { resources.count }

    @inline(__always) public func capacity(_ host: Int, _ r: Int) -> Double { capacity[host * resources.count + r] }
    @inline(__always) public func demand(_ vm: Int, _ r: Int, _ bucket: Int) -> Double {
        demand[(vm * resources.count + r) * buckets + bucket]
    }

    /// The VM's highest demand for a resource over the buckets.
    @inline(__always) public func peakDemand(_ vm: Int, _ r: Int) -> Double {
        peak[vm * resources.count + r]
    }

    /// A host's cost for the objective: its cost (0 for hosts owned without one) and the
    /// licences it pays whenever it runs VMs; licences its VMs need come on top (`planCost`).
    @inline(__always) public func cost(_ host: Int) -> Double { (hosts[host].cost ?? 0) + licensing.carried[host] }

    /// What a plan costs: its hosts (`cost`) and the licences their VMs need.
    public func planCost(_ assignment: Assignment) -> Double {
        var used = [Bool](repeating: false, count: hostCount), total = 0.0
        for h in assignment.hostOf where h >= 0 && !used[h] {
            used[h] = true
            total += cost(h)
        }
        return licensing.placementMatters ? total + LicenceTally(self, assignment).total : total
    }

    @inline(__always) public func acceptsVMs(_ host: Int) -> Bool {
        accepting[host]
    }

    /// Whether the VM may run on the host and fits it when it is empty (every resource,
    /// every bucket).
    public func fitsEmpty(_ vm: Int, _ host: Int) -> Bool {
        guard accepting[host], rules.allows(vm, host), !rules.isImpossible[vm] else { return false }
        for r in 0..<resources.count where peakDemand(vm, r) > capacity(host, r) * (1 + 1e-12) {
            return false
        }
        return true
    }
}
