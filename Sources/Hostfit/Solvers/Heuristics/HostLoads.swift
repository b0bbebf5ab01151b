/// Running per-host load while a heuristic places VMs one by one: O(R x B) per fit test
/// and per move. Solvers use it for speed; `PlanValidator` does not, and tests prove the two agree.
struct HostLoads {
    let problem: PlacementProblem
    private(set) var load: [Double]
    private(set) var count: [Int]

    init(_ problem: PlacementProblem) {
        self.problem = problem
        load = [Double](repeating: 0, count: problem.hostCount * problem.resourceCount * problem.buckets)
        count = [Int](repeating: 0, count: problem.hostCount)
    }

    func fits(_ vm: Int, on host: Int) -> Bool {
        guard problem.acceptsVMs(host) else { return false }
        if let limit = problem.hosts[host].maxVMs, count[host] >= limit { return false }
        let R = problem.resourceCount, B = problem.buckets
        for r in 0..<R {
            let cap = problem.capacity(host, r) * (1 + 1e-12)
            if cap == .infinity { continue }
            let base = (host * R + r) * B, dbase = (vm * R + r) * B
            for b in 0..<B where load[base + b] + problem.demand[dbase + b] > cap { return false }
        }
        return true
    }

    mutating func add(_ vm: Int, to host: Int) {
        apply(vm, host, sign: 1)
        count[host] += 1
    }

    mutating func remove(_ vm: Int, from host: Int) {
        apply(vm, host, sign: -1)
        count[host] -= 1
    }

    private mutating func apply(_ vm: Int, _ host: Int, sign: Double) {
        let R = problem.resourceCount, B = problem.buckets
        for r in 0..<R {
            let base = (host * R + r) * B, dbase = (vm * R + r) * B
            for b in 0..<B { load[base + b] += sign * problem.demand[dbase + b] }
        }
    }

    /// Highest load of a resource over the buckets.
    func peak(_ host: Int, _ r: Int) -> Double {
        let B = problem.buckets, base = (host * problem.resourceCount + r) * B
        return load[base..<(base + B)].max() ?? 0
    }
}
