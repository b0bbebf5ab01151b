import Hostfit

/// A department, customer or cost centre that places VMs: its quota and its host pool.
/// Its tokens are kept apart (`AccessToken`), its VMs by the desk (who owns which).
public struct Tenant: Codable, Sendable, Equatable {
    public var id: String
    public var quota: Quota
    /// Tags a host must all have for this tenant's VMs (its pool); nil or empty: any host.
    public var hostTags: [String]?

    enum CodingKeys: String, CodingKey { case id, quota, hostTags = "host_tags" }

    public init(id: String, quota: Quota = Quota(), hostTags: [String]? = nil) {
        self.id = id
        self.quota = quota
        self.hostTags = hostTags
    }

    /// A tenant without a quota has no limits.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        quota = try c.decodeIfPresent(Quota.self, forKey: .quota) ?? Quota()
        hostTags = try c.decodeIfPresent([String].self, forKey: .hostTags)
    }

    /// A tenant's id: what tokens, audit rows and idempotency keys are filed under.
    static func checkID(_ id: String) throws(RecordError) {
        guard !id.isEmpty, id.count <= 64, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) else {
            throw RecordError(field: "id", "a tenant is named with 1 to 64 letters, digits, '.', '_' or '-'")
        }
    }

    func checked() throws(RecordError) -> Tenant {
        try Self.checkID(id)
        try quota.check()
        for tag in hostTags ?? [] where tag.isEmpty || tag.count > 200 || tag.contains(";") {
            throw RecordError(field: "host_tags", "a tag is 1 to 200 characters, without ';'")
        }
        var tenant = self
        tenant.hostTags = hostTags.map { Array(Set($0)).sorted() }.flatMap { $0.isEmpty ? nil : $0 }
        return tenant
    }
}

/// What a tenant may have running at once: VMs, vCPUs, memory and counted resources (GPUs,
/// licence seats); a limit left out is no limit. Only placed VMs count: a VM in the
/// inventory that runs nowhere uses no host. `clusters` adds limits on what runs on one
/// cluster's hosts (a tenant may have 64 vCPUs, at most 16 of them in "prod").
public struct Quota: Codable, Sendable, Equatable {
    public var vms: Int?
    public var vcpus: Int?
    public var memoryMB: Double?
    /// Counted resources (the res_NAME of vms.csv) by name.
    public var resources: [String: Double]?
    /// Limits per cluster (hosts.csv `cluster`), by cluster; these have no clusters of their own.
    public var clusters: [String: Quota]?

    enum CodingKeys: String, CodingKey { case vms, vcpus, memoryMB = "memory_mb", resources, clusters }

    public init(vms: Int? = nil, vcpus: Int? = nil, memoryMB: Double? = nil, resources: [String: Double]? = nil,
                clusters: [String: Quota]? = nil) {
        self.vms = vms
        self.vcpus = vcpus
        self.memoryMB = memoryMB
        self.resources = resources
        self.clusters = clusters
    }

    func check(_ field: String = "quota") throws(RecordError) {
        if let vms, vms < 0 || vms > RecordError.most { throw RecordError(field: "\(field).vms", "must be 0 to \(RecordError.most)") }
        if let vcpus, vcpus < 0 || vcpus > RecordError.most { throw RecordError(field: "\(field).vcpus", "must be 0 to \(RecordError.most)") }
        if let memoryMB { try RecordError.check(memoryMB, "\(field).memory_mb") }
        for (resource, _) in try RecordError.resources(resources) {
            try RecordError.check(resources![resource.name]!, "\(field).resources.\(resource.name)")
        }
        for (cluster, quota) in (clusters ?? [:]).sorted(by: { $0.key < $1.key }) {
            let at = "\(field).clusters.\(cluster)"
            guard quota.clusters == nil else { throw RecordError(field: "\(at).clusters", "a cluster's quota has no clusters of its own") }
            guard !cluster.isEmpty, cluster.count <= 200 else { throw RecordError(field: at, "a cluster is named with 1 to 200 characters") }
            try quota.check(at)
        }
    }

    /// The limits as (name, limit), in the order they are checked and reported.
    var limits: [(name: String, limit: Double)] {
        var result: [(String, Double)] = []
        if let vms { result.append(("vms", Double(vms))) }
        if let vcpus { result.append(("vcpus", Double(vcpus))) }
        if let memoryMB { result.append(("memory_mb", memoryMB)) }
        for (name, limit) in (resources ?? [:]).sorted(by: { $0.key < $1.key }) { result.append((name, limit)) }
        return result
    }

    /// The first limit that the use would pass going from `now` to `after`, or nil where
    /// all hold. A limit lowered below what runs refuses growth, never a shrink, and takes
    /// nothing away.
    public func refusal(now: TenantUse, after: TenantUse) -> QuotaExceeded? {
        for (name, limit) in limits {
            let (u, a) = (now.amount(name), after.amount(name))
            if a > limit + 1e-9, a > u + 1e-9 { return QuotaExceeded(quota: name, limit: limit, used: u, asked: a - u) }
        }
        return nil
    }

    /// The first limit of `cluster`'s quota that the use there would pass; nil where it
    /// holds or the cluster has no quota.
    public func refusal(in cluster: String, now: TenantUse, after: TenantUse) -> QuotaExceeded? {
        guard var refused = clusters?[cluster]?.refusal(now: now, after: after) else { return nil }
        refused.cluster = cluster
        return refused
    }
}

/// What a tenant's placed VMs hold, in the quota's terms.
public struct TenantUse: Codable, Sendable, Equatable {
    public var vms = 0
    public var vcpus = 0
    public var memoryMB: Double = 0
    public var resources: [String: Double] = [:]

    enum CodingKeys: String, CodingKey { case vms, vcpus, memoryMB = "memory_mb", resources }

    public init() {}

    /// One VM's allocation.
    public init(_ vm: VM) {
        vms = 1
        vcpus = vm.vcpus
        memoryMB = vm.memoryMB
        for (resource, amount) in vm.measured where resource.isCounted { resources[resource.name] = amount }
    }

    func amount(_ name: String) -> Double {
        switch name {
        case "vms": Double(vms)
        case "vcpus": Double(vcpus)
        case "memory_mb": memoryMB
        default: resources[name] ?? 0
        }
    }

    static func + (a: TenantUse, b: TenantUse) -> TenantUse {
        var sum = a
        sum.vms += b.vms
        sum.vcpus += b.vcpus
        sum.memoryMB += b.memoryMB
        sum.resources.merge(b.resources, uniquingKeysWith: +)
        return sum
    }

    static func += (a: inout TenantUse, b: TenantUse) { a = a + b }

    static func - (a: TenantUse, b: TenantUse) -> TenantUse {
        var rest = a
        rest.vms -= b.vms
        rest.vcpus -= b.vcpus
        rest.memoryMB -= b.memoryMB
        for (name, amount) in b.resources { rest.resources[name, default: 0] -= amount }
        rest.resources = rest.resources.filter { abs($0.value) > 1e-9 }
        return rest
    }
}

/// A refusal for a quota: which, its limit, what runs, what was asked; with the cluster
/// where it is a cluster's limit.
public struct QuotaExceeded: Sendable, Equatable, Codable {
    public var quota: String
    public var limit: Double
    public var used: Double
    public var asked: Double
    public var cluster: String? = nil

    /// "vcpus quota: 62 in use + 4 asked > limit 64", "vcpus quota in cluster 'prod': ...".
    public var words: String {
        "\(quota) quota\(cluster.map { " in cluster '\($0)'" } ?? ""): \(Resource.number(used)) in use + \(Resource.number(asked)) asked > limit \(Resource.number(limit))"
    }
}
