import Hostfit

/// What a server starts with: the inventory files and profiles `hostfit serve` read, loaded
/// whole or not at all.
extension PlacementDesk {
    /// The inventory to start with, hosts and VMs (and profiles) in one transaction, after
    /// the validator accepts it: a start that fails leaves the store as it was. Errors and
    /// notes name the files (`hostsName:LINE`, `vmsName:LINE`).
    public func loadInventory(hosts hostsRead: InputRead<VMHost>, vms vmsRead: InputRead<VM>, profiles: [String: ServiceProfile]? = nil,
                              usage: [String: TracedUsage]? = nil, hostsName: String, vmsName: String) throws(DeskError) -> DeskResult.Loaded {
        let (records, hostNotes) = try Self.checked(hostsRead, source: hostsName)
        let newHosts = records.compactMap { try? $0.host() }
        var loaded = try sizingFirst(InventoryCheck.reconcile(vmsRead, vmFile: vmsName, hosts: merged(newHosts), hostFile: hostsName).vms,
                                     profiled: ServiceProfile.withCPU(profiles ?? [:])) { () throws(DeskError) in
            try puttingVMs(vmsRead, profiles: profiles, usage: usage, adding: newHosts, source: vmsName, hostsName: hostsName)
        }
        loaded.hosts = records.count
        loaded.format = nil
        loaded.notes = hostNotes + (loaded.notes ?? [])
        return loaded
    }
}

/// How a server starts: the store's sizing settled, then what it was given loaded, as
/// one step that either holds or changes nothing (`hostfit serve` and embedders alike).
public struct DeskStartup: Sendable {
    public var hosts: InputRead<VMHost>?
    public var hostsName: String?
    public var vms: InputRead<VM>?
    public var vmsName: String?
    /// Hourly profiles from traces, by VM.
    public var profiles: [String: ServiceProfile]?
    /// What the traces said of each VM's use (right-sizing), with the profiles.
    public var usage: [String: TracedUsage]?
    /// --vcpu-ratio: nil not given, .some(nil) off.
    public var vcpuRatio: Double??

    public init(hosts: InputRead<VMHost>? = nil, hostsName: String? = nil, vms: InputRead<VM>? = nil, vmsName: String? = nil,
                profiles: [String: ServiceProfile]? = nil, usage: [String: TracedUsage]? = nil, vcpuRatio: Double?? = nil) {
        self.usage = usage
        self.hosts = hosts
        self.hostsName = hostsName
        self.vms = vms
        self.vmsName = vmsName
        self.profiles = profiles
        self.vcpuRatio = vcpuRatio
    }

    /// Settles the sizing and loads; the notes for the operator, in order.
    public func run(on desk: PlacementDesk) async throws(DeskError) -> [String] {
        var notes = [try await desk.chooseCPU(given: vcpuRatio, startingWith: vms, on: hosts, profiled: ServiceProfile.withCPU(profiles ?? [:]))]
        let loaded: DeskResult.Loaded?
        if vms != nil || (hosts != nil && profiles != nil) {
            loaded = try await desk.loadInventory(hosts: hosts ?? InputRead(items: [], format: "none"), vms: vms ?? InputRead(items: [], format: "none"),
                                                  profiles: profiles, usage: usage, hostsName: hostsName ?? "the store's hosts", vmsName: vmsName ?? "the store's VMs")
        } else if let hosts {
            loaded = try await desk.putHosts(hosts, source: hostsName ?? "hosts")
        } else if let profiles {
            loaded = try await desk.putProfiles(profiles, usage: usage)
        } else {
            loaded = nil
        }
        notes += loaded?.notes ?? []
        return notes
    }
}
