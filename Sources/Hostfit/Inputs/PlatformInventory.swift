/// Inventories that platforms export as JSON, told apart by their content: one file may
/// give hosts and VMs alike. Nil for a file that is not JSON (the CSV readers take it).
enum PlatformInventory {
    static func hosts(_ path: String) throws(InputError) -> InputRead<VMHost>? {
        guard try JSONDocument.read(path) != nil else { return nil }
        if let read = try ProxmoxResourcesFile.hosts(path) { return read }
        throw unknown(path)
    }

    static func vms(_ path: String, includePoweredOff: Bool) throws(InputError) -> InputRead<VM>? {
        guard try JSONDocument.read(path) != nil else { return nil }
        if let read = try ProxmoxResourcesFile.vms(path, includeStopped: includePoweredOff) { return read }
        throw unknown(path)
    }

    static func unknown(_ path: String) -> InputError {
        InputError(file: path, line: 1, "a JSON file that is no inventory hostfit reads: give Proxmox VE's /cluster/resources (pvesh ... --output-format json), or hosts.csv and vms.csv")
    }
}
