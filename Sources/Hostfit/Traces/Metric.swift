/// What a trace measures, in Hostfit's units. Readers convert to these as they read.
public enum Metric: Int, Sendable, CaseIterable, Comparable {
    case cpuMHz
    /// CPU as a percentage of the entity's capacity; becomes MHz once that is known.
    case cpuPercent
    case memoryMB
    /// Memory as a percentage of the entity's; becomes MB once that is known.
    case memoryPercent
    case diskIOPS
    case diskMBps
    case netMbps

    public static func < (a: Metric, b: Metric) -> Bool { a.rawValue < b.rawValue }

    /// The resource it is demand for (CPU percentages become cpu MHz).
    public var resource: Resource {
        switch self {
        case .cpuMHz, .cpuPercent: .cpu
        case .memoryMB, .memoryPercent: .memory
        case .diskIOPS: .disk
        case .diskMBps: .diskThroughput
        case .netMbps: .network
        }
    }

    /// The name in native traces and profiles.csv.
    public var name: String {
        switch self {
        case .cpuMHz: "cpu_mhz"
        case .cpuPercent: "cpu_pct"
        case .memoryMB: "memory_mb"
        case .memoryPercent: "memory_pct"
        case .diskIOPS: "disk_iops"
        case .diskMBps: "disk_mbps"
        case .netMbps: "net_mbps"
        }
    }

    public init?(name: String) {
        guard let metric = Metric.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
        self = metric
    }
}

extension Resource {
    /// Disk throughput in MB/s, which traces measure more often than IOPS.
    public static let diskThroughput = Resource(name: "disk_mbps", unit: "MB/s", isCounted: false)
}
