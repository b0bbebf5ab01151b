/// One what-if: a name, where it starts (the base inventory or an earlier scenario), and the
/// changes it applies in order. Lines are where the scenario file said each thing, so that a
/// change that cannot apply (an unknown host) is reported at its line.
public struct Scenario: Sendable {
    public var name: String
    /// An earlier scenario's name; nil starts from the base.
    public var from: String?
    public var changes: [Located<ScenarioChange>]
    public var line: Int

    public init(name: String, from: String? = nil, changes: [Located<ScenarioChange>] = [], line: Int = 0) {
        self.name = name
        self.from = from
        self.changes = changes
        self.line = line
    }
}

/// A value and the line of the file it came from.
public struct Located<Value: Sendable>: Sendable {
    public var value: Value
    public var line: Int
    public init(_ value: Value, line: Int) {
        self.value = value
        self.line = line
    }
}

public enum ScenarioChange: Sendable {
    /// `count` new VMs with the demand of `like` (its trace or static use), named PREFIX-k.
    case addVMsLike(like: String, count: Int, prefix: String)
    /// New VMs read from a vms.csv.
    case addVMs([VM])
    case removeVMs([String])
    /// Hosts that fail: they take no VMs, and their VMs must move.
    case failHosts([String])
    /// Hosts in maintenance: the same for the plan, but named as planned work.
    case drainHosts([String])
    /// `count` owned hosts of a catalog model (their cost counts).
    case addHosts(model: String, count: Int)
    /// Allows buying any number of hosts of these catalog models (all when empty).
    case buy(models: [String])
    /// Every host of model `from` becomes one of model `to` (a refresh).
    case replaceModel(from: String, to: String)
    /// Demand grows by `percentPerYear`, compounded, over `months`.
    case growth(percentPerYear: Double, months: Double)
    /// Each VM's demand `months` ahead on its own rising trend (`DemandTrends`).
    case trendGrowth(months: Double)
    case headroom(String)
    case sizing(DemandSizing)
    case percentile(Double)
    case vcpuRatio(Double?)
    case memoryRatio(Double?)
    case reserve(Int)
    /// Every VM takes its right-sizing recommendation; idle ones are powered off when asked.
    case rightSize(powerOffIdle: Bool)
    /// What the hypervisor itself holds on every host and catalog model from here on
    /// (a platform's overhead: memory for itself and its caches, a share of the CPU).
    case hostOverhead(memoryMB: Double, cpuPercent: Double)
}

/// What a scenario file says besides its scenarios: the inputs every scenario starts from.
public struct ScenarioBase: Sendable {
    public var hosts: [VMHost]
    public var catalog: [VMHost]
    public var vms: [VM]
    public var traces: [String]
    public var headroom: String?
    public var sizing: DemandSizing
    public var percentile: Double
    public var rules: PlacementRules
    /// Paths as the file gave them, resolved against its folder, for summary.json.
    public var paths: [(role: String, path: String)]

    public init(hosts: [VMHost], catalog: [VMHost] = [], vms: [VM], traces: [String] = [], headroom: String? = nil,
                sizing: DemandSizing = .history, percentile: Double = 95, rules: PlacementRules = PlacementRules(),
                paths: [(role: String, path: String)] = []) {
        self.hosts = hosts
        self.catalog = catalog
        self.vms = vms
        self.traces = traces
        self.headroom = headroom
        self.sizing = sizing
        self.percentile = percentile
        self.rules = rules
        self.paths = paths
    }
}
