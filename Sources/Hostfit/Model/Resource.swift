/// Something a host has a capacity of and a VM has a demand for.
///
/// Resources are a list, not a fixed set of fields: the four measured ones below, plus any
/// countable resource an inventory declares as a `res_NAME` column (GPUs, licence seats...).
public struct Resource: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let name: String
    public let unit: String
    /// A missing capacity means "not tracked" for measured resources, but "none" for counted
    /// ones: a host without a `res_gpu` value has no GPU.
    public let isCounted: Bool

    public static let cpu = Resource(name: "cpu", unit: "MHz", isCounted: false)
    public static let memory = Resource(name: "memory", unit: "MB", isCounted: false)
    public static let disk = Resource(name: "disk", unit: "IOPS", isCounted: false)
    public static let network = Resource(name: "net", unit: "Mbps", isCounted: false)
    public static let standard: [Resource] = [.cpu, .memory, .disk, .network]
    /// Allocations, not demand: vCPUs against cores x the vCPU ratio, allocated memory
    /// against physical memory x the memory ratio.
    public static let vcpuAllocation = Resource(name: "vcpu_alloc", unit: "vCPU", isCounted: true)
    public static let memoryAllocation = Resource(name: "memory_alloc", unit: "MB", isCounted: true)

    public static func counted(_ name: String) -> Resource {
        Resource(name: name, unit: "", isCounted: true)
    }

    /// The resource a user means by `name` (as in `--headroom cpu=80`), if any standard one.
    public static func standard(named name: String) -> Resource? {
        switch name.lowercased() {
        case "cpu", "cpu_mhz": .cpu
        case "memory", "mem", "memory_mb", "ram": .memory
        case "disk", "disk_iops", "iops": .disk
        case "net", "network", "net_mbps": .network
        default: nil
        }
    }

    public var description: String { name }

    /// Standard resources first, in their usual order, then counted ones by name.
    public static func < (a: Resource, b: Resource) -> Bool {
        let ia = standard.firstIndex(of: a) ?? standard.count
        let ib = standard.firstIndex(of: b) ?? standard.count
        return ia != ib ? ia < ib : a.name < b.name
    }

    /// "48 GB memory", "5,200 MHz cpu", "2 gpu": for reasons a person reads.
    public func format(_ amount: Double) -> String {
        if self == .memory, amount >= 1024 { return "\(Self.number(amount / 1024)) GB memory" }
        return unit.isEmpty ? "\(Self.number(amount)) \(name)" : "\(Self.number(amount)) \(unit) \(name)"
    }

    /// "4 GB", "512 MB".
    public static func format(mb: Double) -> String {
        mb >= 1024 ? "\(number(mb / 1024)) GB" : "\(number(mb)) MB"
    }

    public static func number(_ x: Double) -> String {
        // Beyond 1e15 (or not finite) an Int64 would trap or lie: such a figure is a typo, shown as given.
        guard x.isFinite, abs(x) < 1e15 else { return "\(x)" }
        if x == x.rounded() { return String(Int64(x)) }
        return abs(x) >= 100 ? String(Int64(x.rounded())) : String(format1(x))
    }

    private static func format1(_ x: Double) -> String {
        let scaled = (x * 10).rounded() / 10
        return scaled == scaled.rounded() ? String(Int64(scaled)) : String(scaled)
    }
}
