/// Reads the native VM inventory, `vms.csv`:
/// `vm, vcpus, memory_mb` (allocated), optional `host` (current placement), `cluster`,
/// `requires, affinity, anti_affinity` (`;`-separated names), `pinned` (yes/no: stays on
/// `host`), `licences` (what its host must pay for: `LicenceFile`), and static demand
/// `cpu_mhz, memory_used_mb, disk_iops, net_mbps, res_NAME` for VMs without a trace.
public enum VMInventoryFile {
    public static let requiredColumns = ["vm", "vcpus", "memory_mb"]

    /// Every column vms.csv reads (and `res_NAME`).
    public static let knownColumns = ["vm", "vcpus", "memory_mb", "host", "cluster", "requires", "affinity", "anti_affinity", "pinned",
                                      "cpu_mhz", "cpu_pct", "memory_used_mb", "disk_iops", "net_mbps", "cost_center", "like", "licences"]

    public static func read(_ path: String, includePoweredOff: Bool = false) throws(InputError) -> [VM] {
        try load(path, includePoweredOff: includePoweredOff).items
    }

    /// The VMs with what the user should be told: vms.csv, or an RVTools vInfo export
    /// (detected from the header; powered-off VMs and templates left out unless asked).
    /// vms.csv, an RVTools vInfo export, or a platform's JSON export (Proxmox VE), told
    /// apart by their content.
    public static func load(_ path: String, includePoweredOff: Bool = false) throws(InputError) -> InputRead<VM> {
        if let read = try PlatformInventory.vms(path, includePoweredOff: includePoweredOff) { return read }
        return try load(CSVTable(contentsOf: path), includePoweredOff: includePoweredOff)
    }

    /// The same from a table read elsewhere (a request body).
    public static func load(_ table: CSVTable, includePoweredOff: Bool = false) throws(InputError) -> InputRead<VM> {
        if RVToolsFile.isVMTab(table) { return try RVToolsFile.vms(table, includePoweredOff: includePoweredOff) }
        if HyperVFile.isVMTable(table) { return try HyperVFile.vms(table, includePoweredOff: includePoweredOff) }
        try InputKind.check(table, is: "a VM inventory", required: requiredColumns)
        return try parse(table)
    }

    public static func parse(_ table: CSVTable) throws(InputError) -> InputRead<VM> {
        try table.requireColumns(requiredColumns)
        let counted = table.columns(withPrefix: "res_")
        var vms: [VM] = []
        var firstLine: [String: Int] = [:]
        for row in try table.rows() {
            let id = try row.requiredText("vm")
            if let first = firstLine[id] { throw row.error("duplicate VM '\(id)' (first on line \(first))") }
            firstLine[id] = row.line

            guard let vcpus = try row.integer("vcpus", minimum: 1) else { throw row.error("vcpus is empty") }
            let memory = try row.requiredNumber("memory_mb", exclusive: true)
            var measured: [Resource: Double] = [:]
            measured[.cpu] = try row.number("cpu_mhz")
            measured[.memory] = try row.number("memory_used_mb")
            measured[.disk] = try row.number("disk_iops")
            measured[.network] = try row.number("net_mbps")
            for (column, name) in counted {
                measured[.counted(name)] = try row.number(at: column, named: "res_\(name)") ?? 0
            }
            let affinity = row.list("affinity"), antiAffinity = row.list("anti_affinity")
            var pinned = false
            if let raw = row.text("pinned") {
                switch raw.lowercased() {
                case "yes", "true", "1", "y": pinned = true
                case "no", "false", "0", "n": pinned = false
                default: throw row.error("pinned '\(raw)' is not yes or no")
                }
                if pinned && row.text("host") == nil { throw row.error("pinned, but host is empty: pinned to what?") }
            }
            var vm = VM(
                id: id, vcpus: vcpus, memoryMB: memory, currentHost: row.text("host"), cluster: row.text("cluster"),
                requires: row.list("requires"), affinity: affinity, antiAffinity: antiAffinity, measured: measured, pinned: pinned)
            vm.costCenter = row.text("cost_center")
            vm.licences = row.list("licences")
            vm.demandLike = row.text("like").map { $0.hasPrefix("like=") ? String($0.dropFirst(5)) : $0 }
            if let pct = try row.number("cpu_pct") {
                guard pct <= 100 else { throw row.error("cpu_pct is \(Resource.number(pct)), a percentage of the VM's vCPUs: at most 100") }
                vm.cpuPercent = pct
            }
            vms.append(vm)
        }
        guard !vms.isEmpty else {
            throw InputError(file: table.file, line: table.headerLine, "no VMs: the file has a header and nothing else")
        }
        return InputRead(items: vms, format: "vms.csv", lines: firstLine, notes: table.readingNotes(known: knownColumns, prefixes: ["res_"]))
    }
}
