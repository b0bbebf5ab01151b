/// The hosts and VMs a plan is about.
public struct Inventory: Sendable {
    public var hosts: [Host]
    public var vms: [VM]

    public init(hosts: [Host], vms: [VM]) {
        self.hosts = hosts
        self.vms = vms
    }

    /// Every resource some host declares a capacity for, standard ones first.
    public var resources: [Resource] {
        Set(hosts.flatMap(\.capacity.keys)).sorted()
    }
}
