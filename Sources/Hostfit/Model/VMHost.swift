/// A physical host that VMs can be placed on (a row of hosts.csv, or a catalog model).
///
/// Named as System Center VMM names it: `Host` would clash with Foundation's `Host` class
/// in every program that imports both.
public struct VMHost: Hashable, Sendable {
    public enum State: String, Sendable, CaseIterable, Codable {
        case active, maintenance, failed

        /// A state by name; an unknown one says which there are.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let state = State(rawValue: text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not one of active, maintenance, failed")
            }
            self = state
        }
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
    /// Measured watts at CPU loads (percent, ascending), as SPECpower publishes them: read
    /// in preference to the linear idle/max model.
    public var powerCurve: [(load: Double, watts: Double)] = []
    /// CPU sockets, where the inventory says (per-socket licences count them).
    public var sockets: Int? = nil
    /// Licences the host pays whenever it runs VMs (its hypervisor's subscription), by name.
    public var licences: Set<String> = []

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

    /// Power at a CPU utilization in 0...1: the measured curve interpolated linearly where
    /// there is one, else the linear model between idle and full load (Fan, Weber & Barroso,
    /// ISCA 2007); nil with neither.
    public func estimatedWatts(cpuUtilization u: Double) -> Double? {
        let load = Swift.min(Swift.max(u, 0), 1) * 100
        if let first = powerCurve.first, let last = powerCurve.last {
            if load <= first.load { return first.watts }
            if load >= last.load { return last.watts }
            let k = powerCurve.firstIndex { $0.load >= load }!
            let (a, b) = (powerCurve[k - 1], powerCurve[k])
            return a.watts + (b.watts - a.watts) * (load - a.load) / (b.load - a.load)
        }
        guard let idle = powerIdleWatts, let max = powerMaxWatts else { return nil }
        return idle + (max - idle) * load / 100
    }

    public static func == (a: VMHost, b: VMHost) -> Bool {
        a.id == b.id && a.cluster == b.cluster && a.model == b.model && a.cpuCores == b.cpuCores && a.cpuMHzPerCore == b.cpuMHzPerCore
            && a.capacity == b.capacity && a.cost == b.cost && a.powerIdleWatts == b.powerIdleWatts && a.powerMaxWatts == b.powerMaxWatts
            && a.tags == b.tags && a.maxVMs == b.maxVMs && a.state == b.state
            && a.sockets == b.sockets && a.licences == b.licences
            && a.powerCurve.map(\.load) == b.powerCurve.map(\.load) && a.powerCurve.map(\.watts) == b.powerCurve.map(\.watts)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(model)
    }
}
