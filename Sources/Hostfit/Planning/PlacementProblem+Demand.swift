/// Why a problem could not be built from its inputs (exit code 2 in the CLI).
public struct PlanningInputError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension PlacementProblem {
    /// Each vCPU of a VM with no measured CPU counts as a busy core of this clock: the
    /// fastest host's (owned or in the catalog), or 2,600 MHz when no host says.
    public static func mhzPerCore(hosts: [VMHost], catalog: [VMHost] = []) -> Double {
        (hosts + catalog).map(\.cpuMHzPerCore).max() ?? 2600
    }

    /// The one way to build a problem from an inventory and what traces say: the CLI and
    /// embedders alike. `vms` nil (or empty, with traces) plans every traced entity as a VM.
    /// Without `demand`, each VM's static demand (measured columns, else allocation) counts.
    public init(hosts: [VMHost], catalog: [VMHost] = [], vms: [VM]?, demand: TracedDemand? = nil,
                headroom: Headroom = Headroom(), rules: PlacementRules = PlacementRules()) throws(PlanningInputError) {
        guard !hosts.isEmpty || !catalog.isEmpty else {
            throw PlanningInputError("give --hosts, --models or both: there is nowhere to place VMs")
        }
        let mhzPerCore = Self.mhzPerCore(hosts: hosts, catalog: catalog)
        var list = vms ?? []
        if list.isEmpty, let demand { list = demand.vms(mhzPerCore: mhzPerCore) }
        guard !list.isEmpty else {
            throw PlanningInputError("give --vms, --traces or --profiles: there is nothing to place")
        }
        let inventory = Inventory(hosts: hosts, vms: list, catalog: catalog)
        guard let demand else {
            self.init(inventory: inventory, headroom: headroom, rules: rules, buckets: 1, traced: nil) { _, _ in nil }
            return
        }
        self.init(inventory: inventory, headroom: headroom, rules: rules, buckets: demand.buckets, traced: demand.traced) { vm, resource in
            demand.demand(of: vm, resource, mhzPerCore: mhzPerCore)
        }
    }
}
