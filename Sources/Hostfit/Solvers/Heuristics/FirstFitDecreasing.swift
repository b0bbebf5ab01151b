/// First-fit decreasing for vector bin packing with the "sum" size measure: VMs in order of
/// their demand summed over resources (each normalized by the largest usable capacity) and
/// over time buckets, each onto the first open host where it fits in every resource and
/// bucket, opening the next host (largest first) when none does.
///
/// One-dimensional FFD uses at most 11/9 OPT + 6/9 hosts (Dósa 2007); the vector variants
/// are compared in Panigrahy, Talwar, Uyeda & Wieder, "Heuristics for Vector Bin Packing",
/// Microsoft Research 2011, where FFD-Sum is among the best of the simple rules.
///
/// Complexity: O(V log V + V x H x R x B). Deterministic: ties go to the earlier index.
public enum FirstFitDecreasing {
    public static func solve(_ problem: PlacementProblem, vms: [Int]? = nil) -> Assignment {
        var assignment = Assignment(vmCount: problem.vmCount)
        var loads = HostLoads(problem)
        var open: [Int] = []
        var closed = hostOrder(problem)[...]
        for v in vmOrder(problem, vms: vms ?? Array(0..<problem.vmCount)) {
            if let h = open.first(where: { loads.fits(v, on: $0) }) {
                loads.add(v, to: h)
                assignment.hostOf[v] = h
            } else if let k = closed.firstIndex(where: { loads.fits(v, on: $0) }) {
                let h = closed[k]
                closed.remove(at: k)
                open.append(h)
                loads.add(v, to: h)
                assignment.hostOf[v] = h
            }
        }
        return assignment
    }

    /// Largest usable capacity per resource over hosts that take VMs (nil where untracked).
    static func scale(_ problem: PlacementProblem) -> [Double?] {
        (0..<problem.resourceCount).map { r in
            let caps = (0..<problem.hostCount).filter(problem.acceptsVMs).map { problem.capacity($0, r) }.filter(\.isFinite)
            return caps.max().flatMap { $0 > 0 ? $0 : nil }
        }
    }

    /// VMs by decreasing normalized size; ties by index.
    static func vmOrder(_ problem: PlacementProblem, vms: [Int]) -> [Int] {
        let scale = scale(problem), B = Double(problem.buckets)
        let size = vms.map { v in
            (0..<problem.resourceCount).reduce(0.0) { sum, r in
                guard let s = scale[r] else { return sum }
                var total = 0.0
                for b in 0..<problem.buckets { total += problem.demand(v, r, b) }
                return sum + total / (s * B)
            }
        }
        return vms.indices.sorted { size[$0] != size[$1] ? size[$0] > size[$1] : vms[$0] < vms[$1] }.map { vms[$0] }
    }

    /// Hosts that take VMs, largest normalized capacity first, identical hosts kept together.
    static func hostOrder(_ problem: PlacementProblem) -> [Int] {
        let scale = scale(problem), R = problem.resourceCount
        let hosts = (0..<problem.hostCount).filter(problem.acceptsVMs)
        let size = Dictionary(uniqueKeysWithValues: hosts.map { h in
            (h, (0..<R).reduce(0.0) { sum, r in scale[r].map { sum + min(problem.capacity(h, r), $0) / $0 } ?? sum })
        })
        return hosts.sorted { a, b in
            if size[a]! != size[b]! { return size[a]! > size[b]! }
            for r in 0..<R where problem.capacity(a, r) != problem.capacity(b, r) {
                return problem.capacity(a, r) > problem.capacity(b, r)
            }
            return a < b
        }
    }
}
