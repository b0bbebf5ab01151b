/// The single judge of whether a placement is valid for a problem.
///
/// It works from ids, the VMs' and hosts' own fields and the problem's numbers, recomputing
/// every host's load from scratch, so that it shares no code path with the solvers it checks
/// (not even the compiled rules they use). Every plan passes
/// here before it is written (see `ValidatedPlan`), and `hostfit check` runs it on files.
public enum PlanValidator {
    /// Relative slack for summing the same numbers in another order.
    static let tolerance = 1e-9

    public static func violations(of placement: Placement, in problem: PlacementProblem) -> [Violation] {
        var violations: [Violation] = []
        var hostOf = [Int](repeating: -1, count: problem.vmCount)
        var lineOf = [Int?](repeating: nil, count: problem.vmCount)

        for entry in placement.entries {
            guard let v = problem.vmIndex[entry.vm] else {
                violations.append(Violation(rule: .knownIDs, message: "unknown VM '\(entry.vm)'", line: entry.line, subject: "vm '\(entry.vm)'"))
                continue
            }
            guard let h = problem.hostIndex[entry.host] else {
                violations.append(Violation(rule: .knownIDs, message: "VM '\(entry.vm)' is placed on unknown host '\(entry.host)'", line: entry.line,
                                            subject: "vm '\(entry.vm)' on '\(entry.host)'"))
                continue
            }
            if hostOf[v] >= 0 {
                let first = problem.hosts[hostOf[v]].id
                let earlier = lineOf[v].map { " (line \($0))" } ?? ""
                violations.append(Violation(rule: .placedOnce, message: "VM '\(entry.vm)' is placed twice: on '\(first)'\(earlier) and on '\(entry.host)'", line: entry.line,
                                            subject: "vm '\(entry.vm)'"))
                continue
            }
            hostOf[v] = h
            lineOf[v] = entry.line
            let host = problem.hosts[h], vm = problem.vms[v]
            if !host.acceptsVMs {
                violations.append(Violation(rule: .hostState, message: "VM '\(entry.vm)' is on host '\(host.id)', which is \(host.state.rawValue)", line: entry.line,
                                            subject: "vm '\(entry.vm)' on '\(host.id)'"))
            }
            if let missing = vm.requires.subtracting(host.tags).sorted().first {
                violations.append(Violation(rule: .requires, message: "VM '\(entry.vm)' requires tag '\(missing)', which host '\(host.id)' lacks", line: entry.line,
                                            subject: "vm '\(entry.vm)' on '\(host.id)'"))
            }
            if let cluster = vm.cluster, cluster != host.cluster {
                violations.append(Violation(rule: .cluster, message: "VM '\(entry.vm)' belongs to cluster '\(cluster)', host '\(host.id)' is in '\(host.cluster)'", line: entry.line,
                                            subject: "vm '\(entry.vm)' on '\(host.id)'"))
            }
            if vm.pinned, let current = vm.currentHost, current != host.id {
                violations.append(Violation(rule: .pinned, message: "VM '\(entry.vm)' is pinned to '\(current)', placed on '\(host.id)'", line: entry.line,
                                            subject: "vm '\(entry.vm)' on '\(host.id)'"))
            }
        }
        violations += groupViolations(hostOf, problem)

        let R = problem.resourceCount, B = problem.buckets
        // Loads of the hosts in use only, in slots: a placement on a few of many hosts (the
        // service judges those alone) costs what those hosts hold, not hosts x buckets.
        var count = [Int](repeating: 0, count: problem.hostCount)
        var slot = [Int](repeating: -1, count: problem.hostCount)
        var used: [Int] = []
        for h in hostOf where h >= 0 {
            if slot[h] < 0 { slot[h] = used.count; used.append(h) }
            count[h] += 1
        }
        var load = [Double](repeating: 0, count: used.count * R * B)
        for (v, h) in hostOf.enumerated() where h >= 0 {
            let s = slot[h]
            for r in 0..<R {
                for b in 0..<B { load[(s * R + r) * B + b] += problem.demand(v, r, b) }
            }
        }
        for h in used.sorted() {
            let host = problem.hosts[h], s = slot[h]
            if let limit = host.maxVMs, count[h] > limit {
                violations.append(Violation(rule: .maxVMs, message: "host '\(host.id)' runs \(count[h]) VMs, max_vms is \(limit)",
                                            subject: "host '\(host.id)'", amount: Double(count[h] - limit)))
            }
            for (r, resource) in problem.resources.enumerated() {
                let cap = problem.capacity(h, r)
                var worst = -1, worstLoad = 0.0
                for b in 0..<B where load[(s * R + r) * B + b] > cap * (1 + tolerance) + tolerance {
                    if load[(s * R + r) * B + b] > worstLoad { worst = b; worstLoad = load[(s * R + r) * B + b] }
                }
                guard worst >= 0 else { continue }
                let when = B > 1 ? " in time bucket \(worst)" : ""
                if resource == .vcpuAllocation || resource == .memoryAllocation {
                    let ratio = resource == .vcpuAllocation ? "\(Resource.number(problem.settings.vcpusPerCore ?? 0)) vCPUs per core" : "memory ratio \(Resource.number(problem.settings.memoryRatio ?? 0))"
                    violations.append(Violation(rule: .overcommit, message: "host '\(host.id)' has \(resource.format(worstLoad)) allocated, \(ratio) allows \(resource.format(cap))",
                                                subject: "host '\(host.id)' \(resource.name)", amount: worstLoad - cap, resource: resource))
                    continue
                }
                let fraction = problem.headroom.fraction(for: resource)
                let of = fraction < 1 ? " (\(Resource.number(fraction * 100))% of \(resource.format(problem.rawCapacity[h * R + r])))" : ""
                violations.append(Violation(rule: .capacity, message: "host '\(host.id)' needs \(resource.format(worstLoad))\(when), has \(resource.format(cap))\(of)",
                                            subject: "host '\(host.id)' \(resource.name)", amount: worstLoad - cap, resource: resource))
            }
        }
        violations += reserveViolations(count, load, slot, problem)
        return violations
    }

    private static func groupViolations(_ hostOf: [Int], _ problem: PlacementProblem) -> [Violation] {
        var violations: [Violation] = []
        var anti: [String: [Int: [String]]] = [:]      // group -> host -> VMs
        var affinity: [String: Set<Int>] = [:]          // group -> hosts
        for (v, h) in hostOf.enumerated() where h >= 0 {
            let vm = problem.vms[v]
            for group in vm.antiAffinity { anti[group, default: [:]][h, default: []].append(vm.id) }
            for group in vm.affinity { affinity[group, default: []].insert(h) }
        }
        for (group, byHost) in anti.sorted(by: { $0.key < $1.key }) {
            for (h, vms) in byHost.sorted(by: { $0.key < $1.key }) where vms.count > 1 {
                violations.append(Violation(rule: .antiAffinity, message: "VMs \(vms.joined(separator: ", ")) of anti-affinity group '\(group)' share host '\(problem.hosts[h].id)'",
                                            subject: "anti-affinity '\(group)' on '\(problem.hosts[h].id)'", amount: Double(vms.count - 1)))
            }
        }
        for (group, hosts) in affinity.sorted(by: { $0.key < $1.key }) where hosts.count > 1 {
            let names = hosts.sorted().map { problem.hosts[$0].id }.joined(separator: ", ")
            violations.append(Violation(rule: .affinity, message: "VMs of affinity group '\(group)' are spread over hosts \(names)",
                                        subject: "affinity '\(group)'", amount: Double(hosts.count - 1)))
        }
        return violations
    }

    /// N+k: in each cluster, the usable capacity of its used hosts less the k largest must
    /// hold the cluster's demand in every bucket (vSphere HA's cluster-percentage admission
    /// control, per resource).
    private static func reserveViolations(_ count: [Int], _ load: [Double], _ slot: [Int], _ problem: PlacementProblem) -> [Violation] {
        let k = problem.settings.reserve
        guard k > 0 else { return [] }
        let R = problem.resourceCount, B = problem.buckets
        var violations: [Violation] = []
        let byCluster = Dictionary(grouping: (0..<problem.hostCount).filter { count[$0] > 0 }, by: { problem.hosts[$0].cluster })
        for (cluster, used) in byCluster.sorted(by: { $0.key < $1.key }) {
            let name = cluster.isEmpty ? "the cluster" : "cluster '\(cluster)'"
            guard used.count > k else {
                violations.append(Violation(rule: .reserve, message: "\(name) uses \(used.count) hosts: N+\(k) needs more than \(k)",
                                            subject: "\(name) hosts", amount: Double(k + 1 - used.count)))
                continue
            }
            for (r, resource) in problem.resources.enumerated() {
                let caps = used.map { problem.capacity($0, r) }.sorted(by: >)
                guard caps.allSatisfy(\.isFinite) else { continue }
                let survives = caps.dropFirst(k).reduce(0, +)
                var worst = 0.0
                for b in 0..<B {
                    worst = max(worst, used.reduce(0) { $0 + load[(slot[$1] * R + r) * B + b] })
                }
                if worst > survives * (1 + tolerance) + tolerance {
                    violations.append(Violation(rule: .reserve, message: "\(name) needs \(resource.format(worst)), and losing its \(k) largest hosts leaves \(resource.format(survives))",
                                                subject: "\(name) \(resource.name)", amount: worst - survives, resource: resource))
                }
            }
        }
        return violations
    }
}
