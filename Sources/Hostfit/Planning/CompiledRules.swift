/// The rules of a problem, compiled once into what every solver and the validator look up:
/// which hosts each VM may use, its groups, its pinned host, the N+k reserve per cluster,
/// and the VMs no plan can place (contradictory rules), each with the rule's name.
package struct CompiledRules: Sendable {
    /// Index into `eligibility`, per VM: VMs with the same constraints share a row.
    let eligibilityClass: [Int]
    /// Per class, per host: may a VM of the class run there?
    let eligibility: [[Bool]]
    /// Per VM: the host it is pinned to, or -1.
    package let pinnedHost: [Int]
    /// Per VM: its anti-affinity groups (indices into antiAffinityGroups).
    package let antiAffinityOf: [[Int]]
    package let antiAffinityGroups: [(name: String, vms: [Int])]
    /// Per VM: its affinity unit (VMs that must share a host, groups that overlap joined), or -1.
    package let unitOf: [Int]
    package let units: [[Int]]
    /// Per host: its cluster's index.
    package let clusterOf: [Int]
    package let clusters: [String]
    /// N+k: hosts each cluster must be able to lose.
    package let reserve: Int
    /// VMs no plan can place, with the rule that says why.
    package let impossible: [Int: Violation]
    /// Per VM: in `impossible` (a flat copy for fit tests).
    package let isImpossible: [Bool]

    @inline(__always) package func allows(_ vm: Int, _ host: Int) -> Bool {
        eligibility[eligibilityClass[vm]][host]
    }

    package var hasGroups: Bool { !antiAffinityGroups.isEmpty || !units.isEmpty }

    init(hosts: [VMHost], vms: [VM], reserve: Int) {
        self.reserve = reserve
        var clusters: [String] = [], clusterIndex: [String: Int] = [:]
        clusterOf = hosts.map { host in
            if let c = clusterIndex[host.cluster] { return c }
            clusterIndex[host.cluster] = clusters.count
            clusters.append(host.cluster)
            return clusters.count - 1
        }
        self.clusters = clusters
        let hostIndex = Dictionary(hosts.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        var impossible: [Int: Violation] = [:]

        // Where each VM may run: active hosts, with its tags, in its cluster, or its pinned host.
        var pinned = [Int](repeating: -1, count: vms.count)
        var classKey: [String: Int] = [:]
        var eligibility: [[Bool]] = []
        var eligibilityClass = [Int](repeating: 0, count: vms.count)
        let allTags = Set(hosts.flatMap(\.tags))
        for (v, vm) in vms.enumerated() {
            if vm.pinned, let current = vm.currentHost {
                guard let h = hostIndex[current] else {
                    impossible[v] = Violation(rule: .pinned, message: "pinned to '\(current)', which is not in the host inventory")
                    continue
                }
                if !hosts[h].acceptsVMs {
                    impossible[v] = Violation(rule: .pinned, message: "pinned to '\(current)', which is \(hosts[h].state.rawValue)")
                }
                pinned[v] = h
            }
            if let missing = vm.requires.subtracting(allTags).sorted().first {
                impossible[v] = Violation(rule: .requires, message: "requires tag '\(missing)', which no host has")
            }
            if let cluster = vm.cluster, clusterIndex[cluster] == nil {
                impossible[v] = Violation(rule: .cluster, message: "belongs to cluster '\(cluster)', which has no host")
            }
            let key = "\(vm.requires.sorted())|\(vm.cluster ?? "")|\(pinned[v])"
            if let c = classKey[key] { eligibilityClass[v] = c; continue }
            classKey[key] = eligibility.count
            eligibilityClass[v] = eligibility.count
            eligibility.append(hosts.enumerated().map { h, host in
                host.acceptsVMs && vm.requires.isSubset(of: host.tags) && (vm.cluster == nil || vm.cluster == host.cluster)
                    && (pinned[v] < 0 || pinned[v] == h)
            })
            if impossible[v] == nil, !eligibility.last!.contains(true) {
                let rule: Violation.Rule = pinned[v] >= 0 ? .pinned : (!vm.requires.isEmpty ? .requires : (vm.cluster != nil ? .cluster : .hostState))
                impossible[v] = Violation(rule: rule, message: "no active host meets its rules (requires \(vm.requires.sorted()), cluster \(vm.cluster ?? "any"))")
            }
        }
        self.pinnedHost = pinned
        self.eligibility = eligibility
        self.eligibilityClass = eligibilityClass

        // Anti-affinity groups.
        var antiIndex: [String: Int] = [:], anti: [(name: String, vms: [Int])] = []
        var antiOf = [[Int]](repeating: [], count: vms.count)
        for (v, vm) in vms.enumerated() {
            for name in vm.antiAffinity.sorted() {
                let g = antiIndex[name] ?? { antiIndex[name] = anti.count; anti.append((name, [])); return anti.count - 1 }()
                anti[g].vms.append(v)
                antiOf[v].append(g)
            }
        }
        self.antiAffinityGroups = anti
        self.antiAffinityOf = antiOf

        // Affinity units: groups that share a VM are one unit (union-find).
        var parent = Array(0..<vms.count)
        func find(_ x: Int) -> Int { var x = x; while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }; return x }
        var firstOfGroup: [String: Int] = [:]
        var grouped = Set<Int>()
        for (v, vm) in vms.enumerated() {
            for name in vm.affinity {
                grouped.insert(v)
                if let first = firstOfGroup[name] { parent[find(v)] = find(first) } else { firstOfGroup[name] = v }
            }
        }
        var unitIndex: [Int: Int] = [:], units: [[Int]] = []
        var unitOf = [Int](repeating: -1, count: vms.count)
        for v in grouped.sorted() {
            let root = find(v)
            let u = unitIndex[root] ?? { unitIndex[root] = units.count; units.append([]); return units.count - 1 }()
            units[u].append(v)
            unitOf[v] = u
        }
        // A unit shares hosts: its members must agree on where they may run.
        for unit in units where unit.count > 1 {
            let together = unit.flatMap { v in antiOf[v].filter { g in unit.filter { antiOf[$0].contains(g) }.count > 1 } }
            if let g = together.first {
                for v in unit where impossible[v] == nil {
                    impossible[v] = Violation(rule: .affinity, message: "affinity puts it with VMs of its anti-affinity group '\(anti[g].name)'")
                }
                continue
            }
            let pins = Set(unit.map { pinned[$0] }.filter { $0 >= 0 })
            let shared = (0..<hosts.count).filter { h in unit.allSatisfy { eligibility[eligibilityClass[$0]][h] } }
            if pins.count > 1 || shared.isEmpty {
                for v in unit where impossible[v] == nil {
                    impossible[v] = Violation(rule: .affinity, message: pins.count > 1 ? "its affinity group is pinned to different hosts" : "no host meets the rules of its whole affinity group")
                }
            }
        }
        // An impossible member makes its whole unit impossible (they go together or not at all).
        for unit in units {
            if let reason = unit.lazy.compactMap({ impossible[$0] }).first {
                for v in unit where impossible[v] == nil {
                    impossible[v] = Violation(rule: .affinity, message: "its affinity group cannot be placed: \(reason.message)")
                }
            }
        }
        self.units = units
        self.unitOf = unitOf
        self.impossible = impossible
        var flags = [Bool](repeating: false, count: vms.count)
        for v in impossible.keys { flags[v] = true }
        self.isImpossible = flags
    }
}
