/// The streaming half of `Replay`: takes samples as readers parse them and adds each VM's
/// demand straight into its host's load, so memory is hosts x resources x intervals plus a
/// few numbers per VM, never the samples.
///
/// Per file, each VM and resource has an open interval: samples in it keep their largest;
/// when a later interval starts, the value is added to the host for every interval up to
/// it (a gap holds the previous value). A file's first and last values stay open as a
/// segment until every file is read, so that files split by period join without a seam.
final class ReplaySink: SampleSink {
    struct Setup: Sendable {
        var step: Int64
        /// Traced entity -> the hosts (indices) whose load it adds to.
        var targets: [String: [Int]]
        /// Percent -> MHz and MB, per entity (1% of its capacity).
        var cpuScale: [String: Double]
        var memoryScale: [String: Double]
        var resources: [Resource]
        var hosts: Int
    }

    private struct Open {
        var slot: Int64
        var value: Double
        var firstSlot: Int64
        var firstValue: Double
    }

    struct Segment {
        var entity: String
        var resource: Int
        var file: String
        var firstSlot: Int64
        var firstValue: Double
        var lastSlot: Int64
        var lastValue: Double
    }

    private let setup: Setup
    private let resourceOfMetric: [Int]
    /// Per collector entity: host indices (empty: not in the plan), and its name.
    private var entityTargets: [[Int]?] = []
    private var entityNames: [String] = []
    private var chosenMetric: [Int8] = []
    private var scales: [(cpu: Double?, memory: Double?)] = []
    private var open: [Open?] = []
    private var openKeys: [Int] = []
    private(set) var segments: [Segment] = []
    private(set) var loads: [[SlotSeries]]
    private(set) var outOfOrder = 0
    private(set) var unscaled: Set<String> = []
    private(set) var untargeted: Set<String> = []

    init(_ setup: Setup) {
        self.setup = setup
        resourceOfMetric = Metric.allCases.map { setup.resources.firstIndex(of: $0.resource) ?? -1 }
        loads = (0..<setup.hosts).map { _ in (0..<setup.resources.count).map { _ in SlotSeries() } }
    }

    func add(entity e: Int, name: (Int) -> String, time: Int64, metric: Metric, value: Double) {
        if e >= entityTargets.count { grow(to: e + 1) }
        if entityTargets[e] == nil { resolve(e, name(e)) }
        guard let hosts = entityTargets[e], !hosts.isEmpty else { return }
        let r = resourceOfMetric[metric.rawValue]
        guard r >= 0 else { return }
        // One metric per resource and entity: a trace with both cpu_mhz and cpu_pct uses the first seen.
        let key = e * setup.resources.count + r
        if chosenMetric[key] < 0 { chosenMetric[key] = Int8(metric.rawValue) } else if chosenMetric[key] != Int8(metric.rawValue) { return }
        var amount = value
        switch metric {
        case .cpuPercent:
            guard let scale = scales[e].cpu else { unscaled.insert(entityNames[e]); return }
            amount *= scale
        case .memoryPercent:
            guard let scale = scales[e].memory else { unscaled.insert(entityNames[e]); return }
            amount *= scale
        default: break
        }
        let slot = floorDiv(time, setup.step)
        guard var state = open[key] else {
            open[key] = Open(slot: slot, value: amount, firstSlot: slot, firstValue: amount)
            openKeys.append(key)
            return
        }
        if slot == state.slot {
            if amount > state.value { state.value = amount; if slot == state.firstSlot { state.firstValue = amount } }
        } else if slot > state.slot {
            for h in hosts { loads[h][r].add(state.value, from: state.slot, to: slot) }
            state.slot = slot
            state.value = amount
        } else {
            outOfOrder += 1
            return
        }
        open[key] = state
    }

    func endFile(_ file: String) {
        let R = setup.resources.count
        for key in openKeys {
            guard let state = open[key] else { continue }
            segments.append(Segment(entity: entityNames[key / R], resource: key % R, file: file, firstSlot: state.firstSlot,
                                    firstValue: state.firstValue, lastSlot: state.slot, lastValue: state.value))
            open[key] = nil
        }
        openKeys.removeAll(keepingCapacity: true)
    }

    private func grow(to count: Int) {
        let R = setup.resources.count
        entityTargets += [[Int]?](repeating: nil, count: count - entityTargets.count)
        entityNames += [String](repeating: "", count: count - entityNames.count)
        scales += [(cpu: Double?, memory: Double?)](repeating: (nil, nil), count: count - scales.count)
        chosenMetric += [Int8](repeating: -1, count: count * R - chosenMetric.count)
        open += [Open?](repeating: nil, count: count * R - open.count)
    }

    private func resolve(_ e: Int, _ name: String) {
        entityNames[e] = name
        let hosts = setup.targets[name] ?? []
        entityTargets[e] = hosts
        if hosts.isEmpty { untargeted.insert(name) }
        scales[e] = (setup.cpuScale[name], setup.memoryScale[name])
    }

    struct Merged {
        /// In slots of `step` from the epoch.
        var start: Int64
        var slots: Int
        var loads: [[[Double]]]
        var traced: Set<String>
        var untargeted: Int
        var notes: [String]
    }

    /// Joins the workers' loads and closes every segment: the first value of each VM back to
    /// the start, the last one forward to the next segment or the end.
    static func finish(_ sinks: [ReplaySink]) throws(InputError) -> Merged {
        guard let first = sinks.first else { return Merged(start: 0, slots: 0, loads: [], traced: [], untargeted: 0, notes: []) }
        let segments = sinks.flatMap(\.segments)
        var loads = first.loads
        for sink in sinks.dropFirst() {
            for h in loads.indices { for r in loads[h].indices { loads[h][r].merge(sink.loads[h][r]) } }
        }
        let lo = segments.map(\.firstSlot).min() ?? 0, hi = (segments.map(\.lastSlot).max() ?? -1) + 1
        guard hi - lo <= 50_000_000 else {
            throw InputError(file: segments.first?.file ?? "", "the samples span \(hi - lo) intervals of \(first.setup.step) s: a timestamp is far from the others (give --from and --until, or a larger --step)")
        }
        let grouped = Dictionary(grouping: segments) { "\($0.entity)\u{1F}\($0.resource)" }
        for (_, group) in grouped {
            let ordered = group.sorted { $0.firstSlot < $1.firstSlot }
            let targets = first.setup.targets[ordered[0].entity] ?? []
            let r = ordered[0].resource
            for h in targets { loads[h][r].add(ordered[0].firstValue, from: lo, to: ordered[0].firstSlot) }
            for (k, segment) in ordered.enumerated() {
                let next = k + 1 < ordered.count ? ordered[k + 1].firstSlot : hi
                if next < segment.lastSlot {
                    throw InputError(file: ordered[k + 1].file, "\(segment.entity) has \(first.setup.resources[r].name) samples for the same period as in \(segment.file): a replay needs each VM's samples once")
                }
                for h in targets { loads[h][r].add(segment.lastValue, from: segment.lastSlot, to: next) }
            }
        }
        var notes: [String] = []
        let outOfOrder = sinks.reduce(0) { $0 + $1.outOfOrder }
        if outOfOrder > 0 { notes.append("\(outOfOrder) samples came before an earlier sample of their VM in the same file: not replayed") }
        let unscaled = sinks.reduce(into: Set<String>()) { $0.formUnion($1.unscaled) }
        if !unscaled.isEmpty {
            notes.append("\(unscaled.count) VMs give CPU or memory in percent and the inventory gives no size for them (\(unscaled.sorted().prefix(3).joined(separator: ", "))): those samples are not replayed; give --vms")
        }
        let untargeted = sinks.reduce(into: Set<String>()) { $0.formUnion($1.untargeted) }
        let count = Int(max(0, hi - lo))
        return Merged(start: lo, slots: count, loads: loads.map { $0.map { $0.values(from: lo, count: count) } },
                      traced: Set(segments.map(\.entity)), untargeted: untargeted.count, notes: notes)
    }
}

/// A host's summed load per interval, on slots counted from the epoch; grows either way.
struct SlotSeries {
    private(set) var base: Int64 = 0
    private(set) var values: [Double] = []

    mutating func add(_ value: Double, from lo: Int64, to hi: Int64) {
        guard hi > lo, value != 0 else { return }
        if values.isEmpty { base = lo }
        if lo < base {
            let pad = max(Int(base - lo), values.count / 4)
            values.insert(contentsOf: repeatElement(0, count: pad), at: 0)
            base -= Int64(pad)
        }
        let end = Int(hi - base)
        if end > values.count { values += repeatElement(0, count: max(end - values.count, values.count / 4)) }
        values.withUnsafeMutableBufferPointer { v in
            for k in Int(lo - base)..<end { v[k] += value }
        }
    }

    mutating func merge(_ other: SlotSeries) {
        guard !other.values.isEmpty else { return }
        let b = other.base
        other.values.withUnsafeBufferPointer { theirs in
            var k = 0
            while k < theirs.count {
                // Runs of equal values keep this to a few range adds.
                var j = k + 1
                while j < theirs.count && theirs[j] == theirs[k] { j += 1 }
                add(theirs[k], from: b + Int64(k), to: b + Int64(j))
                k = j
            }
        }
    }

    func values(from lo: Int64, count: Int) -> [Double] {
        var out = [Double](repeating: 0, count: count)
        for k in 0..<count {
            let i = Int(lo - base) + k
            if i >= 0 && i < values.count { out[k] = values[i] }
        }
        return out
    }
}

@inline(__always) func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}
