/// Rules a plan must follow beyond capacity, and the licence prices it pays, as the user
/// sets them for a run.
/// (Per-VM rules, such as tags, affinity and pinning, come with the VMs.)
public struct PlacementRules: Sendable, Equatable {
    /// Allocated vCPUs per physical core at most (4 means 4:1); nil leaves it unchecked.
    public var vcpusPerCore: Double?
    /// Allocated memory per physical memory at most (1.0: no overcommit); nil: unchecked.
    public var memoryRatio: Double?
    /// N+k: each cluster must survive the failure of any `reserve` hosts.
    public var reserve: Int
    /// Licence prices (licences.csv): VMs and hosts name the licences they need.
    public var licences: [Licence] = []

    public init(vcpusPerCore: Double? = nil, memoryRatio: Double? = nil, reserve: Int = 0) {
        self.vcpusPerCore = vcpusPerCore
        self.memoryRatio = memoryRatio
        self.reserve = reserve
    }
}
