import Hostfit

/// A host as the service's JSON carries it (and its store keeps it): the columns of
/// hosts.csv, by the same names.
public struct HostRecord: Codable, Sendable, Equatable {
    public var id: String
    public var cluster: String?
    public var model: String?
    public var cpuCores: Int
    public var cpuMHz: Double
    public var memoryMB: Double
    public var diskIOPS: Double?
    public var netMbps: Double?
    public var tags: [String]?
    public var maxVMs: Int?
    public var state: String?

    enum CodingKeys: String, CodingKey {
        case id, cluster, model, cpuCores = "cpu_cores", cpuMHz = "cpu_mhz", memoryMB = "memory_mb", diskIOPS = "disk_iops"
        case netMbps = "net_mbps", tags, maxVMs = "max_vms", state
    }

    public init(_ host: VMHost) {
        id = host.id
        cluster = host.cluster.isEmpty ? nil : host.cluster
        model = host.model.isEmpty ? nil : host.model
        cpuCores = host.cpuCores
        cpuMHz = host.cpuMHzPerCore
        memoryMB = host.capacity[.memory] ?? 0
        diskIOPS = host.capacity[.disk]
        netMbps = host.capacity[.network]
        tags = host.tags.isEmpty ? nil : host.tags.sorted()
        maxVMs = host.maxVMs
        state = host.state == .active ? nil : host.state.rawValue
    }

    /// The host, or what is wrong with the record (named by its JSON field).
    public func host() throws(RecordError) -> VMHost {
        try RecordError.checkID(id)
        guard cpuCores > 0, cpuCores <= RecordError.most else { throw RecordError(field: "cpu_cores", "must be 1 to \(RecordError.most)") }
        try RecordError.check(cpuMHz, "cpu_mhz", above: 0)
        try RecordError.check(memoryMB, "memory_mb", above: 0)
        if let maxVMs, maxVMs < 0 || maxVMs > RecordError.most { throw RecordError(field: "max_vms", "must be 0 to \(RecordError.most)") }
        var extra: [Resource: Double] = [:]
        if let diskIOPS { try RecordError.check(diskIOPS, "disk_iops"); extra[.disk] = diskIOPS }
        if let netMbps { try RecordError.check(netMbps, "net_mbps"); extra[.network] = netMbps }
        let parsedState: VMHost.State
        if let state {
            guard let s = VMHost.State(rawValue: state) else { throw RecordError(field: "state", "'\(state)' is not one of active, maintenance, failed") }
            parsedState = s
        } else {
            parsedState = .active
        }
        return VMHost(id: id, cluster: cluster ?? "", model: model ?? "", cpuCores: cpuCores, cpuMHzPerCore: cpuMHz, memoryMB: memoryMB,
                      capacity: extra, tags: Set(tags ?? []), maxVMs: maxVMs, state: parsedState)
    }
}

/// A VM as the service's JSON carries it: its allocation, and its demand where measured
/// (otherwise it is planned on its allocation, as `hostfit plan` does without traces).
public struct VMRecord: Codable, Sendable, Equatable {
    public var id: String
    public var vcpus: Int
    public var memoryMB: Double
    public var cpuMHz: Double?
    public var memoryUsedMB: Double?
    public var diskIOPS: Double?
    public var netMbps: Double?
    public var cluster: String?
    public var requires: [String]?
    public var antiAffinity: [String]?

    enum CodingKeys: String, CodingKey {
        case id, vcpus, memoryMB = "memory_mb", cpuMHz = "cpu_mhz", memoryUsedMB = "memory_used_mb", diskIOPS = "disk_iops"
        case netMbps = "net_mbps", cluster, requires, antiAffinity = "anti_affinity"
    }

    public init(_ vm: VM) {
        id = vm.id
        vcpus = vm.vcpus
        memoryMB = vm.memoryMB
        cpuMHz = vm.measured[.cpu]
        memoryUsedMB = vm.measured[.memory]
        diskIOPS = vm.measured[.disk]
        netMbps = vm.measured[.network]
        cluster = vm.cluster
        requires = vm.requires.isEmpty ? nil : vm.requires.sorted()
        antiAffinity = vm.antiAffinity.isEmpty ? nil : vm.antiAffinity.sorted()
    }

    public func vm(on host: String? = nil) throws(RecordError) -> VM {
        try RecordError.checkID(id)
        guard vcpus > 0, vcpus <= RecordError.most else { throw RecordError(field: "vcpus", "must be 1 to \(RecordError.most)") }
        try RecordError.check(memoryMB, "memory_mb", above: 0)
        var measured: [Resource: Double] = [:]
        for (field, resource, value) in [("cpu_mhz", Resource.cpu, cpuMHz), ("memory_used_mb", .memory, memoryUsedMB),
                                         ("disk_iops", .disk, diskIOPS), ("net_mbps", .network, netMbps)] {
            guard let value else { continue }
            try RecordError.check(value, field)
            measured[resource] = value
        }
        return VM(id: id, vcpus: vcpus, memoryMB: memoryMB, currentHost: host, cluster: cluster, requires: Set(requires ?? []),
                  antiAffinity: Set(antiAffinity ?? []), measured: measured)
    }
}

/// A record the service refuses, with the JSON field at fault: a 400, never a crash.
public struct RecordError: Error, Sendable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }

    /// The largest count or amount a record takes: beyond it a figure is a typo, and
    /// arithmetic on it would lose meaning.
    static let most = 1_000_000_000

    /// `value` is finite, at most `most`, and at least 0 (or above `above`).
    static func check(_ value: Double, _ field: String, above: Double? = nil) throws(RecordError) {
        let low = above.map { value > $0 } ?? (value >= 0)
        guard value.isFinite, low, value <= Double(most) else {
            throw RecordError(field: field, "must be \(above != nil ? "above 0" : "0 or more") and at most \(most)")
        }
    }

    static func checkID(_ id: String) throws(RecordError) {
        guard !id.isEmpty, id.count <= 200, !id.contains("/"), id.allSatisfy({ !$0.isNewline }) else {
            throw RecordError(field: "id", "must be 1 to 200 characters, without '/' or line breaks")
        }
    }
}
