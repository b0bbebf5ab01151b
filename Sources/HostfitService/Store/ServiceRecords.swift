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
    public var state: VMHost.State?
    public var cost: Double?
    public var powerIdleW: Double?
    public var powerMaxW: Double?
    /// Counted resources (the res_NAME columns: GPUs, licence seats...) by name.
    public var resources: [String: Double]?

    enum CodingKeys: String, CodingKey {
        case id, cluster, model, cpuCores = "cpu_cores", cpuMHz = "cpu_mhz", memoryMB = "memory_mb", diskIOPS = "disk_iops"
        case netMbps = "net_mbps", tags, maxVMs = "max_vms", state, cost, powerIdleW = "power_idle_w", powerMaxW = "power_max_w", resources
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
        state = host.state == .active ? nil : host.state
        cost = host.cost
        powerIdleW = host.powerIdleWatts
        powerMaxW = host.powerMaxWatts
        resources = RecordError.counted(host.capacity)
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
        for (resource, amount) in try RecordError.resources(resources) { extra[resource] = amount }
        if let cost { try RecordError.check(cost, "cost") }
        if let powerIdleW { try RecordError.check(powerIdleW, "power_idle_w") }
        if let powerMaxW {
            try RecordError.check(powerMaxW, "power_max_w")
            if let powerIdleW, powerMaxW < powerIdleW { throw RecordError(field: "power_max_w", "is below power_idle_w") }
        }
        return VMHost(id: id, cluster: cluster ?? "", model: model ?? "", cpuCores: cpuCores, cpuMHzPerCore: cpuMHz, memoryMB: memoryMB,
                      capacity: extra, cost: cost, powerIdleWatts: powerIdleW, powerMaxWatts: powerMaxW, tags: Set(tags ?? []),
                      maxVMs: maxVMs, state: state ?? .active)
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
    public var affinity: [String]?
    /// Stays on the host it runs on (a loaded inventory's pinned VMs).
    public var pinned: Bool?
    /// Expected CPU in percent of its vCPUs, where no cpu_mhz is given.
    public var cpuPct: Double?
    public var costCenter: String?
    /// Counted demand (res_NAME) by name.
    public var resources: [String: Double]?

    enum CodingKeys: String, CodingKey {
        case id, vcpus, memoryMB = "memory_mb", cpuMHz = "cpu_mhz", memoryUsedMB = "memory_used_mb", diskIOPS = "disk_iops"
        case netMbps = "net_mbps", cluster, requires, antiAffinity = "anti_affinity", affinity, pinned, cpuPct = "cpu_pct"
        case costCenter = "cost_center", resources
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
        affinity = vm.affinity.isEmpty ? nil : vm.affinity.sorted()
        pinned = vm.pinned ? true : nil
        cpuPct = vm.cpuPercent
        costCenter = vm.costCenter
        resources = RecordError.counted(vm.measured)
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
        for (resource, amount) in try RecordError.resources(resources) { measured[resource] = amount }
        if let cpuPct, !(cpuPct.isFinite && cpuPct >= 0 && cpuPct <= 100) { throw RecordError(field: "cpu_pct", "must be 0 to 100") }
        if pinned == true, host == nil { throw RecordError(field: "pinned", "a VM that runs nowhere cannot be pinned") }
        var vm = VM(id: id, vcpus: vcpus, memoryMB: memoryMB, currentHost: host, cluster: cluster, requires: Set(requires ?? []),
                    affinity: Set(affinity ?? []), antiAffinity: Set(antiAffinity ?? []), measured: measured, pinned: pinned ?? false)
        vm.cpuPercent = cpuPct
        vm.costCenter = costCenter
        return vm
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

    /// The counted resources of a record, checked (names as in res_NAME, amounts as any figure).
    static func resources(_ named: [String: Double]?) throws(RecordError) -> [(Resource, Double)] {
        var result: [(Resource, Double)] = []
        for (name, amount) in (named ?? [:]).sorted(by: { $0.key < $1.key }) {
            let field = "resources.\(name)"
            guard !name.isEmpty, name.count <= 64, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }),
                  Resource.standard(named: name) == nil, ![Resource.vcpuAllocation.name, Resource.memoryAllocation.name].contains(name) else {
                throw RecordError(field: field, "a counted resource is named with letters, digits, _ or - (not cpu, memory, disk or net)")
            }
            try check(amount, field)
            result.append((.counted(name), amount))
        }
        return result
    }

    /// The counted resources of a host's capacity or a VM's demand, for a record.
    static func counted(_ values: [Resource: Double]) -> [String: Double]? {
        let counted = values.filter { $0.key.isCounted }
        return counted.isEmpty ? nil : Dictionary(uniqueKeysWithValues: counted.map { ($0.key.name, $0.value) })
    }

    static func checkID(_ id: String) throws(RecordError) {
        guard !id.isEmpty, id.count <= 200, !id.contains("/"), id.allSatisfy({ !$0.isNewline }) else {
            throw RecordError(field: "id", "must be 1 to 200 characters, without '/' or line breaks")
        }
    }
}
