/// Replays a placement against demand it was not planned from: each host's VMs summed at
/// every interval, against the host's capacity and against its headroom. This is how a
/// plan's risk is measured honestly: on the next month, not the last one.
///
/// Two entries give the same result: `stream` reads traces once and keeps only each host's
/// summed load (hosts x resources x intervals, never the samples), and `run(history:)` sums
/// a `DemandHistory` already in memory.
public enum Replay {
    /// One host, interval and resource over its headroom (and perhaps over capacity).
    public struct Overload: Sendable, Equatable {
        public var host: String
        public var time: Int64
        public var resource: Resource
        public var demand: Double
        public var capacity: Double
        /// Capacity times headroom.
        public var limit: Double
        public var overCapacity: Bool { demand > capacity * (1 + 1e-9) }
    }

    /// One resource of one host over the replayed period.
    public struct HostResource: Sendable {
        public var resource: Resource
        public var capacity: Double
        public var limit: Double
        public var peak: Double
        public var peakTime: Int64
        public var mean: Double
        public var intervalsOverHeadroom: Int
        public var intervalsOverCapacity: Int
        /// The summed demand of the host's VMs per interval.
        public var load: [Double]
    }

    public struct HostResult: Sendable {
        public var host: String
        public var vms: [String]
        public var resources: [HostResource]
        public var intervalsOverHeadroom: Int
        public var intervalsOverCapacity: Int
    }

    public struct Result: Sendable {
        public var start: Int64
        public var step: Int64
        public var slots: Int
        /// Hosts that run VMs, by name.
        public var hosts: [HostResult]
        /// Hosts running VMs times intervals.
        public var hostIntervals: Int
        /// Host-intervals where some resource's demand exceeds full capacity.
        public var overCapacity: Int
        /// Host-intervals where some resource's demand exceeds capacity times headroom.
        public var overHeadroom: Int
        /// Every resource over headroom, one entry per host, interval and resource, in host
        /// and time order; `overCapacity` marks those over capacity too.
        public var overloads: [Overload]
        /// VMs of the plan the traces do not cover: they add nothing to their host's load.
        public var missing: [String] = []
        /// Traced entities that are not in the plan (not replayed).
        public var notInPlan: Int = 0
        /// What the reader should know (scales missing, samples out of order...).
        public var notes: [String] = []

        public var overCapacityShare: Double { hostIntervals == 0 ? 0 : Double(overCapacity) / Double(hostIntervals) }
        public var overHeadroomShare: Double { hostIntervals == 0 ? 0 : Double(overHeadroom) / Double(hostIntervals) }
        /// The overload furthest over capacity, relative to it.
        public var worst: Overload? { overloads.max { $0.demand / $0.capacity < $1.demand / $1.capacity } }
        /// VMs on hosts that went over capacity at least once, and over headroom.
        public var vmsOnHostsOverCapacity: [String] { hosts.filter { $0.intervalsOverCapacity > 0 }.flatMap(\.vms).sorted() }
        public var vmsOnHostsOverHeadroom: [String] { hosts.filter { $0.intervalsOverHeadroom > 0 }.flatMap(\.vms).sorted() }
    }

    /// Sums a history already in memory. VMs it does not cover contribute nothing;
    /// `Result.missing` names them.
    public static func run(_ placement: Placement, hosts: [VMHost], history: DemandHistory, headroom: Headroom,
                           resources: [Resource] = [.cpu, .memory]) -> Result {
        let members = membership(placement, hosts: hosts)
        var loads: [String: [Resource: [Double]]] = [:]
        for (host, vms) in members {
            for resource in resources {
                var load = [Double](repeating: 0, count: history.slots)
                for vm in vms {
                    guard let series = history.series[vm]?[resource] else { continue }
                    for t in 0..<history.slots { load[t] += series[t] }
                }
                loads[host, default: [:]][resource] = load
            }
        }
        var result = evaluate(loads: loads, members: members, hosts: hosts, headroom: headroom,
                              start: history.start, step: history.step, slots: history.slots)
        result.missing = placement.entries.map(\.vm).filter { history.series[$0] == nil }
        return result
    }

    /// Reads the traces at `paths` once and replays `placement` on them, on a grid of `step`
    /// seconds aligned to the epoch. Each VM counts at its largest sample in an interval; an
    /// interval without one holds its previous value, and before its first sample its first
    /// value, as `DemandHistory` does. `inventory` gives CPU and memory percentages their
    /// scale (vCPUs x the host's core MHz, or `coreMHz`; allocated memory); a VM planned
    /// `like` another replays on that one's trace. `period` keeps samples in [from, until).
    public static func stream(_ placement: Placement, hosts: [VMHost], traces paths: [String], headroom: Headroom = Headroom(),
                              inventory: [VM] = [], coreMHz: Double? = nil, step: Int64 = 300, period: TracePeriod = TracePeriod(),
                              entityLabel: String? = nil, progress: (@Sendable (TraceProgress) -> Void)? = nil) throws(InputError) -> (result: Result, quality: TraceQuality) {
        precondition(step > 0)
        let members = membership(placement, hosts: hosts)
        let hostNames = members.keys.sorted()
        let hostIndex = Dictionary(uniqueKeysWithValues: hostNames.enumerated().map { ($1, $0) })
        let hostByName = Dictionary(hosts.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let resources = Resource.standard.filter { r in hosts.contains { ($0.capacity[r] ?? .infinity).isFinite } }
        let vmByName = Dictionary(inventory.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        // Which hosts each traced entity loads: the VM itself, and VMs planned like it.
        var targets: [String: [Int]] = [:]
        var cpuScale: [String: Double] = [:], memoryScale: [String: Double] = [:]
        for (host, vms) in members {
            for vm in vms {
                let entity = vmByName[vm]?.demandLike ?? vm
                targets[entity, default: []].append(hostIndex[host]!)
                if let v = vmByName[vm], cpuScale[entity] == nil {
                    let mhz = coreMHz ?? hostByName[host]?.cpuMHzPerCore ?? 0
                    cpuScale[entity] = Double(v.vcpus) * mhz / 100
                    memoryScale[entity] = v.memoryMB / 100
                }
            }
        }
        let setup = ReplaySink.Setup(step: step, targets: targets, cpuScale: cpuScale, memoryScale: memoryScale,
                                     resources: resources, hosts: hostNames.count)
        let (read, sinks) = try TraceLoader.stream(paths, period: period, entityLabel: entityLabel, into: { ReplaySink(setup) }, progress: progress)
        let merged = try ReplaySink.finish(sinks)
        var loads: [String: [Resource: [Double]]] = [:]
        for (h, host) in hostNames.enumerated() {
            for (r, resource) in resources.enumerated() { loads[host, default: [:]][resource] = merged.loads[h][r] }
        }
        var result = evaluate(loads: loads, members: members, hosts: hosts, headroom: headroom,
                              start: merged.start * step, step: step, slots: merged.slots)
        let traced = merged.traced
        result.missing = placement.entries.map(\.vm).filter { !traced.contains(vmByName[$0]?.demandLike ?? $0) }
        result.notInPlan = merged.untargeted
        result.notes = merged.notes
        return (result, TraceQuality(read))
    }

    /// The hosts a plan runs on: those owned, and copies of catalog models it bought, named
    /// `MODEL#k` as `PlacementProblem` names them. Unknown hosts are left to the caller.
    public static func plannedHosts(_ placement: Placement, owned: [VMHost], catalog: [VMHost]) -> [VMHost] {
        var hosts = owned
        var known = Set(owned.map(\.id))
        let models = Dictionary(catalog.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for entry in placement.entries where !known.contains(entry.host) {
            guard let mark = entry.host.lastIndex(of: "#"), let model = models[String(entry.host[..<mark])] else { continue }
            var host = model
            host.model = model.id
            host.id = entry.host
            host.state = .active
            hosts.append(host)
            known.insert(entry.host)
        }
        return hosts
    }

    /// Host name -> its VMs, for hosts in `hosts` (a plan's other rows are the validator's).
    private static func membership(_ placement: Placement, hosts: [VMHost]) -> [String: [String]] {
        let known = Set(hosts.map(\.id))
        return Dictionary(grouping: placement.entries.filter { known.contains($0.host) }, by: \.host).mapValues { $0.map(\.vm) }
    }

    /// The one rule for both entries: a host-interval is over headroom (capacity) when any
    /// resource's summed demand exceeds capacity x headroom (capacity).
    static func evaluate(loads: [String: [Resource: [Double]]], members: [String: [String]], hosts: [VMHost], headroom: Headroom,
                         start: Int64, step: Int64, slots T: Int) -> Result {
        let byName = Dictionary(hosts.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var result = Result(start: start, step: step, slots: T, hosts: [], hostIntervals: 0, overCapacity: 0, overHeadroom: 0, overloads: [])
        for (name, vms) in members.sorted(by: { $0.key < $1.key }) {
            guard let host = byName[name] else { continue }
            var overCap = [Bool](repeating: false, count: T), overHead = overCap
            var hostResult = HostResult(host: name, vms: vms.sorted(), resources: [], intervalsOverHeadroom: 0, intervalsOverCapacity: 0)
            var overloads: [Overload] = []
            for (resource, load) in (loads[name] ?? [:]).sorted(by: { $0.key < $1.key }) {
                guard let capacity = host.capacity[resource], capacity.isFinite, load.count == T else { continue }
                let limit = capacity * headroom.fraction(for: resource)
                var item = HostResource(resource: resource, capacity: capacity, limit: limit, peak: 0, peakTime: start, mean: 0,
                                        intervalsOverHeadroom: 0, intervalsOverCapacity: 0, load: load)
                var sum = 0.0
                for t in 0..<T {
                    let demand = load[t]
                    sum += demand
                    if demand > item.peak { item.peak = demand; item.peakTime = start + Int64(t) * step }
                    guard demand > limit * (1 + 1e-9) else { continue }
                    overHead[t] = true
                    item.intervalsOverHeadroom += 1
                    let overload = Overload(host: name, time: start + Int64(t) * step, resource: resource, demand: demand, capacity: capacity, limit: limit)
                    if overload.overCapacity { overCap[t] = true; item.intervalsOverCapacity += 1 }
                    overloads.append(overload)
                }
                item.mean = T == 0 ? 0 : sum / Double(T)
                hostResult.resources.append(item)
            }
            hostResult.intervalsOverCapacity = overCap.count { $0 }
            hostResult.intervalsOverHeadroom = overHead.count { $0 }
            result.overloads += overloads.sorted { $0.time != $1.time ? $0.time < $1.time : $0.resource < $1.resource }
            result.hostIntervals += T
            result.overCapacity += hostResult.intervalsOverCapacity
            result.overHeadroom += hostResult.intervalsOverHeadroom
            result.hosts.append(hostResult)
        }
        return result
    }
}
