/// The rules of a problem, compiled once into what every solver and the validator look up:
/// which hosts each VM may use, its groups, its pinned host, the N+k reserve per cluster,
/// and the VMs no plan can place (contradictory rules), each with the rule's name.
package struct CompiledRules: Sendable {
    /// Index into `eligibility`, per VM: VMs with the same constraints share a row.
    private(set) var eligibilityClass: [Int]
    /// Per class, per host: may a VM of the class run there?
    private(set) var eligibility: [[Bool]]
    /// Per VM: the host it is pinned to, or -1.
    package private(set) var pinnedHost: [Int]
    /// Per VM: its anti-affinity groups (indices into antiAffinityGroups).
    package private(set) var antiAffinityOf: [[Int]]
    package private(set) var antiAffinityGroups: [(name: String, vms: [Int])]
    /// Per VM: its affinity unit (VMs that must share a host, groups that overlap joined), or -1.
    package private(set) var unitOf: [Int]
    package private(set) var units: [[Int]]
    /// Per host: its cluster's index.
    package let clusterOf: [Int]
    package let clusters: [String]
    /// N+k: hosts each cluster must be able to lose.
    package let reserve: Int
    /// VMs no plan can place, with the rule that says why.
    package private(set) var impossible: [Int: Violation]
    /// Per VM: in `impossible` (a flat copy for fit tests).
    package private(set) var isImpossible: [Bool]
    // Lookups kept to compile VMs added later (`append`).
    private let hosts: [VMHost]
    private let hostIndex: [String: Int]
    private let clusterIndex: [String: Int]
    private let allTags: Set<String>
    private var classKey: [String: Int] = [:]
    private var rowHasHost: [Bool] = []
    private var antiIndex: [String: Int] = [:]

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
        self.clusterIndex = clusterIndex
        self.hosts = hosts
        hostIndex = Dictionary(hosts.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        allTags = Set(hosts.flatMap(\.tags))
        impossible = [:]
        pinnedHost = []
        eligibility = []
        eligibilityClass = []
        antiAffinityGroups = []
        antiAffinityOf = []
        isImpossible = []
        units = []
        unitOf = [Int](repeating: -1, count: vms.count)
        for (v, vm) in vms.enumerated() { compile(vm, at: v) }
        let antiOf = antiAffinityOf, anti = antiAffinityGroups, pinned = pinnedHost
        var impossible = self.impossible
        let eligibility = self.eligibility, eligibilityClass = self.eligibilityClass
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

    /// Where VM `v` may run (active hosts, with its tags, in its cluster, or its pinned host)
    /// and its anti-affinity groups; what makes it impossible on its own.
    private mutating func compile(_ vm: VM, at v: Int) {
        var pinned = -1
        if vm.pinned, let current = vm.currentHost {
            guard let h = hostIndex[current] else {
                impossible[v] = Violation(rule: .pinned, message: "pinned to '\(current)', which is not in the host inventory")
                pinnedHost.append(-1)
                eligibilityClass.append(row("nowhere") { _, _ in false })
                compileAntiAffinity(vm)
                return
            }
            if !hosts[h].acceptsVMs {
                impossible[v] = Violation(rule: .pinned, message: "pinned to '\(current)', which is \(hosts[h].state.rawValue)")
            }
            pinned = h
        }
        pinnedHost.append(pinned)
        if let missing = vm.requires.subtracting(allTags).sorted().first {
            impossible[v] = Violation(rule: .requires, message: "requires tag '\(missing)', which no host has")
        }
        if let cluster = vm.cluster, clusterIndex[cluster] == nil {
            impossible[v] = Violation(rule: .cluster, message: "belongs to cluster '\(cluster)', which has no host")
        }
        let c = row("\(vm.requires.sorted())|\(vm.cluster ?? "")|\(pinned)") { h, host in
            host.acceptsVMs && vm.requires.isSubset(of: host.tags) && (vm.cluster == nil || vm.cluster == host.cluster)
                && (pinned < 0 || pinned == h)
        }
        eligibilityClass.append(c)
        if impossible[v] == nil, !rowHasHost[c] {
            let rule: Violation.Rule = pinned >= 0 ? .pinned : (!vm.requires.isEmpty ? .requires : (vm.cluster != nil ? .cluster : .hostState))
            impossible[v] = Violation(rule: rule, message: "no active host meets its rules (requires \(vm.requires.sorted()), cluster \(vm.cluster ?? "any"))")
        }
        compileAntiAffinity(vm)
    }

    /// The eligibility row for a class of constraints, made on first use.
    private mutating func row(_ key: String, _ allowed: (Int, VMHost) -> Bool) -> Int {
        if let c = classKey[key] { return c }
        classKey[key] = eligibility.count
        eligibility.append(hosts.enumerated().map { allowed($0, $1) })
        rowHasHost.append(eligibility.last!.contains(true))
        return eligibility.count - 1
    }

    private mutating func compileAntiAffinity(_ vm: VM) {
        let v = antiAffinityOf.count
        var groups: [Int] = []
        for name in vm.antiAffinity.sorted() {
            let g = antiIndex[name] ?? { antiIndex[name] = antiAffinityGroups.count; antiAffinityGroups.append((name, [])); return antiAffinityGroups.count - 1 }()
            antiAffinityGroups[g].vms.append(v)
            groups.append(g)
        }
        antiAffinityOf.append(groups)
    }

    /// Compiles VMs added after the others, at positions `first`...; false, changing nothing,
    /// when one has an affinity group (units are joined over all VMs: compile anew).
    mutating func append(_ vms: [VM], from first: Int) -> Bool {
        guard first == unitOf.count, vms.allSatisfy(\.affinity.isEmpty) else { return false }
        for (k, vm) in vms.enumerated() {
            compile(vm, at: first + k)
            unitOf.append(-1)
            isImpossible.append(impossible[first + k] != nil)
        }
        return true
    }
}
