/// Right-sizing: what each VM was given against what it used, and what it should be given.
/// Allocated but unused capacity is the estate's cheapest capacity: reclaiming it costs a
/// reboot, not a host. Advice that is confidently wrong costs more than none, so:
///
/// - CPU is compressible: recommended = used at the percentile x a comfort factor (1.3, as
///   Azure Migrate's performance-based sizing uses), in whole vCPUs.
/// - Memory is not (a guest short of it swaps or fails): recommended = its **peak** x a
///   buffer (1.1), in 256 MB steps, never below the peak (Aria Operations' conservative
///   right-sizing), at least 512 MB or the allocation when smaller.
/// - A counter that is exactly 0 in at least half of its samples while its peak is not is
///   a counter that was not measured (a guest without its tools, a collector gap), not a
///   VM that used nothing: that resource is `unknown`, its allocation is kept, and the
///   confidence falls to one star. A static `memory_used_mb` of 0 is likewise unknown.
///
/// Verdicts, per resource and for the VM:
/// - idle: CPU under `idleCPUPercent` of the allocation at the percentile and network under
///   `idleNetMbps` at its peak, over the whole trace (a VM with no network measure is never
///   called idle);
/// - undersized: the recommendation exceeds the allocation;
/// - oversized: it is at least one vCPU or one GB below it;
/// - right: neither; unknown: not measured.
/// The VM's verdict is idle, else the first of undersized, oversized, right that one of its
/// resources has, else unknown.
public struct RightSizing: Sendable {
    public struct Options: Sendable {
        public var percentile: Double = 95
        public var comfort: Double = 1.3
        public var memoryBuffer: Double = 1.1
        public var idleCPUPercent: Double = 5
        public var idleNetMbps: Double = 0.1
        /// A counter at exactly 0 in this share of its samples or more is not measured.
        public var unmeasuredZeroShare: Double = 0.5
        public init() {}
    }

    public enum Verdict: String, Sendable {
        case idle, oversized, undersized, right
        /// No trace nor static use, or a counter that was not measured: nothing to judge on.
        case unknown
    }

    public struct Row: Sendable {
        public var vm: String
        public var vcpus: Int
        public var memoryMB: Double
        public var cpuUsedMHz: Double?
        public var memoryUsedMB: Double?
        /// The largest memory sample: what the memory recommendation stands on.
        public var memoryPeakMB: Double?
        /// CPU used as a share of the allocation (vCPUs x MHz per core), in percent.
        public var cpuUsedPercent: Double?
        public var recommendedVCPUs: Int
        public var recommendedMemoryMB: Double
        public var confidenceStars: Int?
        public var verdict: Verdict
        public var cpuVerdict: Verdict
        public var memoryVerdict: Verdict
        public var reason: String
        public var costCenter: String?
    }

    public var rows: [Row]
    public var options: Options

    static func vcpus(_ n: Int) -> String { n == 1 ? "1 vCPU" : "\(n) vCPUs" }

    /// vCPUs and memory that the recommendations free (only where they are lower).
    public var reclaimableVCPUs: Int { rows.reduce(0) { $0 + max(0, $1.vcpus - $1.recommendedVCPUs) } }
    public var reclaimableMemoryMB: Double { rows.reduce(0) { $0 + max(0, $1.memoryMB - $1.recommendedMemoryMB) } }
    public func count(_ verdict: Verdict) -> Int { rows.count { $0.verdict == verdict } }

    /// `mhzPerCore` is a VM's clock per vCPU: its current host's, else the fastest host's.
    public init(vms: [VM], demand: TracedDemand?, mhzPerCore: (VM) -> Double, options: Options = Options()) {
        self.init(vms: vms, usage: { demand?.usage(of: $0, $1, percentile: options.percentile) }, mhzPerCore: mhzPerCore, options: options)
    }

    /// `usage` says what an entity's trace says of a resource (at `options.percentile`);
    /// a service keeps that, not the traces.
    public init(vms: [VM], usage: (String, Resource) -> TracedDemand.Usage?, mhzPerCore: (VM) -> Double, options: Options = Options()) {
        self.options = options
        rows = vms.map { Self.row($0, usage: usage, mhz: max(mhzPerCore($0), 1), options: options) }
    }

    /// What one resource's measure says, or why it says nothing.
    private struct Measure {
        var level: Double?
        var peak: Double?
        var stars: Int?
        /// Why the measure is not used, when it is not.
        var unmeasured: String?
    }

    private static func measure(_ usage: TracedDemand.Usage?, static value: Double?, zeroIsUnmeasured: Bool, options: Options,
                                peak: (Double) -> String) -> Measure {
        if let usage {
            if let share = usage.zeroShare, share >= options.unmeasuredZeroShare, usage.peak > 0 {
                let how = usage.zeroShareExact ? "in \(Resource.number((share * 100).rounded()))% of its samples" : "in at least half of its samples"
                return Measure(stars: 1, unmeasured: "its counter is exactly 0 \(how) (peak \(peak(usage.peak))): not measured")
            }
            return Measure(level: usage.atPercentile, peak: usage.peak, stars: usage.confidenceStars)
        }
        guard let value else { return Measure() }
        if zeroIsUnmeasured && value == 0 { return Measure(unmeasured: "its stated use is 0: not measured") }
        return Measure(level: value, peak: value)
    }

    private static func row(_ vm: VM, usage: (String, Resource) -> TracedDemand.Usage?, mhz: Double, options: Options) -> Row {
        let entity = vm.demandLike ?? vm.id
        let cpuUsage = usage(entity, .cpu)
        let memoryUsage = usage(entity, .memory)
        let net = usage(entity, .network)
        let cpu = measure(cpuUsage, static: vm.measured[.cpu], zeroIsUnmeasured: false, options: options) { "\(Resource.number($0)) MHz" }
        let memory = measure(memoryUsage, static: vm.measured[.memory], zeroIsUnmeasured: true, options: options) { Resource.format(mb: $0) }
        let cpuPercent = cpu.level.map { $0 / (Double(max(vm.vcpus, 1)) * mhz) * 100 }
        let stars = [cpu.stars, memory.stars].compactMap { $0 }.min()
        var row = Row(vm: vm.id, vcpus: vm.vcpus, memoryMB: vm.memoryMB, cpuUsedMHz: cpu.level, memoryUsedMB: memory.level,
                      memoryPeakMB: memory.peak ?? memoryUsage?.peak, cpuUsedPercent: cpuPercent, recommendedVCPUs: vm.vcpus,
                      recommendedMemoryMB: vm.memoryMB, confidenceStars: stars, verdict: .unknown, cpuVerdict: .unknown, memoryVerdict: .unknown,
                      reason: "no trace and no cpu_mhz or memory_used_mb", costCenter: vm.costCenter)
        let level = "p\(Resource.number(options.percentile))"
        func advice(_ verdict: Verdict, _ amount: String) -> String {
            switch verdict {
            case .oversized: ": \(amount) would do"
            case .undersized: ": needs \(amount)"
            default: ""
            }
        }
        var said: [String] = []
        if let used = cpu.level, let cpuPercent {
            row.recommendedVCPUs = max(1, Int(min(used * options.comfort / mhz, 1e9).rounded(.up)))
            row.cpuVerdict = row.recommendedVCPUs > vm.vcpus ? .undersized : row.recommendedVCPUs < vm.vcpus ? .oversized : .right
            said.append("cpu \(level) \(Resource.number((cpuPercent * 10).rounded() / 10))% of \(Self.vcpus(vm.vcpus))"
                        + advice(row.cpuVerdict, Self.vcpus(row.recommendedVCPUs)))
        } else if let why = cpu.unmeasured {
            said.append("cpu unknown: \(why), \(Self.vcpus(vm.vcpus)) kept")
        }
        if let peak = memory.peak {
            let buffered = (min(peak * options.memoryBuffer, 1e12) / 256).rounded(.up) * 256
            row.recommendedMemoryMB = max(min(512, vm.memoryMB), buffered, peak)
            row.memoryVerdict = row.recommendedMemoryMB > vm.memoryMB ? .undersized : row.recommendedMemoryMB <= vm.memoryMB - 1024 ? .oversized : .right
            said.append("memory peak \(Resource.format(mb: peak)) of \(Resource.format(mb: vm.memoryMB))"
                        + advice(row.memoryVerdict, Resource.format(mb: row.recommendedMemoryMB)))
        } else if let why = memory.unmeasured {
            said.append("memory unknown: \(why), \(Resource.format(mb: vm.memoryMB)) kept")
        }
        guard !said.isEmpty else { return row }
        let used = said.joined(separator: "; ")
        let basis = " (cpu at \(level) x\(Resource.number(options.comfort)), memory at its peak x\(Resource.number(options.memoryBuffer)))"
        // Without a trace, vms.csv's static net_mbps stands for the network's peak.
        let netPeak = net?.peak ?? vm.measured[.network]
        let verdicts = [row.cpuVerdict, row.memoryVerdict]
        if let cpuPercent, cpuPercent < options.idleCPUPercent, let netPeak, netPeak < options.idleNetMbps {
            row.verdict = .idle
            row.reason = "\(used); network peak \(Resource.number(netPeak)) Mbps: a candidate to power off"
        } else if let verdict = [Verdict.undersized, .oversized, .right].first(where: verdicts.contains) {
            row.verdict = verdict
            row.reason = used + (verdict == .right ? "" : basis)
                + (verdict == .oversized && netPeak == nil && (cpuPercent ?? 100) < options.idleCPUPercent ? " (network not measured: not called idle)" : "")
        } else {
            row.reason = used
        }
        return row
    }
}
