/// Reads the native host inventory, `hosts.csv`:
/// `host, cluster, model, cpu_cores, cpu_mhz` (per core), `memory_mb`, and optional
/// `disk_iops, net_mbps, cost, power_idle_w, power_max_w, tags` (`;`-separated),
/// `max_vms, state`, `power_curve` (measured watts at CPU loads: `0:58;50:120;100:222`) and
/// any `res_NAME` (a counted resource).
public enum HostInventoryFile {
    public static let requiredColumns = ["host", "cpu_cores", "cpu_mhz", "memory_mb"]

    public static func read(_ path: String) throws(InputError) -> [VMHost] {
        try parse(CSVTable(contentsOf: path))
    }

    /// A host model catalog: the same columns with `model` as the key and `cost` required.
    public static func readCatalog(_ path: String) throws(InputError) -> [VMHost] {
        try parse(CSVTable(contentsOf: path), catalog: true)
    }

    public static func parse(_ table: CSVTable, catalog: Bool = false) throws(InputError) -> [VMHost] {
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
            hosts.append(host)
        }
        if catalog, let free = hosts.first(where: { ($0.cost ?? 0) <= 0 }) {
            throw InputError(file: table.file, line: firstLine[free.id], "model '\(free.id)' needs a cost above 0: the catalog is what can be bought")
        }
        guard !hosts.isEmpty else {
            throw InputError(file: table.file, line: table.headerLine, "no \(catalog ? "models" : "hosts"): the file has a header and nothing else")
        }
        return hosts
    }
}
