/// RVTools exports (Dell's free vSphere inventory tool), the tabs a consolidation study
/// needs, as CSV (File > Export all to csv; the separator and decimal commas are sniffed):
/// - vHost: `Host`, `Cluster`, `# Cores`, `Speed` (MHz per core), `# Memory` (MB), `Vendor`
///   and `Model` (the host model), `in Maintenance Mode` where the export has it.
/// - vInfo: `VM`, `Powerstate`, `Template`, `CPUs`, `Memory` (MB), `Host`, `Cluster`.
///   Powered-off and suspended VMs are left out unless asked for, templates always; both
///   are listed. A VM name seen twice keeps its first row, and the second is named.
/// vInfo holds allocations only: measured use comes from the vCPU and vMemory tabs.
public enum RVToolsFile {
    static func isHostTab(_ table: CSVTable) -> Bool {
        ["host", "# cores", "# memory", "speed"].allSatisfy { table.column($0) != nil } && table.column("cpu_cores") == nil
    }

    static func isVMTab(_ table: CSVTable) -> Bool {
        ["vm", "powerstate", "cpus", "memory"].allSatisfy { table.column($0) != nil } && table.column("vcpus") == nil
    }

    public static func hosts(_ table: CSVTable) throws(InputError) -> InputRead<VMHost> {
        var hosts: [VMHost] = [], lines: [String: Int] = [:], notes: [String] = []
        if let dialect = table.detectedDialect { notes.append("\(table.file): \(dialect)") }
        for row in try table.rows() {
            guard let id = row.text("host") else { notes.append("\(table.file):\(row.line): a row without a Host name: left out"); continue }
            if let first = lines[id] {
                notes.append("\(table.file):\(row.line): host '\(id)' appears again (first on line \(first)): the second row is left out")
                continue
            }
            guard let cores = try row.integer("# cores", minimum: 1) else { throw row.error("# Cores is empty") }
            let speed = try row.requiredNumber("speed", exclusive: true)
            let memory = try row.requiredNumber("# memory", exclusive: true)
            let model = [row.text("vendor"), row.text("model")].compactMap { $0 }.joined(separator: " ")
            let maintenance = ["in maintenance mode", "maintenance mode"].contains { row.text($0)?.lowercased() == "true" }
            lines[id] = row.line
            var host = VMHost(id: id, cluster: row.text("cluster") ?? "", model: model, cpuCores: cores, cpuMHzPerCore: speed,
                              memoryMB: memory, state: maintenance ? .maintenance : .active)
            // vHost's "# CPU" is sockets (cores are "# Cores"): per-socket licences count them.
            host.sockets = try row.integer("# cpu", minimum: 1)
            hosts.append(host)
        }
        guard !hosts.isEmpty else { throw InputError(file: table.file, line: table.headerLine, "no hosts: the vHost tab has a header and nothing else") }
        let inMaintenance = hosts.count { $0.state == .maintenance }
        notes.insert("\(table.file): RVTools vHost export: \(hosts.count) hosts" + (inMaintenance > 0 ? ", \(inMaintenance) in maintenance mode (they take no VMs)" : ""), at: 0)
        notes += HostInventoryFile.plausibility(hosts, lines: lines, file: table.file)
        return InputRead(items: hosts, format: "RVTools vHost", lines: lines, notes: notes)
    }

    public static func vms(_ table: CSVTable, includePoweredOff: Bool = false) throws(InputError) -> InputRead<VM> {
        var vms: [VM] = [], lines: [String: Int] = [:], notes: [String] = []
        var poweredOff: [String] = [], templates: [String] = []
        if let dialect = table.detectedDialect { notes.append("\(table.file): \(dialect)") }
        for row in try table.rows() {
            guard let id = row.text("vm") else { notes.append("\(table.file):\(row.line): a row without a VM name: left out"); continue }
            if row.text("template")?.lowercased() == "true" { templates.append(id); continue }
            let state = row.text("powerstate")?.lowercased() ?? "poweredon"
            if state != "poweredon" && !includePoweredOff { poweredOff.append(id); continue }
            if let first = lines[id] {
                notes.append("\(table.file):\(row.line): VM '\(id)' appears again (first on line \(first)): the second row is left out")
                continue
            }
            guard let vcpus = try row.integer("cpus", minimum: 1) else { throw row.error("CPUs is empty") }
            let memory = try row.requiredNumber("memory", exclusive: true)
            lines[id] = row.line
            vms.append(VM(id: id, vcpus: vcpus, memoryMB: memory, currentHost: row.text("host"), cluster: row.text("cluster")))
        }
        guard !vms.isEmpty else {
            throw InputError(file: table.file, line: table.headerLine, "no VMs to plan: the vInfo tab lists none that are powered on (--include-powered-off keeps the others)")
        }
        var summary = "\(table.file): RVTools vInfo export: \(vms.count) VMs"
        if !poweredOff.isEmpty { summary += "; \(poweredOff.count) powered off or suspended left out (\(list(poweredOff)); --include-powered-off keeps them)" }
        if !templates.isEmpty { summary += "; \(templates.count) templates left out (\(list(templates)))" }
        notes.insert(summary, at: 0)
        notes.append("\(table.file): vInfo gives allocations only (vCPUs, memory): they are planned unless traces or the vCPU and vMemory tabs give measured use")
        return InputRead(items: vms, format: "RVTools vInfo", lines: lines, notes: notes)
    }

    /// "a, b, c and 7 more".
    static func list(_ names: [String], shown: Int = 3) -> String {
        names.prefix(shown).joined(separator: ", ") + (names.count > shown ? " and \(names.count - shown) more" : "")
    }
}
