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
        throw unknown(path, root: root, data: data, expected: "--hosts")
    }

    static func vms(_ path: String, includePoweredOff: Bool) throws(InputError) -> InputRead<VM>? {
        guard let root = try JSONDocument.read(path), let data = FileManager.default.contents(atPath: path) else { return nil }
        if let doc = ProxmoxResourcesFile.document(root, data: data, file: path) { return try ProxmoxResourcesFile.vms(doc, includeStopped: includePoweredOff) }
        if let read = try OpenStackFile.vms(root, data: data, file: path, includeStopped: includePoweredOff) { return read }
        throw unknown(path, root: root, data: data, expected: "--vms")
    }

    /// What a JSON inventory is, and the flags that take it; nil for JSON that is none.
    static func kind(_ root: Any, data: Data, file: String) -> (what: String, flags: String)? {
        if ProxmoxResourcesFile.document(root, data: data, file: file) != nil { return ("a Proxmox VE /cluster/resources export", "--hosts and --vms") }
        if (try? OpenStackFile.hosts(root, data: data, file: file)) != nil { return ("OpenStack hypervisors", "--hosts") }
        if (try? OpenStackFile.vms(root, data: data, file: file, includeStopped: true)) != nil { return ("OpenStack servers", "--vms") }
        if let servers = (root as? [String: Any])?["servers"] as? [Any], !servers.isEmpty { return ("OpenStack servers", "--vms") }
        return nil
    }

    /// What the file at `path` is, when it is an inventory given where it does not belong.
    static func kind(of path: String) -> (what: String, flags: String)? {
        guard let data = FileManager.default.contents(atPath: path), let root = try? JSONSerialization.jsonObject(with: data) else { return nil }
        return kind(root, data: data, file: path)
    }

    static func unknown(_ path: String, root: Any, data: Data, expected: String) -> InputError {
        if let other = kind(root, data: data, file: path) {
            return InputError(file: path, line: 1, "this looks like \(other.what), not what \(expected) takes: give it as \(other.flags)")
        }
        return InputError(file: path, line: 1, "a JSON file that is no inventory hostfit reads: give Proxmox VE's /cluster/resources, OpenStack's hypervisors or servers (API or CLI -f json), or hosts.csv and vms.csv")
    }
}
