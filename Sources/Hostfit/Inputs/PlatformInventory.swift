import Foundation

/// Inventories that platforms export as JSON, told apart by their content: one file may
/// give hosts and VMs alike. Nil for a file that is not JSON (the CSV readers take it).
enum PlatformInventory {
    /// What one CPU counts for where the export gives no clock (Proxmox, Nova): CPU is then
    /// planned in CPUs, exact between hosts of one clock.
    static let nominalMHz = 1000.0

    static func hosts(_ path: String) throws(InputError) -> InputRead<VMHost>? {
        guard let root = try JSONDocument.read(path), let data = FileManager.default.contents(atPath: path) else { return nil }
        if let doc = ProxmoxResourcesFile.document(root, data: data, file: path) { return try ProxmoxResourcesFile.hosts(doc) }
        if let read = try OpenStackFile.hosts(root, data: data, file: path) { return read }
        throw unknown(path)
    }

    static func vms(_ path: String, includePoweredOff: Bool) throws(InputError) -> InputRead<VM>? {
        guard let root = try JSONDocument.read(path), let data = FileManager.default.contents(atPath: path) else { return nil }
        if let doc = ProxmoxResourcesFile.document(root, data: data, file: path) { return try ProxmoxResourcesFile.vms(doc, includeStopped: includePoweredOff) }
        if let read = try OpenStackFile.vms(root, data: data, file: path, includeStopped: includePoweredOff) { return read }
        throw unknown(path)
    }

    static func unknown(_ path: String) -> InputError {
        InputError(file: path, line: 1, "a JSON file that is no inventory hostfit reads: give Proxmox VE's /cluster/resources, OpenStack's hypervisors or servers (API or CLI -f json), or hosts.csv and vms.csv")
    }
}
