/// Replays a placement against demand it was not planned from: each host's VMs summed at
/// every interval of the history, against the host's capacity and against its headroom.
/// This is how a plan's risk is measured honestly: on the next month, not the last one.
public enum Replay {
    public struct Overload: Sendable, Equatable {
        public var host: String
        public var time: Int64
        public var resource: Resource
        public var demand: Double
        public var capacity: Double
    }

    public struct Result: Sendable {
        /// Hosts running VMs times intervals.
        public var hostIntervals: Int
        /// Host-intervals where some resource's demand exceeds full capacity.
        public var overCapacity: Int
        /// Host-intervals where some resource's demand exceeds capacity times headroom.
        public var overHeadroom: Int
        /// Every resource over capacity, one entry per host, interval and resource.
        public var overloads: [Overload]
        /// VMs of the plan the history does not cover: they add nothing to their host's load.
        public var missing: [String] = []

        public var overCapacityShare: Double { hostIntervals == 0 ? 0 : Double(overCapacity) / Double(hostIntervals) }
        public var overHeadroomShare: Double { hostIntervals == 0 ? 0 : Double(overHeadroom) / Double(hostIntervals) }
    }

    /// Replays `placement` on the traces at `paths` (files or folders, any format Hostfit
    /// reads): the entry for a plan and the traces of a later period. `inventory` gives
    /// percentages a capacity, as for planning.
    public static func run(_ placement: Placement, hosts: [VMHost], traces paths: [String], headroom: Headroom = Headroom(),
                           inventory: [VM] = [], coreMHz: Double? = nil, resources: [Resource] = [.cpu, .memory]) throws(InputError) -> Result {
        let demand = try TracedDemand.read(paths, sizing: .history, coreMHz: coreMHz, inventory: inventory)
        guard case .history(let history) = demand.source else { preconditionFailure("history sizing gives a history") }
        return run(placement, hosts: hosts, history: history, headroom: headroom, resources: resources)
    }

    /// VMs the history does not cover contribute nothing; `Result.missing` names them.
    public static func run(_ placement: Placement, hosts: [VMHost], history: DemandHistory, headroom: Headroom,
                           resources: [Resource] = [.cpu, .memory]) -> Result {
        let hostIndex = Dictionary(hosts.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let members = Dictionary(grouping: placement.entries.filter { hostIndex[$0.host] != nil }, by: \.host)
        var result = Result(hostIntervals: 0, overCapacity: 0, overHeadroom: 0, overloads: [])
        result.missing = placement.entries.map(\.vm).filter { history.series[$0] == nil }
        let T = history.slots
        for (hostID, entries) in members.sorted(by: { $0.key < $1.key }) {
            let host = hosts[hostIndex[hostID]!]
            var overCap = [Bool](repeating: false, count: T), overHead = overCap
            for resource in resources {
                guard let capacity = host.capacity[resource], capacity.isFinite else { continue }
                var load = [Double](repeating: 0, count: T)
                for entry in entries {
                    guard let series = history.series[entry.vm]?[resource] else { continue }
                    for t in 0..<T { load[t] += series[t] }
                }
                let limit = capacity * headroom.fraction(for: resource)
                for t in 0..<T {
                    if load[t] > limit * (1 + 1e-9) { overHead[t] = true }
                    if load[t] > capacity * (1 + 1e-9) {
                        overCap[t] = true
                        result.overloads.append(Overload(host: hostID, time: history.start + Int64(t) * history.step,
                                                         resource: resource, demand: load[t], capacity: capacity))
                    }
                }
            }
            result.hostIntervals += T
            result.overCapacity += overCap.count { $0 }
            result.overHeadroom += overHead.count { $0 }
        }
        return result
    }
}
