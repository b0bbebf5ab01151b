import Foundation

/// OpenStack Nova's inventory, as its API or its CLI gives it:
/// - hosts: `GET /os-hypervisors/detail` (`{"hypervisors": [...]}`), `openstack hypervisor
///   list --long -f json`, or `openstack hypervisor show -f json` (one object);
/// - VMs: `GET /servers/detail` (`{"servers": [...]}`; from microversion 2.47 each carries
///   its flavor) or `openstack server list --long -f json`; where servers name their flavor
///   only, one file holds both: `{"servers": [...], "flavors": [...]}` (`jq -s
///   '{servers: .[0], flavors: .[1]}' servers.json flavors.json`).
/// A hypervisor's `vcpus` are logical CPUs and no clock is given: cores count at
/// `PlatformInventory.nominalMHz`. Servers carry no use: their flavors are planned.
enum OpenStackFile {
    /// A field under its API name or its CLI column name.
    private static func field(_ item: [String: Any], _ names: String...) -> Any? {
        for name in names { if let value = item[name], !(value is NSNull) { return value } }
        return nil
    }

    static func hosts(_ root: Any, data: Data, file: String) throws(InputError) -> InputRead<VMHost>? {
        var doc = JSONDocument(root, data: data, file: file, keys: ["hypervisors"])
        if doc == nil, let one = root as? [String: Any], one["hypervisor_hostname"] != nil { doc = JSONDocument(single: one, file: file) }
        guard let doc, !doc.items.isEmpty,
              doc.items.allSatisfy({ field($0, "hypervisor_hostname", "Hypervisor Hostname") != nil }) else { return nil }
        var hosts: [VMHost] = [], lines: [String: Int] = [:], down: [String] = []
        for (item, line) in zip(doc.items, doc.lines) {
            let fail = { (what: String) in InputError(file: file, line: line, what) }
            guard let name = field(item, "hypervisor_hostname", "Hypervisor Hostname") as? String, !name.isEmpty else { throw fail("a hypervisor without a hostname") }
            if let first = lines[name] { throw fail("hypervisor '\(name)' appears again (first on line \(first))") }
            guard let cpus = JSONDocument.number(field(item, "vcpus", "vCPUs")), cpus >= 1, cpus == cpus.rounded() else {
                throw fail("hypervisor '\(name)': vcpus is missing: Nova gives it up to microversion 2.87 (ask with OpenStack-API-Version: compute 2.87, or use the CLI's hypervisor list --long)")
            }
            guard let memory = JSONDocument.number(field(item, "memory_mb", "Memory MB")), memory > 0 else {
                throw fail("hypervisor '\(name)': memory_mb is missing: Nova gives it up to microversion 2.87")
            }
            let state = (field(item, "state", "State") as? String)?.lowercased() ?? "up"
            let status = (field(item, "status", "Status") as? String)?.lowercased() ?? "enabled"
            let active = state == "up" && status == "enabled"
            if !active { down.append(name) }
            lines[name] = line
            hosts.append(VMHost(id: name, cpuCores: Int(cpus), cpuMHzPerCore: PlatformInventory.nominalMHz, memoryMB: memory,
                                state: state != "up" ? .failed : status != "enabled" ? .maintenance : .active))
        }
        var notes = ["\(file): OpenStack hypervisors: \(hosts.count)" + (down.isEmpty ? "" : "; \(down.count) down or disabled (\(RVToolsFile.list(down))): they take no VMs")]
        notes.append("\(file): Nova gives no clock speed: every hypervisor's CPUs count at \(Resource.number(PlatformInventory.nominalMHz)) MHz, so CPU is planned in CPUs (exact between hosts of one clock)")
        return InputRead(items: hosts, format: "OpenStack hypervisors", lines: lines, notes: notes)
    }

    static func vms(_ root: Any, data: Data, file: String, includeStopped: Bool) throws(InputError) -> InputRead<VM>? {
        guard let doc = JSONDocument(root, data: data, file: file, keys: ["servers"]), !doc.items.isEmpty,
              doc.items.allSatisfy({ field($0, "status", "Status") != nil && field($0, "flavor", "Flavor ID", "Flavor Name", "Flavor") != nil }) else { return nil }
        // Flavors by id and by name, where the file holds them beside the servers.
        var flavors: [String: (vcpus: Double, ram: Double)] = [:]
        if let list = (root as? [String: Any])?["flavors"] as? [[String: Any]] {
            for f in list {
                guard let vcpus = JSONDocument.number(field(f, "vcpus", "VCPUs")), let ram = JSONDocument.number(field(f, "ram", "RAM")) else { continue }
                for key in [field(f, "id", "ID"), field(f, "name", "Name")].compactMap({ $0.map { "\($0)" } }) { flavors[key] = (vcpus, ram) }
            }
        }
        let names = Dictionary(grouping: doc.items.compactMap { field($0, "name", "Name") as? String }, by: { $0 }).mapValues(\.count)
        var vms: [VM] = [], lines: [String: Int] = [:], stopped: [String] = []
        for (item, line) in zip(doc.items, doc.lines) {
            let fail = { (what: String) in InputError(file: file, line: line, what) }
            let uuid = field(item, "id", "ID") as? String
            guard var id = (field(item, "name", "Name") as? String).flatMap({ $0.isEmpty ? nil : $0 }) ?? uuid else { throw fail("a server without a name or id") }
            if names[id, default: 0] > 1, let uuid { id += "-" + uuid.prefix(8) }
            if let first = lines[id] { throw fail("server '\(id)' appears again (first on line \(first))") }
            let status = (field(item, "status", "Status") as? String)?.uppercased() ?? "ACTIVE"
            if status != "ACTIVE" && !includeStopped { stopped.append(id); continue }
            let flavor = field(item, "flavor", "Flavor ID", "Flavor Name", "Flavor")
            var size: (vcpus: Double, ram: Double)?
            if let inline = flavor as? [String: Any], let vcpus = JSONDocument.number(inline["vcpus"]), let ram = JSONDocument.number(inline["ram"]) {
                size = (vcpus, ram)
            } else {
                let key = (flavor as? [String: Any]).flatMap { $0["id"] ?? $0["original_name"] }.map { "\($0)" } ?? flavor.map { "\($0)" }
                if let key { size = flavors[key] ?? flavors[(field(item, "Flavor Name") as? String) ?? ""] }
                guard size != nil else {
                    throw fail("server '\(id)': its flavor '\(key ?? "?")' is not in the file: give servers with their flavors (API microversion 2.47 or later), or one file {\"servers\": [...], \"flavors\": [...]}")
                }
            }
            guard let (vcpus, ram) = size, vcpus >= 1, ram > 0 else { throw fail("server '\(id)': its flavor has no vcpus or ram") }
            let host = status == "ACTIVE" ? field(item, "OS-EXT-SRV-ATTR:hypervisor_hostname", "OS-EXT-SRV-ATTR:host", "Host") as? String : nil
            lines[id] = line
            vms.append(VM(id: id, vcpus: Int(vcpus.rounded(.up)), memoryMB: ram, currentHost: host.flatMap { $0.isEmpty ? nil : $0 },
                          cluster: nil))
        }
        guard !vms.isEmpty else {
            throw InputError(file: file, line: doc.lines.first, "no servers to plan: none is ACTIVE (--include-powered-off keeps the others)")
        }
        var summary = "\(file): OpenStack servers: \(vms.count) (\(vms.count { $0.currentHost != nil }) with their host)"
        if !stopped.isEmpty { summary += "; \(stopped.count) not ACTIVE left out (\(RVToolsFile.list(stopped)); --include-powered-off keeps them)" }
        var notes = [summary]
        if vms.contains(where: { $0.currentHost == nil }) {
            notes.append("\(file): servers without OS-EXT-SRV-ATTR:hypervisor_hostname (an admin's field) are planned as new, not as migrations")
        }
        notes.append("\(file): servers give their flavors only (vCPUs, memory): they are planned unless traces give measured use")
        return InputRead(items: vms, format: "OpenStack servers", lines: lines, notes: notes)
    }
}
