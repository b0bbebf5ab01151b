import ArgumentParser
import HostfitCommandLine
import Hostfit
import HostfitWorkbook

/// The inventory files and headroom: what every command that reads an inventory shares
/// (replay too, which plans nothing).
struct InventoryFileOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Host inventory: hosts.csv, an RVTools vHost CSV or an RVTools .xlsx workbook (optional with --models: then every host is bought).",
        discussion: "Columns host, cpu_cores, cpu_mhz (per core), memory_mb; optional cluster, model, disk_iops, net_mbps, cost, power_idle_w, power_max_w, tags (a;b), max_vms, state (active|maintenance|failed) and res_NAME for any counted resource.",
        valueName: "file"))
    var hosts: String?

    @Option(help: ArgumentHelp(
        "Host model catalog CSV: what can be bought, any number of each.",
        discussion: "The columns of hosts.csv with model as the key and cost required. With a catalog the plan minimizes cost: hosts you own and that have no cost are free, bought ones cost their price; summary.json says what to buy.",
        valueName: "file"))
    var models: String?

    @Option(help: ArgumentHelp(
        "VM inventory: vms.csv, an RVTools vInfo CSV or an RVTools .xlsx workbook (vInfo, with vCPU and vMemory use) (optional with --traces or --profiles: then every traced entity is a VM).",
        discussion: "Columns vm, vcpus, memory_mb (allocated); optional host (current placement), cluster, requires, affinity, anti_affinity and static demand cpu_mhz, memory_used_mb, disk_iops, net_mbps, res_NAME. Without cpu_mhz a vCPU counts as a busy core of the fastest host; without memory_used_mb the allocation is planned.",
        valueName: "file"))
    var vms: String?

    @Option(help: ArgumentHelp(
        "Target maximum utilization per resource, in percent.",
        discussion: "Defaults: cpu=80,memory=90,disk=80,net=80, counted resources 100. Name only what you change: --headroom memory=100.",
        valueName: "name=pct,..."))
    var headroom: String?

    @Flag(name: .customLong("include-powered-off"), help: "Plan the VMs an RVTools vInfo export lists as powered off or suspended too (left out by default, and listed).")
    var includePoweredOff = false

    /// The inputs and options of these flags, for summary.json.
    func record(into record: inout RunRecord) {
        if let hosts { record.add("hosts", hosts) }
        if let models { record.add("models", models) }
        if let vms { record.add("vms", vms) }
        if let headroom { record.options["headroom"] = headroom }
        if includePoweredOff { record.options["include-powered-off"] = "true" }
    }

    /// Fills what was not given on the command line from a run's record (`check`, `replay`).
    mutating func fill(from record: RunRecord) {
        if hosts == nil && models == nil {
            hosts = record.paths("hosts").first
            models = record.paths("models").first
        }
        if vms == nil { vms = record.paths("vms").first }
        if headroom == nil { headroom = record.options["headroom"] }
        if record.options["include-powered-off"] == "true" { includePoweredOff = true }
    }

    /// The host inventory of --hosts, if given (hosts.csv, RVTools vHost or workbook).
    func readHosts() throws -> InputRead<VMHost>? {
        try hosts.map { path in
            try reportingInputErrors { Self.isWorkbook(path) ? try RVToolsWorkbook.hosts(path) : try HostInventoryFile.load(path) }
        }
    }

    func readCatalog() throws -> InputRead<VMHost>? {
        try models.map { path in try reportingInputErrors { try HostInventoryFile.loadCatalog(path) } }
    }

    /// The VM inventory of --vms, if given (vms.csv, RVTools vInfo or workbook).
    func readVMs() throws -> InputRead<VM>? {
        try vms.map { path in
            try reportingInputErrors {
                Self.isWorkbook(path) ? try RVToolsWorkbook.vms(path, includePoweredOff: includePoweredOff)
                    : try VMInventoryFile.load(path, includePoweredOff: includePoweredOff)
            }
        }
    }

    /// An RVTools workbook (.xlsx) gives hosts (vHost) and VMs (vInfo, vCPU, vMemory) alike.
    private static func isWorkbook(_ path: String) -> Bool { path.lowercased().hasSuffix(".xlsx") }

    /// --headroom parsed, or the defaults.
    func parsedHeadroom() throws -> Headroom {
        guard let headroom else { return Headroom() }
        do {
            return try Headroom(parsing: headroom)
        } catch {
            throw CLIFailure(code: 2, message: error.description)
        }
    }
}

/// The flags of commands that plan or check: the inventory, the placement rules and growth.
struct InventoryOptions: ParsableArguments {
    @OptionGroup var files: InventoryFileOptions

    /// The problem to plan or check; demand from `demand` (traces or profiles) when given.
    @Option(name: .customLong("vcpu-ratio"), help: ArgumentHelp(
        "Most allocated vCPUs per physical core (4 for 4:1); checked on allocations, whatever the measured demand. Where no VM states CPU use, the ratio CPU is planned at (default today's, at least 4:1).", valueName: "ratio"))
    var vcpuRatio: Double?

    @Option(name: .customLong("memory-ratio"), help: ArgumentHelp(
        "Most allocated memory per physical memory (1.0: no overcommit).", valueName: "ratio"))
    var memoryRatio: Double?

    @Option(name: .customLong("reserve"), help: ArgumentHelp(
        "N+k: every cluster must hold its demand after losing any k of its hosts (their capacity is held back, as vSphere HA's percentage admission control does).",
        valueName: "k"))
    var reserveOption: Int?
    var reserve: Int { reserveOption ?? 0 }

    @Option(name: .customLong("demand-factor"), help: ArgumentHelp(
        "Multiply every VM's measured demand (growth: 1.2 is 20% more); allocations do not change.", valueName: "factor"))
    var demandFactor: Double?

    @Option(name: .customLong("trend-months"), help: ArgumentHelp(
        "Grow each VM's demand this many months on its own trend (needs --traces or --profiles with at least 14 days).",
        discussion: "The daily mean's Theil-Sen slope, kept only where Mann-Kendall finds a rise at the 5% level; linear, CPU capped at the VM's vCPUs and memory at its allocation; falling trends stay at today's demand. Applied before --demand-factor.",
        valueName: "months"))
    var trendMonths: Double?

    func validate() throws {
        if let vcpuRatio, !(vcpuRatio > 0 && vcpuRatio.isFinite) { throw ValidationError("--vcpu-ratio must be a positive number") }
        if let memoryRatio, !(memoryRatio > 0 && memoryRatio.isFinite) { throw ValidationError("--memory-ratio must be a positive number") }
        guard reserve >= 0 else { throw ValidationError("--reserve must be 0 or more") }
        if let demandFactor, !(demandFactor > 0 && demandFactor.isFinite) { throw ValidationError("--demand-factor must be a positive number") }
        if let trendMonths, !(trendMonths > 0 && trendMonths.isFinite) { throw ValidationError("--trend-months must be a positive number of months") }
    }

    /// The inputs and options of these flags, for summary.json.
    func record(into record: inout RunRecord) {
        files.record(into: &record)
        record.options["reserve"] = String(reserve)
        if let vcpuRatio { record.options["vcpu-ratio"] = Resource.number(vcpuRatio) }
        if let memoryRatio { record.options["memory-ratio"] = Resource.number(memoryRatio) }
        if let demandFactor { record.options["demand-factor"] = String(demandFactor) }
        if let trendMonths { record.options["trend-months"] = Resource.number(trendMonths) }
    }

    /// Fills what was not given on the command line from a run's record (`hostfit check`).
    mutating func fill(from record: RunRecord) {
        files.fill(from: record)
        if reserveOption == nil { reserveOption = record.options["reserve"].flatMap(Int.init) }
        if vcpuRatio == nil { vcpuRatio = record.options["vcpu-ratio"].flatMap(Double.init) }
        if memoryRatio == nil { memoryRatio = record.options["memory-ratio"].flatMap(Double.init) }
        if demandFactor == nil { demandFactor = record.options["demand-factor"].flatMap(Double.init) }
        if trendMonths == nil { trendMonths = record.options["trend-months"].flatMap(Double.init) }
    }

    // The file flags, as if they were this group's own.
    var hosts: String? { files.hosts }
    var models: String? { files.models }
    var vms: String? { files.vms }
    var includePoweredOff: Bool { files.includePoweredOff }
    func readHosts() throws -> InputRead<VMHost>? { try files.readHosts() }
    func readCatalog() throws -> InputRead<VMHost>? { try files.readCatalog() }
    func readVMs() throws -> InputRead<VM>? { try files.readVMs() }
    func parsedHeadroom() throws -> Headroom { try files.parsedHeadroom() }

    /// `adding` VMs join the inventory without a host (the new VMs that `place` rates).
    func loadProblem(demand: TraceOptions? = nil, adding extra: [VM] = []) throws -> PlacementProblem {
        try loadPlanning(demand: demand, adding: extra).problem
    }

    /// The problem and the demand it was built from (for right-sizing).
    func loadPlanning(demand: TraceOptions? = nil, adding extra: [VM] = []) throws -> (problem: PlacementProblem, demand: TracedDemand?) {
        guard hosts != nil || models != nil else { throw CLIFailure(code: 2, message: "give --hosts, --models or both: there is nowhere to place VMs") }
        let hostRead = try readHosts(), catalogRead = try readCatalog(), vmRead = try readVMs()
        var inputNotes = (hostRead?.notes ?? []) + (catalogRead?.notes ?? []) + (vmRead?.notes ?? [])
        let hostList = hostRead?.items ?? [], catalog = catalogRead?.items ?? []
        var inventoryVMs = vmRead?.items
        if let vmRead, let vms, let hosts {
            let checked = InventoryCheck.reconcile(vmRead, vmFile: vms, hosts: hostList, hostFile: hosts)
            inventoryVMs = checked.vms
            inputNotes += checked.notes
        }
        if !extra.isEmpty {
            let known = Set((inventoryVMs ?? []).map(\.id))
            if let clash = extra.first(where: { known.contains($0.id) }) {
                throw CLIFailure(code: 2, message: "VM '\(clash.id)' is new and already in \(vms ?? "the inventory")")
            }
            inventoryVMs = (inventoryVMs ?? []) + extra
        }
        let traced = try demand?.demand(inventory: inventoryVMs ?? [])
        let parsed = try parsedHeadroom()
        let rules = PlacementRules(vcpusPerCore: vcpuRatio, memoryRatio: memoryRatio, reserve: reserve)
        let problem: PlacementProblem
        do {
            problem = try PlacementProblem(hosts: hostList, catalog: catalog, vms: inventoryVMs, demand: traced, headroom: parsed, rules: rules,
                                           inputNotes: inputNotes)
        } catch {
            throw CLIFailure(code: 2, message: error.message)
        }
        var grown = problem
        if let trendMonths {
            guard let demand, let set = try demand.trendProfiles(traced, inventory: inventoryVMs ?? []) else {
                throw CLIFailure(code: 2, message: "--trend-months needs --traces or --profiles: each VM's trend is fitted on them")
            }
            let trends = DemandTrends(set)
            guard !trends.isEmpty else {
                throw CLIFailure(code: 2, message: "--trend-months needs \(DemandTrends.minimumDays) days of traces to fit a VM's trend on; the longest here is \(trends.longestDays) days")
            }
            let trended = problem.grown(by: trends, months: trendMonths)
            grown = trended.problem
        }
        return (grown.scaled(by: demandFactor ?? 1), traced)
    }
}
