/// The single judge of whether a placement is valid for a problem.
///
/// It works from ids and the problem's own numbers, recomputing every host's load from
/// scratch, so that it shares no code path with the solvers it checks. Every plan passes
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
                violations.append(Violation(rule: .knownIDs, message: "unknown VM '\(entry.vm)'", line: entry.line))
                continue
            }
            guard let h = problem.hostIndex[entry.host] else {
                violations.append(Violation(rule: .knownIDs, message: "VM '\(entry.vm)' is placed on unknown host '\(entry.host)'", line: entry.line))
                continue
            }
            if hostOf[v] >= 0 {
                let first = problem.hosts[hostOf[v]].id
                let earlier = lineOf[v].map { " (line \($0))" } ?? ""
                violations.append(Violation(rule: .placedOnce, message: "VM '\(entry.vm)' is placed twice: on '\(first)'\(earlier) and on '\(entry.host)'", line: entry.line))
                continue
            }
            hostOf[v] = h
            lineOf[v] = entry.line
            let host = problem.hosts[h]
            if !host.acceptsVMs {
                violations.append(Violation(rule: .hostState, message: "VM '\(entry.vm)' is on host '\(host.id)', which is \(host.state.rawValue)", line: entry.line))
            }
        }

        let R = problem.resourceCount, B = problem.buckets
        var load = [Double](repeating: 0, count: problem.hostCount * R * B)
        var count = [Int](repeating: 0, count: problem.hostCount)
        for (v, h) in hostOf.enumerated() where h >= 0 {
            count[h] += 1
            for r in 0..<R {
                for b in 0..<B { load[(h * R + r) * B + b] += problem.demand(v, r, b) }
            }
        }
        for (h, host) in problem.hosts.enumerated() where count[h] > 0 {
            if let limit = host.maxVMs, count[h] > limit {
                violations.append(Violation(rule: .maxVMs, message: "host '\(host.id)' runs \(count[h]) VMs, max_vms is \(limit)"))
            }
            for (r, resource) in problem.resources.enumerated() {
                let cap = problem.capacity(h, r)
                var worst = -1, worstLoad = 0.0
                for b in 0..<B where load[(h * R + r) * B + b] > cap * (1 + tolerance) + tolerance {
                    if load[(h * R + r) * B + b] > worstLoad { worst = b; worstLoad = load[(h * R + r) * B + b] }
                }
                guard worst >= 0 else { continue }
                let when = B > 1 ? " in time bucket \(worst)" : ""
                let fraction = problem.headroom.fraction(for: resource)
                let of = fraction < 1 ? " (\(Resource.number(fraction * 100))% of \(resource.format(problem.rawCapacity[h * R + r])))" : ""
                violations.append(Violation(rule: .capacity, message: "host '\(host.id)' needs \(resource.format(worstLoad))\(when), has \(resource.format(cap))\(of)"))
            }
        }
        return violations
    }
}
