import Hostfit

/// One VM's demand by hour of the day or week, from its trace (`hostfit profile`'s
/// percentile of each hour) or from its live samples.
public struct ServiceProfile: Sendable, Equatable, Codable {
    public var scheme: BucketScheme
    public var series: [Resource: [Double]]
    /// Resources whose series follow the VM's live window (POST /samples): the store keeps
    /// the window and not these series, which it makes again from the window when it loads,
    /// so a batch of samples writes no profile.
    public var live: Set<Resource> = []

    public init(scheme: BucketScheme, series: [Resource: [Double]], live: Set<Resource> = []) {
        self.scheme = scheme
        self.series = series
        self.live = live
    }

    enum CodingKeys: String, CodingKey { case scheme, series, live }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let s = BucketScheme(rawValue: try c.decode(String.self, forKey: .scheme)) else {
            throw DecodingError.dataCorruptedError(forKey: .scheme, in: c, debugDescription: "unknown bucket scheme")
        }
        scheme = s
        let named = try c.decode([String: [Double]].self, forKey: .series)
        var series: [Resource: [Double]] = [:]
        for (name, values) in named {
            guard let resource = Resource.standard(named: name), values.count == s.count else {
                throw DecodingError.dataCorruptedError(forKey: .series, in: c, debugDescription: "'\(name)' is not a resource with \(s.count) hourly values")
            }
            series[resource] = values
        }
        self.series = series
        for name in try c.decodeIfPresent([String].self, forKey: .live) ?? [] {
            guard let resource = Resource.standard(named: name) else {
                throw DecodingError.dataCorruptedError(forKey: .live, in: c, debugDescription: "'\(name)' is not a resource")
            }
            live.insert(resource)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(scheme.rawValue, forKey: .scheme)
        try c.encode(Dictionary(uniqueKeysWithValues: series.filter { !live.contains($0.key) }.map { ($0.key.name, $0.value) }), forKey: .series)
        if !live.isEmpty { try c.encode(live.map(\.name).sorted(), forKey: .live) }
    }
}

extension ServiceProfile {
    /// The VMs whose profile has their CPU: they state their CPU use.
    public static func withCPU(_ profiles: [String: ServiceProfile]) -> Set<String> {
        Set(profiles.filter { $0.value.series[.cpu] != nil }.keys)
    }

    /// The hourly profile of each VM the traces cover (a VM "like" another takes that one's),
    /// with what to tell the operator: traced entities that are no VM, VMs without a trace.
    public static func profiles(_ demand: TracedDemand, for vms: [VM], mhzPerCore: Double) -> (profiles: [String: ServiceProfile], notes: [String]) {
        guard case .profiles(let set) = demand.source else { return ([:], []) }
        var profiles: [String: ServiceProfile] = [:]
        for vm in vms {
            var series: [Resource: [Double]] = [:]
            for resource in Resource.standard {
                if let values = demand.demand(of: vm, resource, mhzPerCore: mhzPerCore), values.count == set.scheme.count { series[resource] = values }
            }
            if !series.isEmpty { profiles[vm.id] = ServiceProfile(scheme: set.scheme, series: series) }
        }
        var notes = demand.notes
        let ids = Set(vms.map(\.id))
        let strangers = demand.traced.filter { !ids.contains($0) }.sorted()
        if !strangers.isEmpty {
            notes.append("\(strangers.count) traced entities are not VMs of the service (\(strangers.prefix(3).joined(separator: ", "))): not kept")
        }
        let untraced = vms.count - profiles.count
        if untraced > 0 { notes.append("\(untraced) VMs have no trace: their static demand counts in every hour") }
        if !profiles.isEmpty {
            notes.append("\(profiles.count) VMs are placed on their \(set.scheme.rawValue) profile (the p\(Resource.number(set.percentile)) of each hour): a host's VMs must fit together in every hour, not as summed peaks")
        }
        return (profiles, notes)
    }
}
