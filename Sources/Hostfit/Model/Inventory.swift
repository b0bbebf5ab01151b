/// The hosts and VMs a plan is about.
public struct Inventory: Sendable {
    public var hosts: [VMHost]
    public var vms: [VM]
    /// Host models that can be bought, any number of each (`id` is the model name).
    public var catalog: [VMHost]

    public init(hosts: [VMHost], vms: [VM], catalog: [VMHost] = []) {
        self.hosts = hosts
        self.vms = vms
        self.catalog = catalog
    }

    /// Every resource some host or model declares a capacity for, standard ones first.
    public var resources: [Resource] {
        Set((hosts + catalog).flatMap(\.capacity.keys)).sorted()
    }
}
