/// A physical host that VMs can be placed on.
public struct Host: Hashable, Sendable {
    public enum State: String, Sendable, CaseIterable {
        case active, maintenance, failed
    }

    public var id: String
    public var cluster: String
    public var model: String
    public var cpuCores: Int
    /// Clock of one core.
    public var cpuMHzPerCore: Double
    /// Full capacity per resource (cpu is cores x MHz). A measured resource absent here is
    /// not tracked on this host; a counted one absent here is zero.
    public var capacity: [Resource: Double]
    public var cost: Double?
    public var powerIdleWatts: Double?
    public var powerMaxWatts: Double?
    public var tags: Set<String>
    public var maxVMs: Int?
    public var state: State

    public init(id: String, cluster: String = "", model: String = "", cpuCores: Int, cpuMHzPerCore: Double,
                memoryMB: Double, capacity extra: [Resource: Double] = [:], cost: Double? = nil,
                powerIdleWatts: Double? = nil, powerMaxWatts: Double? = nil, tags: Set<String> = [],
                maxVMs: Int? = nil, state: State = .active) {
        self.id = id
        self.cluster = cluster
        self.model = model
        self.cpuCores = cpuCores
        self.cpuMHzPerCore = cpuMHzPerCore
        self.capacity = extra.merging([.cpu: Double(cpuCores) * cpuMHzPerCore, .memory: memoryMB]) { _, new in new }
        self.cost = cost
        self.powerIdleWatts = powerIdleWatts
        self.powerMaxWatts = powerMaxWatts
        self.tags = tags
        self.maxVMs = maxVMs
        self.state = state
    }

    /// Only active hosts take VMs.
    public var acceptsVMs: Bool { state == .active }

    /// Linear power model between idle and full load (Fan, Weber & Barroso, ISCA 2007),
    /// from CPU utilization in 0...1; nil without both figures.
    public func estimatedWatts(cpuUtilization u: Double) -> Double? {
        guard let idle = powerIdleWatts, let max = powerMaxWatts else { return nil }
        return idle + (max - idle) * Swift.min(Swift.max(u, 0), 1)
    }
}
