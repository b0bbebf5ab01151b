import ArgumentParser
import Hostfit

/// The flags every command that reads an inventory shares.
struct InventoryOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Host inventory CSV (optional with --models: then every host is bought).",
        discussion: "Columns host, cpu_cores, cpu_mhz (per core), memory_mb; optional cluster, model, disk_iops, net_mbps, cost, power_idle_w, power_max_w, tags (a;b), max_vms, state (active|maintenance|failed) and res_NAME for any counted resource.",
        valueName: "file"))
    var hosts: String?

    @Option(help: ArgumentHelp(
        "Host model catalog CSV: what can be bought, any number of each.",
        discussion: "The columns of hosts.csv with model as the key and cost required. With a catalog the plan minimizes cost: hosts you own and that have no cost are free, bought ones cost their price; summary.json says what to buy.",
        valueName: "file"))
    var models: String?

    @Option(help: ArgumentHelp(
        "VM inventory CSV (optional with --traces or --profiles: then every traced entity is a VM).",
        discussion: "Columns vm, vcpus, memory_mb (allocated); optional host (current placement), cluster, requires, affinity, anti_affinity and static demand cpu_mhz, memory_used_mb, disk_iops, net_mbps, res_NAME. Without cpu_mhz a vCPU counts as a busy core of the fastest host; without memory_used_mb the allocation is planned.",
        valueName: "file"))
    var vms: String?

    @Option(help: ArgumentHelp(
        "Target maximum utilization per resource, in percent.",
        discussion: "Defaults: cpu=80,memory=90,disk=80,net=80, counted resources 100. Name only what you change: --headroom memory=100.",
        valueName: "name=pct,..."))
    var headroom: String?

    /// The problem to plan or check; demand from `demand` (traces or profiles) when given.
    @Option(name: .customLong("vcpu-ratio"), help: ArgumentHelp(
        "Most allocated vCPUs per physical core (4 for 4:1); checked on allocations, whatever the measured demand.", valueName: "ratio"))
    var vcpuRatio: Double?

    @Option(name: .customLong("memory-ratio"), help: ArgumentHelp(
        "Most allocated memory per physical memory (1.0: no overcommit).", valueName: "ratio"))
    var memoryRatio: Double?

    @Option(help: ArgumentHelp(
        "N+k: every cluster must hold its demand after losing any k of its hosts (their capacity is held back, as vSphere HA's percentage admission control does).",
        valueName: "k"))
    var reserve: Int = 0

    func validate() throws {
        if let vcpuRatio, !(vcpuRatio > 0 && vcpuRatio.isFinite) { throw ValidationError("--vcpu-ratio must be a positive number") }
        if let memoryRatio, !(memoryRatio > 0 && memoryRatio.isFinite) { throw ValidationError("--memory-ratio must be a positive number") }
        guard reserve >= 0 else { throw ValidationError("--reserve must be 0 or more") }
    }

    func loadProblem(demand: TraceOptions? = nil) throws -> PlacementProblem {
        guard hosts != nil || models != nil else { throw CLIFailure(code: 2, message: "give --hosts, --models or both: there is nowhere to place VMs") }
        let hostList = try hosts.map { path in try reportingInputErrors { try HostInventoryFile.read(path) } } ?? []
        let catalog = try models.map { path in try reportingInputErrors { try HostInventoryFile.readCatalog(path) } } ?? []
        let inventoryVMs = try vms.map { path in try reportingInputErrors { try VMInventoryFile.read(path) } }
        let traced = try demand?.demand(inventory: inventoryVMs ?? [])
        var parsed = Headroom()
        if let headroom {
            do {
                parsed = try Headroom(parsing: headroom)
            } catch {
                throw CLIFailure(code: 2, message: error.description)
            }
        }
        let rules = PlacementRules(vcpusPerCore: vcpuRatio, memoryRatio: memoryRatio, reserve: reserve)
        do {
            return try PlacementProblem(hosts: hostList, catalog: catalog, vms: inventoryVMs, demand: traced, headroom: parsed, rules: rules)
        } catch {
            throw CLIFailure(code: 2, message: error.message)
        }
    }
}

/// An error the CLI reports itself, with its exit code.
struct CLIFailure: Error {
    var code: Int32
    var message: String
}

/// Runs `body`, turning bad input into exit code 2 with `file:line: what is wrong`.
func reportingInputErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as InputError {
        throw CLIFailure(code: 2, message: error.description)
    }
}
