import Hostfit

/// Live load: samples for the VMs as they run now (POST /samples). Each VM keeps, per
/// resource, the envelope of its hours over the last weeks (`LoadWindow`); its profile, the
/// demand ratings and placements see, follows that envelope. Memory is bounded by VMs x
/// resources x hours, never by samples.
extension PlacementDesk {
    public struct Sample: Sendable, Equatable {
        public var time: Int64
        public var entity: String
        public var metric: Metric
        public var value: Double
        /// Where it came from (`body:12`), for a refusal.
        public var source: String

        public init(time: Int64, entity: String, metric: Metric, value: Double, source: String) {
            self.time = time
            self.entity = entity
            self.metric = metric
            self.value = value
            self.source = source
        }
    }

    /// Takes `samples` into the VMs' windows, and their profiles from them, in one commit.
    /// Samples of hosts are counted, not kept (a host's load is its VMs'); of entities the
    /// store does not know (or, for a tenant, VMs not its own), counted and named; older than
    /// the window, counted.
    public func ingest(_ samples: [Sample], as caller: Caller = .estate) throws(DeskError) -> DeskResult.Ingested {
        let vms = state.read { c in caller.seesAll ? c.vms : c.vms.filter { c.owners[$0.key] == caller.tenant } }
        let hosts = hostList
        let hostIDs = Set(hosts.map(\.id))
        let mhz = PlacementProblem.mhzPerCore(hosts: hosts)
        var windows: [String: [Resource: LoadWindow]] = [:]
        var result = DeskResult.Ingested(samples: samples.count, accepted: 0, vms: 0, hostSamples: 0, unknown: 0, tooOld: 0, unknownExamples: [])
        for sample in samples {
            guard sample.value.isFinite, sample.value >= 0 else { throw .invalid("\(sample.source): value \(sample.value) is not a demand (0 or more)") }
            guard let vm = vms[sample.entity] else {
                if caller.seesAll, hostIDs.contains(sample.entity) { result.hostSamples += 1; continue }
                result.unknown += 1
                if result.unknownExamples.count < 5, !result.unknownExamples.contains(sample.entity) { result.unknownExamples.append(sample.entity) }
                continue
            }
            let value: Double = switch sample.metric {
            case .cpuPercent: sample.value / 100 * Double(vm.vcpus) * mhz
            case .memoryPercent: sample.value / 100 * vm.memoryMB
            default: sample.value
            }
            let resource = sample.metric.resource
            if windows[vm.id]?[resource] == nil { windows[vm.id, default: [:]][resource] = live[vm.id]?[resource] ?? LoadWindow() }
            // In place: a window is 168 x 4 slots, not to be copied per sample.
            if windows[vm.id]![resource]!.add(time: sample.time, value: value) { result.accepted += 1 } else { result.tooOld += 1 }
        }
        guard !windows.isEmpty else { return result }
        // The store's scheme where profiles exist already (traces at start), else hour of the week.
        let scheme = demand.profiles.values.first?.scheme ?? .hourOfWeek
        var next = demand
        var change = ServiceStore.Change()
        for (id, byResource) in windows.sorted(by: { $0.key < $1.key }) {
            let before = next.profiles[id]
            var profile = before ?? ServiceProfile(scheme: scheme, series: [:])
            for (resource, window) in byResource.sorted(by: { $0.key < $1.key }) {
                change.live.append((id, resource, window))
                if let series = window.series(profile.scheme) {
                    profile.series[resource] = series
                    profile.live.insert(resource)
                }
            }
            next.profiles[id] = profile
            // The store keeps the windows: the profile only where what it holds changes.
            if before == nil || before!.live != profile.live { change.profiles.append((id, profile)) }
        }
        result.vms = windows.count
        // Measured load is what it is: no refusal, even where a host is now over.
        resize(next)
        try commit(change, .reshaped) { c in
            c.demand = next
            c.sampled.formUnion(windows.keys)
        }
        for (id, byResource) in windows { live[id, default: [:]].merge(byResource) { _, new in new } }
        return result
    }
}
