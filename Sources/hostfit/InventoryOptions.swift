import ArgumentParser
import HostfitCommandLine
import Hostfit
import HostfitWorkbook

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
        var inputs = PlanningInputs(hosts: try readHosts(), hostsFile: hosts, catalog: try readCatalog(), vms: try readVMs(), vmsFile: vms,
                                    adding: extra, headroom: try parsedHeadroom(),
                                    rules: PlacementRules(vcpusPerCore: vcpuRatio, memoryRatio: memoryRatio, reserve: reserve))
        inputs.licences = try files.readLicences()
        inputs.licencesFile = files.licences
        inputs.catalogFile = models
        let inventoryVMs: [VM]?, traced: TracedDemand?, problem: PlacementProblem
        do {
            inventoryVMs = try inputs.inventoryVMs().vms
            traced = try demand?.demand(inventory: inventoryVMs ?? [])
            problem = try inputs.problem(demand: traced)
        } catch let error as PlanningInputError {
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
