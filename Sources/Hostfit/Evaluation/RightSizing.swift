/// Right-sizing: what each VM was given against what it used, and what it should be given.
/// Allocated but unused capacity is the estate's cheapest capacity: reclaiming it costs a
/// reboot, not a host.
///
/// Recommended = used at the percentile x a comfort factor (1.3, as Azure Migrate's
/// performance-based sizing uses), rounded up to whole vCPUs and 256 MB (at least 512 MB, or
/// the allocation when smaller). Verdicts:
/// - idle: CPU under `idleCPUPercent` of the allocation at the percentile and network under
///   `idleNetMbps` at its peak, over the whole trace (a VM with no network measure is never
///   called idle);
/// - undersized: the recommendation exceeds the allocation (vCPUs or memory);
/// - oversized: it is at least one vCPU or one GB below it;
/// - right: neither.
public struct RightSizing: Sendable {
    public struct Options: Sendable {
        public var percentile: Double = 95
        public var comfort: Double = 1.3
        public var idleCPUPercent: Double = 5
        public var idleNetMbps: Double = 0.1
        public init() {}
    }

    public enum Verdict: String, Sendable {
        case idle, oversized, undersized, right
        /// No trace nor static use: nothing to judge on.
        case unknown
    }

    public struct Row: Sendable {
        public var vm: String
        public var vcpus: Int
        public var memoryMB: Double
        public var cpuUsedMHz: Double?
        public var memoryUsedMB: Double?
        /// CPU used as a share of the allocation (vCPUs x MHz per core), in percent.
        public var cpuUsedPercent: Double?
        public var recommendedVCPUs: Int
        public var recommendedMemoryMB: Double
        public var confidenceStars: Int?
        public var verdict: Verdict
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
        self.options = options
        rows = vms.map { vm in
            let entity = vm.demandLike ?? vm.id
            let cpu = demand?.usage(of: entity, .cpu, percentile: options.percentile)
            let memory = demand?.usage(of: entity, .memory, percentile: options.percentile)
            let net = demand?.usage(of: entity, .network, percentile: options.percentile)
            let mhz = max(mhzPerCore(vm), 1)
            let cpuUsed = cpu?.atPercentile ?? vm.measured[.cpu]
            let memoryUsed = memory?.atPercentile ?? vm.measured[.memory]
            let stars = [cpu?.confidenceStars, memory?.confidenceStars].compactMap { $0 }.min()
            let cpuPercent = cpuUsed.map { $0 / (Double(max(vm.vcpus, 1)) * mhz) * 100 }
            var row = Row(vm: vm.id, vcpus: vm.vcpus, memoryMB: vm.memoryMB, cpuUsedMHz: cpuUsed, memoryUsedMB: memoryUsed,
                          cpuUsedPercent: cpuPercent, recommendedVCPUs: vm.vcpus, recommendedMemoryMB: vm.memoryMB,
                          confidenceStars: stars, verdict: .unknown, reason: "no trace and no cpu_mhz or memory_used_mb", costCenter: vm.costCenter)
            guard cpuUsed != nil || memoryUsed != nil else { return row }
            if let cpuUsed { row.recommendedVCPUs = max(1, Int(min(cpuUsed * options.comfort / mhz, 1e9).rounded(.up))) }
            if let memoryUsed { row.recommendedMemoryMB = max(min(512, vm.memoryMB), (memoryUsed * options.comfort / 256).rounded(.up) * 256) }
            let level = "p\(Resource.number(options.percentile))"
            let used = [cpuPercent.map { "cpu \(level) \(Resource.number(($0 * 10).rounded() / 10))% of \(Self.vcpus(vm.vcpus))" },
                        memoryUsed.map { "memory \(level) \(Resource.format(mb: $0)) of \(Resource.format(mb: vm.memoryMB))" }]
                .compactMap { $0 }.joined(separator: ", ")
            // Without a trace, vms.csv's static net_mbps stands for the network's peak.
            let netPeak = net?.peak ?? vm.measured[.network]
            if let cpuPercent, cpuPercent < options.idleCPUPercent, let netPeak, netPeak < options.idleNetMbps {
                row.verdict = .idle
                row.reason = "\(used); network peak \(Resource.number(netPeak)) Mbps: a candidate to power off"
            } else if row.recommendedVCPUs > vm.vcpus || row.recommendedMemoryMB > vm.memoryMB {
                row.verdict = .undersized
                row.reason = "\(used): needs \(Self.vcpus(row.recommendedVCPUs)), \(Resource.format(mb: row.recommendedMemoryMB)) with x\(Resource.number(options.comfort)) comfort"
            } else if row.recommendedVCPUs < vm.vcpus || row.recommendedMemoryMB <= vm.memoryMB - 1024 {
                row.verdict = .oversized
                row.reason = "\(used): \(Self.vcpus(row.recommendedVCPUs)), \(Resource.format(mb: row.recommendedMemoryMB)) would do with x\(Resource.number(options.comfort)) comfort"
                    + (netPeak == nil && (cpuPercent ?? 100) < options.idleCPUPercent ? " (network not measured: not called idle)" : "")
            } else {
                row.verdict = .right
                row.reason = used
            }
            return row
        }
    }
}
