/// Reads the native host inventory, `hosts.csv`:
/// `host, cluster, model, cpu_cores, cpu_mhz` (per core), `memory_mb`, and optional
/// `disk_iops, net_mbps, cost, power_idle_w, power_max_w, tags` (`;`-separated),
/// `max_vms, state`, `power_curve` (measured watts at CPU loads: `0:58;50:120;100:222`),
/// `sockets` and `licences` (what the host pays whenever it runs VMs: `LicenceFile`) and
/// any `res_NAME` (a counted resource).
public enum HostInventoryFile {
    public static let requiredColumns = ["host", "cpu_cores", "cpu_mhz", "memory_mb"]

    /// Every column hosts.csv reads (and `res_NAME`).
    public static let knownColumns = ["host", "cluster", "model", "cpu_cores", "cpu_mhz", "memory_mb", "disk_iops", "net_mbps", "cost",
                                      "power_idle_w", "power_max_w", "tags", "max_vms", "state", "power_curve",
                                      "sockets", "licences"]

    public static func read(_ path: String) throws(InputError) -> [VMHost] { try load(path).items }

    /// The hosts with what the user should be told: hosts.csv, or an RVTools vHost export
    /// (detected from the header), with its separator, unknown columns and implausible units.
    /// hosts.csv, an RVTools vHost export, or a platform's JSON export (Proxmox VE), told
    /// apart by their content.
    public static func load(_ path: String) throws(InputError) -> InputRead<VMHost> {
        if let read = try PlatformInventory.hosts(path) { return read }
        return try load(CSVTable(contentsOf: path))
    }

    /// The same from a table read elsewhere (a request body).
    public static func load(_ table: CSVTable) throws(InputError) -> InputRead<VMHost> {
        if RVToolsFile.isHostTab(table) { return try RVToolsFile.hosts(table) }
        if HyperVFile.isHostTable(table) { return try HyperVFile.hosts(table) }
        try InputKind.check(table, is: "a host inventory", required: requiredColumns)
        return try parse(table)
    }

    /// A host model catalog: the same columns with `model` as the key and `cost` required.
    public static func readCatalog(_ path: String) throws(InputError) -> [VMHost] { try loadCatalog(path).items }

    public static func loadCatalog(_ path: String) throws(InputError) -> InputRead<VMHost> {
        try parse(CSVTable(contentsOf: path), catalog: true)
    }

    public static func parse(_ table: CSVTable, catalog: Bool = false) throws(InputError) -> InputRead<VMHost> {
        let key = catalog ? "model" : "host"
        try table.requireColumns(catalog ? ["model", "cpu_cores", "cpu_mhz", "memory_mb", "cost"] : requiredColumns)
        let counted = table.columns(withPrefix: "res_")
        var hosts: [VMHost] = []
        var firstLine: [String: Int] = [:]
        for row in try table.rows() {
            let id = try row.requiredText(key)
            if let first = firstLine[id] { throw row.error("duplicate \(key) '\(id)' (first on line \(first))") }
            firstLine[id] = row.line

            guard let cores = try row.integer("cpu_cores", minimum: 1) else { throw row.error("cpu_cores is empty") }
            let mhz = try row.requiredNumber("cpu_mhz", exclusive: true)
            let memory = try row.requiredNumber("memory_mb", exclusive: true)
            var capacity: [Resource: Double] = [:]
            capacity[.disk] = try row.number("disk_iops")
            capacity[.network] = try row.number("net_mbps")
            for (column, name) in counted {
                capacity[.counted(name)] = try row.number(at: column, named: "res_\(name)") ?? 0
            }
            let idle = try row.number("power_idle_w")
            let max = try row.number("power_max_w")
            if let idle, let max, idle > max {
                throw row.error("power_idle_w (\(Resource.number(idle))) exceeds power_max_w (\(Resource.number(max)))")
            }
            var state = VMHost.State.active
            if let raw = row.text("state") {
                guard let parsed = VMHost.State(rawValue: raw.lowercased()) else {
                    throw row.error("state '\(raw)' is not one of \(VMHost.State.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                state = parsed
            }
            var curve: [(load: Double, watts: Double)] = []
            if let raw = row.text("power_curve") {
                for point in raw.split(separator: ";") {
                    let parts = point.split(separator: ":").map { Double($0.trimmingCharacters(in: .whitespaces)) }
                    guard parts.count == 2, let load = parts[0], let watts = parts[1], (0...100).contains(load), watts >= 0, watts.isFinite else {
                        throw row.error("power_curve '\(raw)': each point is LOAD_PCT:WATTS, e.g. 0:58;50:120;100:222")
                    }
                    guard curve.last.map({ $0.load < load }) ?? true else { throw row.error("power_curve '\(raw)': loads must ascend") }
                    curve.append((load, watts))
                }
            }
            var host = VMHost(
                id: id, cluster: row.text("cluster") ?? "", model: row.text("model") ?? "",
                cpuCores: cores, cpuMHzPerCore: mhz, memoryMB: memory, capacity: capacity,
                cost: try row.number("cost"), powerIdleWatts: idle, powerMaxWatts: max,
                tags: row.list("tags"), maxVMs: try row.integer("max_vms"), state: state)
            host.powerCurve = curve
            host.sockets = try row.integer("sockets", minimum: 1)
            host.licences = row.list("licences")
            hosts.append(host)
        }
        var notes = table.readingNotes(known: knownColumns, prefixes: ["res_"])
        notes += plausibility(hosts, lines: firstLine, file: table.file)
        if catalog, let free = hosts.first(where: { ($0.cost ?? 0) <= 0 }) {
            throw InputError(file: table.file, line: firstLine[free.id], "model '\(free.id)' needs a cost above 0: the catalog is what can be bought")
        }
        guard !hosts.isEmpty else {
            throw InputError(file: table.file, line: table.headerLine, "no \(catalog ? "models" : "hosts"): the file has a header and nothing else")
        }
        return InputRead(items: hosts, format: catalog ? "host model catalog" : "hosts.csv", lines: firstLine, notes: notes)
    }

    /// Values that parse but look like the wrong unit: a per-core clock that is a host's
    /// total, memory given in GB.
    static func plausibility(_ hosts: [VMHost], lines: [String: Int], file: String) -> [String] {
        var notes: [String] = []
        for host in hosts {
            let at = "\(file):\(lines[host.id] ?? 0)"
            if host.cpuMHzPerCore > 10_000 {
                notes.append("\(at): host '\(host.id)' has cpu_mhz \(Resource.number(host.cpuMHzPerCore)) per core: that looks like the host's total (\(Resource.number(host.cpuMHzPerCore / Double(host.cpuCores))) MHz per core?); cpu_mhz is per core")
            }
            if let memory = host.capacity[.memory], memory < 4096 {
                notes.append("\(at): host '\(host.id)' has memory_mb \(Resource.number(memory)): that looks like GB (\(Resource.number(memory * 1024)) MB?); memory_mb is in MB")
            }
        }
        return notes
    }
}
