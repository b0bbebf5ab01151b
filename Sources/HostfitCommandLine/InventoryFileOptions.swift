import ArgumentParser
import Hostfit
import HostfitWorkbook

/// The estate's files and headroom, with the readers every command uses: plan, check,
/// place, whatif, replay, and serve (which loads them at start).
package struct EstateFileOptions: ParsableArguments {
    package init() {}

    @Option(help: ArgumentHelp(
        "Host inventory: hosts.csv, an RVTools vHost CSV or an RVTools .xlsx workbook.",
        discussion: "Columns host, cpu_cores, cpu_mhz (per core), memory_mb; optional cluster, model, disk_iops, net_mbps, cost, power_idle_w, power_max_w, tags (a;b), max_vms, state (active|maintenance|failed) and res_NAME for any counted resource.",
        valueName: "file"))
    package var hosts: String?

    @Option(help: ArgumentHelp(
        "VM inventory: vms.csv, an RVTools vInfo CSV or an RVTools .xlsx workbook (vInfo, with vCPU and vMemory use) (optional with --traces or --profiles: then every traced entity is a VM).",
        discussion: "Columns vm, vcpus, memory_mb (allocated); optional host (current placement), cluster, requires, affinity, anti_affinity and static demand cpu_mhz, memory_used_mb, disk_iops, net_mbps, res_NAME. Without cpu_mhz a vCPU counts as a busy core of the fastest host; without memory_used_mb the allocation is planned.",
        valueName: "file"))
    package var vms: String?

    @Option(help: ArgumentHelp(
        "Target maximum utilization per resource, in percent.",
        discussion: "Defaults: cpu=80,memory=90,disk=80,net=80, counted resources 100. Name only what you change: --headroom memory=100.",
        valueName: "name=pct,..."))
    package var headroom: String?

    @Flag(name: .customLong("include-powered-off"), help: "Plan the VMs an RVTools vInfo export lists as powered off or suspended too (left out by default, and listed).")
    package var includePoweredOff = false

    /// The host inventory of --hosts, if given (hosts.csv, RVTools vHost or workbook).
    package func readHosts() throws -> InputRead<VMHost>? {
        try hosts.map { path in
            try reportingInputErrors { Self.isWorkbook(path) ? try RVToolsWorkbook.hosts(path) : try HostInventoryFile.load(path) }
        }
    }

    /// The VM inventory of --vms, if given (vms.csv, RVTools vInfo or workbook).
    package func readVMs() throws -> InputRead<VM>? {
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
    package func parsedHeadroom() throws -> Headroom {
        guard let headroom else { return Headroom() }
        do {
            return try Headroom(parsing: headroom)
        } catch {
            throw CLIFailure(code: 2, message: error.description)
        }
    }
}

/// The estate's files and a catalog of host models to buy: what the planner's commands
/// share (replay too, which plans nothing).
package struct InventoryFileOptions: ParsableArguments {
    package init() {}

    @OptionGroup package var estate: EstateFileOptions

    @Option(help: ArgumentHelp(
        "Host model catalog CSV: what can be bought, any number of each (with it, --hosts is optional: then every host is bought).",
        discussion: "The columns of hosts.csv with model as the key and cost required. With a catalog the plan minimizes cost: hosts you own and that have no cost are free, bought ones cost their price; summary.json says what to buy.",
        valueName: "file"))
    package var models: String?

    @Option(help: ArgumentHelp(
        "Licence prices CSV (licence, per, min_per_host, price): the plan then minimizes hosts plus licences.",
        discussion: "per is core, socket or host; min_per_host the units counted at least (Windows Server Datacenter: 16 cores). A VM needs the licences its licences column in vms.csv names (a;b); a host pays its own (a hypervisor subscription) from the licences column of hosts.csv or the catalog. A host licensed for a VM covers every VM on it that needs the same licence, so the plan packs those VMs onto few hosts. summary.json and report.html show the licence cost per host and in total.",
        valueName: "file"))
    package var licences: String?

    // The estate's flags, as if they were this group's own.
    package var hosts: String? { get { estate.hosts } set { estate.hosts = newValue } }
    package var vms: String? { get { estate.vms } set { estate.vms = newValue } }
    package var headroom: String? { get { estate.headroom } set { estate.headroom = newValue } }
    package var includePoweredOff: Bool { get { estate.includePoweredOff } set { estate.includePoweredOff = newValue } }
    package func readHosts() throws -> InputRead<VMHost>? { try estate.readHosts() }
    package func readVMs() throws -> InputRead<VM>? { try estate.readVMs() }
    package func parsedHeadroom() throws -> Headroom { try estate.parsedHeadroom() }

    package func readLicences() throws -> InputRead<Licence>? {
        try licences.map { path in try reportingInputErrors { try LicenceFile.load(path) } }
    }

    package func readCatalog() throws -> InputRead<VMHost>? {
        try models.map { path in try reportingInputErrors { try HostInventoryFile.loadCatalog(path) } }
    }

    /// The inputs and options of these flags, for summary.json.
    package func record(into record: inout RunRecord) {
        if let hosts { record.add("hosts", hosts) }
        if let models { record.add("models", models) }
        if let licences { record.add("licences", licences) }
        if let vms { record.add("vms", vms) }
        if let headroom { record.options["headroom"] = headroom }
        if includePoweredOff { record.options["include-powered-off"] = "true" }
    }

    /// Fills what was not given on the command line from a run's record (`check`, `replay`).
    package mutating func fill(from record: RunRecord) {
        if hosts == nil && models == nil {
            hosts = record.paths("hosts").first
            models = record.paths("models").first
        }
        if vms == nil { vms = record.paths("vms").first }
        if licences == nil { licences = record.paths("licences").first }
        if headroom == nil { headroom = record.options["headroom"] }
        if record.options["include-powered-off"] == "true" { includePoweredOff = true }
    }
}
