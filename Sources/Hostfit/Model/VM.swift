/// A virtual machine (or a physical server about to become one) to be placed.
public struct VM: Hashable, Sendable {
    public var id: String
    public var vcpus: Int
    /// Allocated memory.
    public var memoryMB: Double
    /// Where it runs now, if anywhere: moving it elsewhere is a migration.
    public var currentHost: String?
    public var cluster: String?
    /// Host tags the VM needs (a licence pool, say).
    public var requires: Set<String>
    public var affinity: Set<String>
    public var antiAffinity: Set<String>
    /// Measured demand per resource where known (cpu in MHz, memory used in MB...).
    public var measured: [Resource: Double]
    /// Stays on `currentHost` (a VM that must not move).
    public var pinned: Bool
    /// Its demand is that of this VM (a new VM "like vm-42": its profile or history).
    public var demandLike: String? = nil
    /// Expected CPU as a percentage of its vCPUs (new.csv `cpu_pct`), when no MHz is given:
    /// planned as that share of its vCPUs at the fastest host's clock.
    public var cpuPercent: Double? = nil
    /// Who pays for it (vms.csv `cost_center`), for chargeback.
    public var costCenter: String? = nil
    /// Licences its host must pay for (vms.csv `licences`), by name.
    public var licences: Set<String> = []

    public init(id: String, vcpus: Int, memoryMB: Double, currentHost: String? = nil, cluster: String? = nil,
                requires: Set<String> = [], affinity: Set<String> = [], antiAffinity: Set<String> = [],
                measured: [Resource: Double] = [:], pinned: Bool = false) {
        self.id = id
        self.vcpus = vcpus
        self.memoryMB = memoryMB
        self.currentHost = currentHost
        self.cluster = cluster
        self.requires = requires
        self.affinity = affinity
        self.antiAffinity = antiAffinity
        self.measured = measured
        self.pinned = pinned
    }

    /// The demand to plan for: measured where known, else the allocation. Unmeasured CPU
    /// counts each vCPU as a busy core of `mhzPerVCPU` (`cpuPercent` of one, where given).
    public func demand(of resource: Resource, mhzPerVCPU: Double) -> Double {
        if let value = measured[resource] { return value }
        switch resource {
        case .cpu: return Double(vcpus) * mhzPerVCPU * (cpuPercent.map { $0 / 100 } ?? 1)
        case .memory: return memoryMB
        default: return 0
        }
    }

}
