/// Hyper-V's PowerShell exports: `Get-VMHost | Export-Csv` (hosts) and `Get-VM | Export-Csv`
/// (VMs), as Windows PowerShell writes them (a `#TYPE` line first) or PowerShell 7 does.
/// - hosts: `LogicalProcessorCount` and `MemoryCapacity` (bytes), named by `ComputerName`;
///   no clock is given, so CPUs count at `PlatformInventory.nominalMHz`;
/// - VMs: `ProcessorCount`, memory as `MemoryStartup` or, where Dynamic Memory gave it more,
///   `MemoryAssigned` (bytes); `MemoryDemand`, the moment's demand, as memory in use; a
///   `Running` VM runs on its `ComputerName`. `CPUUsage` is not read: one moment's
///   percentage, of a base (the VM's processors or the host's) the cmdlet does not
///   document; traces give CPU use.
enum HyperVFile {
    static func isHostTable(_ table: CSVTable) -> Bool {
        table.column("logicalprocessorcount") != nil && table.column("memorycapacity") != nil
    }

    static func isVMTable(_ table: CSVTable) -> Bool {
        table.column("processorcount") != nil && table.column("state") != nil && table.column("computername") != nil
            && (table.column("vmname") != nil || table.column("name") != nil)
    }

    static func hosts(_ table: CSVTable) throws(InputError) -> InputRead<VMHost> {
        var hosts: [VMHost] = [], lines: [String: Int] = [:]
        for row in try table.rows() {
            guard let id = row.text("computername") ?? row.text("name") else { throw row.error("a host without ComputerName or Name") }
            if let first = lines[id] { throw row.error("host '\(id)' appears again (first on line \(first))") }
            guard let cores = try row.integer("logicalprocessorcount", minimum: 1) else { throw row.error("LogicalProcessorCount is empty") }
            guard let bytes = try row.number("memorycapacity", exclusive: true) else { throw row.error("MemoryCapacity is empty") }
            lines[id] = row.line
            hosts.append(VMHost(id: id, cpuCores: cores, cpuMHzPerCore: PlatformInventory.nominalMHz, memoryMB: bytes / 1_048_576))
        }
        return InputRead(items: hosts, format: "Hyper-V Get-VMHost", lines: lines, notes: [
            "\(table.file): Hyper-V Get-VMHost export: \(hosts.count) hosts",
            "\(table.file): Get-VMHost gives no clock speed: every host's logical processors count at \(Resource.number(PlatformInventory.nominalMHz)) MHz, so CPU is planned in processors (exact between hosts of one clock)",
        ])
    }

    static func vms(_ table: CSVTable, includePoweredOff: Bool) throws(InputError) -> InputRead<VM> {
        var vms: [VM] = [], lines: [String: Int] = [:], off: [String] = [], grown: [String] = []
        for row in try table.rows() {
            guard let id = row.text("vmname") ?? row.text("name") else { throw row.error("a VM without VMName or Name") }
            if let first = lines[id] { throw row.error("VM '\(id)' appears again (first on line \(first))") }
            let state = row.text("state") ?? "Running"
            let running = state.lowercased() == "running"
            if !running && !includePoweredOff { off.append(id); continue }
            guard let vcpus = try row.integer("processorcount", minimum: 1) else { throw row.error("ProcessorCount is empty") }
            let startup = try row.number("memorystartup", exclusive: true)
            let assigned = running ? try row.number("memoryassigned") : nil
            guard let memory = [startup, assigned].compactMap({ $0 }).max(), memory > 0 else { throw row.error("MemoryStartup is empty") }
            if let assigned, let startup, assigned > startup { grown.append(id) }
            var measured: [Resource: Double] = [:]
            if running, let demand = try row.number("memorydemand"), demand > 0 { measured[.memory] = demand / 1_048_576 }
            lines[id] = row.line
            vms.append(VM(id: id, vcpus: vcpus, memoryMB: memory / 1_048_576, currentHost: running ? row.text("computername") : nil, measured: measured))
        }
        guard !vms.isEmpty else {
            throw InputError(file: table.file, line: table.headerLine, "no VMs to plan: none is Running (--include-powered-off keeps the others)")
        }
        var summary = "\(table.file): Hyper-V Get-VM export: \(vms.count) VMs"
        if !off.isEmpty { summary += "; \(off.count) not running left out (\(RVToolsFile.list(off)); --include-powered-off keeps them)" }
        var notes = [summary]
        if !grown.isEmpty { notes.append("\(table.file): \(grown.count) VMs hold more than their startup memory (Dynamic Memory): planned on what they hold now (\(RVToolsFile.list(grown)))") }
        notes.append("\(table.file): Get-VM's CPUUsage is one moment's and is not read: vCPUs are planned unless traces give CPU use")
        return InputRead(items: vms, format: "Hyper-V Get-VM", lines: lines, notes: notes)
    }
}
