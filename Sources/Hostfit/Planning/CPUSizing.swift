/// How CPU demand is counted: as used (cpu_mhz, cpu_pct or a trace; else each vCPU a busy
/// core), or as allocated vCPUs against cores at a ratio (OpenStack's cpu_allocation_ratio,
/// sizing "as on premises"). The one rule for plan, place, whatif and serve: where no VM
/// states CPU use, an estate is planned on allocations at today's ratio, at least 4:1.
public enum CPUSizing: Sendable, Hashable {
    case used
    case allocated(vcpusPerCore: Double)

    /// As a store keeps it: "used" or "allocated:RATIO".
    public var stored: String {
        switch self {
        case .used: "used"
        case .allocated(let ratio): "allocated:\(ratio)"
        }
    }

    public init?(stored text: String) {
        if text == "used" { self = .used; return }
        guard text.hasPrefix("allocated:"), let ratio = Double(text.dropFirst(10)), ratio > 0, ratio.isFinite else { return nil }
        self = .allocated(vcpusPerCore: ratio)
    }

    /// Why an allocation ratio is what it is, for the operator's note.
    public enum RatioSource: Sendable, Equatable {
        /// --vcpu-ratio.
        case given
        /// The hosts run that many vCPUs per core today (the estate, or the busiest host
        /// where VMs stay where they run).
        case today(busiestHost: String?)
        /// 4:1, a usual ratio for general workloads.
        case usual
    }

    /// The ratio an inventory that states no CPU use is planned at: `given`, else today's
    /// ratio on the hosts (rounded up to a tenth) where above 4:1, else 4:1. Where the VMs
    /// keep running where they are (`keepsHosts`: the service, `place`), the busiest host of
    /// today must still fit, so its ratio counts too.
    public static func allocationRatio(given: Double?, vms: [VM], hosts: [VMHost], keepsHosts: Bool) -> (ratio: Double, source: RatioSource) {
        if let given { return (given, .given) }
        let estate = PlacementProblem.allocationRatio(vms: vms, hosts: hosts)
        let busiest = keepsHosts ? Self.busiestRatio(vms: vms, hosts: hosts) : nil
        let ratio = max(estate, busiest?.ratio ?? 0)
        guard ratio > 4 else { return (ratio, .usual) }
        return (ratio, .today(busiestHost: busiest.flatMap { $0.ratio == ratio ? $0.host : nil }))
    }

    /// The host running the most vCPUs per core today, with that ratio rounded up to a tenth.
    static func busiestRatio(vms: [VM], hosts: [VMHost]) -> (host: String, ratio: Double)? {
        var vcpus: [String: Int] = [:]
        for vm in vms { if let h = vm.currentHost { vcpus[h, default: 0] += vm.vcpus } }
        let ratios = hosts.compactMap { host in vcpus[host.id].map { (host.id, Double($0) / Double(max(1, host.cpuCores))) } }
        return ratios.max { $0.1 < $1.1 }.map { ($0.0, ($0.1 * 10).rounded(.up) / 10) }
    }

    /// Whether a VM states its CPU use (MHz or a percentage of its vCPUs).
    public static func states(_ vm: VM) -> Bool { vm.measured[.cpu] != nil || vm.cpuPercent != nil }
}
