/// Licence prices compiled against a problem's hosts and VMs, in flat arrays: what each
/// licence costs on each host, which licences each VM needs, and what each host pays for
/// its own (its hypervisor's subscription) whenever it runs VMs. Names that no licence
/// prices are left out here: `LicenceCheck` refuses them where the files are read.
package struct LicenceCosts: Sendable {
    package let licences: [Licence]
    /// Per VM: the licences it needs, by index, ascending.
    package private(set) var needs: [[Int]]
    /// [host * licences.count + l]: licence l on the host.
    package let price: [Double]
    /// Per host: its own licences, paid whenever it runs a VM.
    package let carried: [Double]

    package init(hosts: [VMHost], vms: [VM], licences: [Licence]) {
        self.licences = licences
        let index = Dictionary(licences.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        needs = vms.map { vm in vm.licences.compactMap { index[$0] }.sorted() }
        price = hosts.flatMap { host in licences.map { $0.cost(on: host) } }
        carried = hosts.map { host in host.licences.compactMap { index[$0] }.reduce(0.0) { $0 + licences[$1].cost(on: host) } }
    }

    /// Whether some VM needs a priced licence: then where VMs go changes what a plan costs.
    package var placementMatters: Bool { needs.contains { !$0.isEmpty } }
    /// Whether licences add to the cost at all (needed by VMs, or carried by hosts).
    package var pricesAnything: Bool { placementMatters || carried.contains { $0 > 0 } }

    @inline(__always) package func price(_ host: Int, _ licence: Int) -> Double { price[host * licences.count + licence] }

    /// Licences needed by VMs added after the others.
    package mutating func append(_ vms: [VM]) {
        let index = Dictionary(licences.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        needs += vms.map { vm in vm.licences.compactMap { index[$0] }.sorted() }
    }
}

/// How many VMs on each host need each licence, kept as VMs move: what a plan pays in
/// licences its VMs need, and what a move would add or save, in O(licences of the VM).
package struct LicenceTally: Sendable {
    private var costs: LicenceCosts
    private let L: Int
    /// [host * L + l]: VMs on the host that need licence l.
    private var count: [Int]

    package init(_ problem: PlacementProblem, _ assignment: Assignment? = nil) {
        costs = problem.licensing
        L = costs.licences.count
        count = [Int](repeating: 0, count: problem.hostCount * L)
        if let assignment {
            for (v, h) in assignment.hostOf.enumerated() where h >= 0 { add(v, to: h) }
        }
    }

    /// The same prices with the needs of VMs added to the problem since.
    package mutating func adopt(_ grown: LicenceCosts) { costs = grown }

    package mutating func add(_ vm: Int, to host: Int) {
        for l in costs.needs[vm] { count[host * L + l] += 1 }
    }

    package mutating func remove(_ vm: Int, from host: Int) {
        for l in costs.needs[vm] { count[host * L + l] -= 1 }
    }

    /// Whether the host pays for licence l now.
    package func pays(_ host: Int, _ l: Int) -> Bool { count[host * L + l] > 0 }

    /// Licence cost the host starts paying if these VMs join it.
    package func added(_ vms: [Int], on host: Int) -> Double {
        var seen: [Int] = [], total = 0.0
        for v in vms {
            for l in costs.needs[v] where count[host * L + l] == 0 && !seen.contains(l) {
                seen.append(l)
                total += costs.price(host, l)
            }
        }
        return total
    }

    /// Licence cost the host stops paying if these VMs (all on it) leave.
    package func saved(_ vms: [Int], from host: Int) -> Double {
        var leaving: [Int: Int] = [:]
        for v in vms { for l in costs.needs[v] { leaving[l, default: 0] += 1 } }
        return leaving.reduce(0.0) { $0 + (count[host * L + $1.key] == $1.value ? costs.price(host, $1.key) : 0) }
    }

    /// The licences VMs need, summed over hosts.
    package var total: Double {
        var sum = 0.0
        for k in count.indices where count[k] > 0 { sum += costs.price[k] }
        return sum
    }

    /// Per licence, on one host: what it pays (0 where none of its VMs need it).
    package func paid(on host: Int) -> [Double] {
        (0..<L).map { count[host * L + $0] > 0 ? costs.price(host, $0) : 0 }
    }
}
