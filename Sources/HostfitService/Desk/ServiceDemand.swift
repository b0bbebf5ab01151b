import Hostfit

/// How the service turns its VMs into demand, fixed for a store so that placements made
/// under it stay valid on restart.
///
/// CPU is either `used`: cpu_mhz or cpu_pct where a VM states them, else each vCPU a busy
/// core of the fastest host, as `hostfit plan` counts a measured inventory; or `allocated`:
/// vCPUs against cores at a ratio (OpenStack's cpu_allocation_ratio, sizing "as on premises"),
/// with a VM that states its use held to that as well. An inventory that states no CPU use
/// (an RVTools vInfo, flavors of 4 vCPUs) is planned on allocations, as the CLI plans it.
///
/// `profiles` hold hourly demand from traces: a profiled VM must fit in every hour of the
/// day or week, the others count their static demand in each.
public struct ServiceDemand: Sendable, Equatable {
    public typealias CPU = CPUSizing

    public var cpu: CPU
    public var profiles: [String: ServiceProfile] { didSet { buckets = profiles.values.first?.scheme.count ?? 1 } }
    /// Time buckets of the profiles (24 or 168), 1 without any.
    public private(set) var buckets: Int

    public init(cpu: CPU = .used, profiles: [String: ServiceProfile] = [:]) {
        self.cpu = cpu
        self.profiles = profiles
        buckets = profiles.values.first?.scheme.count ?? 1
    }

    /// `rules` with the vCPU ratio this sizing plans against.
    func rules(_ rules: PlacementRules) -> PlacementRules {
        var result = rules
        if case .allocated(let ratio) = cpu { result.vcpusPerCore = ratio }
        return result
    }

    /// A VM's demand for a resource per bucket; nil for its static demand.
    func demand(of vm: VM, _ resource: Resource) -> [Double]? {
        if let series = profiles[vm.id]?.series[resource] { return series }
        if resource == .cpu, case .allocated = cpu, !CPUSizing.states(vm) { return [Double](repeating: 0, count: buckets) }
        return nil
    }

    /// The inventory as a placer: `vms` on their `currentHost`, appended VMs sized the same way.
    func placer(hosts: [VMHost], vms: [VM], headroom: Headroom, rules: PlacementRules) -> IncrementalPlacer {
        let sizing = self
        return IncrementalPlacer(problem(Inventory(hosts: hosts, vms: vms), headroom: headroom, rules: rules)) { vm, resource in
            sizing.demand(of: vm, resource)
        }
    }

    /// The inventory as a problem under this sizing.
    func problem(_ inventory: Inventory, headroom: Headroom, rules: PlacementRules) -> PlacementProblem {
        PlacementProblem(inventory: inventory, headroom: headroom, rules: self.rules(rules), buckets: buckets,
                         traced: nil, demandOf: demand)
    }

    /// The CPU sizing of a store: the one `--vcpu-ratio` gives (`.some(nil)`: off), else the
    /// one stored, else on allocations when the VMs to start with state no CPU use, at today's
    /// ratio on their hosts (at least 4:1). With what to tell the operator.
    /// `profiled` VMs have a trace of their CPU.
    public static func choose(given: Double??, stored: CPU?, vms: [VM], hosts: [VMHost], profiled: Set<String> = []) -> (cpu: CPU, note: String) {
        let cpu: CPU, why: String
        if let given {
            cpu = given.map { .allocated(vcpusPerCore: $0) } ?? .used
            why = "as --vcpu-ratio says"
        } else if let stored {
            cpu = stored
            why = "as this store was started"
        } else if !vms.isEmpty, !vms.contains(where: { CPUSizing.states($0) || profiled.contains($0.id) }) {
            // The VMs run where they run: the ratio must admit the busiest host of today.
            let (ratio, source) = CPUSizing.allocationRatio(given: nil, vms: vms, hosts: hosts, keepsHosts: true)
            cpu = .allocated(vcpusPerCore: ratio)
            switch source {
            case .today(let busiest?):
                why = "no VM loaded states CPU use (cpu_mhz or cpu_pct), and host '\(busiest)' runs that many today"
            case .today:
                why = "no VM loaded states CPU use (cpu_mhz or cpu_pct), and the hosts run that many today"
            default:
                why = "no VM loaded states CPU use (cpu_mhz or cpu_pct); 4:1 is a usual ratio for general workloads"
            }
        } else {
            cpu = .used
            why = vms.isEmpty ? "the default for an empty store" : "since VMs state their CPU use"
        }
        switch cpu {
        case .used:
            return (cpu, "CPU is planned as used, \(why): a VM without cpu_mhz or cpu_pct counts each vCPU as a busy core; --vcpu-ratio N plans vCPUs against cores instead")
        case .allocated(let ratio):
            return (cpu, "CPU is planned as allocated vCPUs, at most \(Resource.number(ratio)) per core: \(why). VMs that state cpu_mhz or cpu_pct are held to that use too; --vcpu-ratio sets another ratio, or off")
        }
    }
}
