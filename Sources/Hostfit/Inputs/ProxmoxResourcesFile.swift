import Foundation

/// Proxmox VE's `pvesh get /cluster/resources --output-format json` (or the API's
/// `{"data": [...]}`): nodes become hosts, qemu VMs and lxc containers become VMs on their
/// node, with what they use at the moment of the export.
///
/// What it does not say, and how that is handled (each said in a note):
/// - a node's clock: every node's cores count at `PlatformInventory.nominalMHz`, so CPU is planned in cores
///   (a VM at 50% of 4 vCPUs needs 2 of them), which is exact between nodes of one clock;
/// - use over time: `cpu` (a share of the VM's vCPUs) and `mem` are one moment's; give
///   traces for a plan on a week.
/// Templates are left out; stopped VMs too, unless `includeStopped`.
enum ProxmoxResourcesFile {
    static func isResources(_ items: [[String: Any]]) -> Bool {
        !items.isEmpty && items.contains { ["node", "qemu", "lxc"].contains($0["type"] as? String ?? "") }
            && items.allSatisfy { $0["type"] is String }
    }

    static func document(_ root: Any, data: Data, file: String) -> JSONDocument? {
        guard let doc = JSONDocument(root, data: data, file: file, keys: ["data"]), isResources(doc.items) else { return nil }
        return doc
    }

    static func hosts(_ doc: JSONDocument) throws(InputError) -> InputRead<VMHost> {
        var hosts: [VMHost] = [], lines: [String: Int] = [:], down: [String] = []
        for (item, line) in zip(doc.items, doc.lines) where item["type"] as? String == "node" {
            let fail = { (what: String) in InputError(file: doc.file, line: line, what) }
            guard let name = (item["node"] as? String) ?? (item["id"] as? String).map({ String($0.dropFirst("node/".count)) }), !name.isEmpty else {
                throw fail("a node without a name (node)")
            }
            if let first = lines[name] { throw fail("node '\(name)' appears again (first on line \(first))") }
            let status = item["status"] as? String ?? "online"
            guard let cores = JSONDocument.number(item["maxcpu"]), cores >= 1, cores == cores.rounded() else {
                if status != "online" { down.append(name); continue }  // an offline node may say nothing of itself
                throw fail("node '\(name)': maxcpu is \(item["maxcpu"].map { "\($0)" } ?? "missing"): a whole number of CPUs is needed")
            }
            guard let bytes = JSONDocument.number(item["maxmem"]), bytes > 0 else {
                throw fail("node '\(name)': maxmem is \(item["maxmem"].map { "\($0)" } ?? "missing"): its memory in bytes is needed")
            }
            if status != "online" { down.append(name) }
            lines[name] = line
            hosts.append(VMHost(id: name, cpuCores: Int(cores), cpuMHzPerCore: PlatformInventory.nominalMHz, memoryMB: bytes / 1_048_576,
                                state: status == "online" ? .active : .failed))
        }
        guard !hosts.isEmpty else { throw InputError(file: doc.file, line: doc.lines.first, "a Proxmox /cluster/resources export without nodes: give it as --vms") }
        var notes = ["\(doc.file): Proxmox VE /cluster/resources: \(hosts.count) nodes"
                     + (down.isEmpty ? "" : "; \(down.count) not online (\(RVToolsFile.list(down))): they take no VMs")]
        notes.append("\(doc.file): Proxmox gives no clock speed: every node's cores count at \(Resource.number(PlatformInventory.nominalMHz)) MHz, so CPU is planned in cores (exact between nodes of one clock)")
        return InputRead(items: hosts, format: "Proxmox VE resources", lines: lines, notes: notes)
    }

    static func vms(_ doc: JSONDocument, includeStopped: Bool) throws(InputError) -> InputRead<VM> {
        var vms: [VM] = [], lines: [String: Int] = [:], stopped: [String] = [], templates: [String] = [], renamed: [String] = []
        let guests = zip(doc.items, doc.lines).filter { ["qemu", "lxc"].contains($0.0["type"] as? String ?? "") }
        let names = Dictionary(grouping: guests.compactMap { $0.0["name"] as? String }, by: { $0 }).mapValues(\.count)
        for (item, line) in guests {
            let fail = { (what: String) in InputError(file: doc.file, line: line, what) }
            let vmid = JSONDocument.number(item["vmid"]).map { String(Int($0)) } ?? (item["id"] as? String)?.split(separator: "/").last.map(String.init)
            guard var id = (item["name"] as? String).flatMap({ $0.isEmpty ? nil : $0 }) ?? vmid.map({ "vm-\($0)" }) else {
                throw fail("a guest without a name or vmid")
            }
            // Names are unique per cluster only by custom: two alike keep their vmid.
            if names[id, default: 0] > 1, let vmid { id += "-\(vmid)"; renamed.append(id) }
            if (JSONDocument.number(item["template"]) ?? 0) == 1 { templates.append(id); continue }
            let status = item["status"] as? String ?? "running"
            if status != "running" && !includeStopped { stopped.append(id); continue }
            if let first = lines[id] { throw fail("guest '\(id)' appears again (first on line \(first))") }
            guard let cpus = JSONDocument.number(item["maxcpu"]), cpus >= 1 else {
                throw fail("guest '\(id)': maxcpu is \(item["maxcpu"].map { "\($0)" } ?? "missing"): its vCPUs are needed")
            }
            guard let bytes = JSONDocument.number(item["maxmem"]), bytes > 0 else {
                throw fail("guest '\(id)': maxmem is \(item["maxmem"].map { "\($0)" } ?? "missing"): its memory in bytes is needed")
            }
            var measured: [Resource: Double] = [:]
            if status == "running", let mem = JSONDocument.number(item["mem"]), mem > 0 { measured[.memory] = mem / 1_048_576 }
            // A container's vCPUs are a limit; rounded up, as a VM's whole vCPUs.
            var vm = VM(id: id, vcpus: Int(cpus.rounded(.up)), memoryMB: bytes / 1_048_576,
                        currentHost: status == "running" ? item["node"] as? String : nil, measured: measured)
            if status == "running", let cpu = JSONDocument.number(item["cpu"]), cpu >= 0 { vm.cpuPercent = min(100, cpu * 100) }
            lines[id] = line
            vms.append(vm)
        }
        guard !vms.isEmpty else {
            throw InputError(file: doc.file, line: doc.lines.first, "no guests to plan: the export lists no running qemu VM or lxc container (--include-powered-off keeps stopped ones)")
        }
        var summary = "\(doc.file): Proxmox VE /cluster/resources: \(vms.count) guests (\(vms.count { $0.currentHost != nil }) running)"
        if !stopped.isEmpty { summary += "; \(stopped.count) stopped left out (\(RVToolsFile.list(stopped)); --include-powered-off keeps them)" }
        if !templates.isEmpty { summary += "; \(templates.count == 1 ? "1 template" : "\(templates.count) templates") left out (\(RVToolsFile.list(templates)))" }
        var notes = [summary]
        if !renamed.isEmpty { notes.append("\(doc.file): \(renamed.count) guests share a name with another and keep their vmid: \(RVToolsFile.list(renamed))") }
        notes.append("\(doc.file): cpu and mem are one moment's use: give --traces for a plan on a week")
        return InputRead(items: vms, format: "Proxmox VE resources", lines: lines, notes: notes)
    }
}
