import Hostfit

/// What a VM's traces said of its use, kept for right-sizing (GET /sizing): the service
/// keeps this and each VM's profile, not the traces.
public struct TracedUsage: Codable, Sendable, Equatable {
    /// The percentile `atPercentile` is.
    public var percentile: Double
    /// By resource name (cpu, memory, net...).
    public var resources: [String: TracedDemand.Usage]

    /// The usage of each of `vms` that `demand` covers (a VM "like" another takes that one's).
    public static func of(_ demand: TracedDemand, vms: [VM], percentile: Double) -> [String: TracedUsage] {
        var result: [String: TracedUsage] = [:]
        for vm in vms {
            var resources: [String: TracedDemand.Usage] = [:]
            for resource in Resource.standard {
                if let usage = demand.usage(of: vm.demandLike ?? vm.id, resource, percentile: percentile) { resources[resource.name] = usage }
            }
            if !resources.isEmpty { result[vm.id] = TracedUsage(percentile: percentile, resources: resources) }
        }
        return result
    }

    func usage(_ resource: Resource) -> TracedDemand.Usage? { resources[resource.name] }
}
