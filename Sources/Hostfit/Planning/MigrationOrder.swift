/// An order in which the live migrations from the current placement to a plan can run one
/// at a time, every host within its capacity (with headroom, in every time bucket) and every
/// rule holding after each step.
///
/// Greedy over the reconfiguration graph, as Entropy does (Hermenier, Lorca, Menaud, Muller
/// & Lawall, "Entropy: a consolidation manager for clusters", VEE 2009): move any VM whose
/// target has room now; when none has (a cycle: A waits for room on B, B for room on A),
/// park one VM on a third host with room (a pivot), which frees its source, and move it on
/// to its target later. A VM is parked at most once. Moves that no order makes safe are
/// listed last, as `unsafe`, and said so. O(M^2 x H x R x B) for M migrations in the worst
/// case; far less when most targets have room.
public struct MigrationOrder: Sendable {
    public struct Step: Sendable, Equatable {
        public var step: Int
        public var vm: String
        public var from: String
        public var to: String
        /// A temporary move to break a cycle: the VM moves on later.
        public var parking: Bool
    }

    public var steps: [Step]
    /// Migrations with no safe place in the order (run them in a maintenance window).
    public var unsafe: [String]

    /// `priority` (per VM, lower first) orders the moves where several are safe: the
    /// rebalancer's quietest hours.
    public init(_ problem: PlacementProblem, plan: Assignment, priority: [Double]? = nil) {
        var loads = HostLoads(problem)
        var pending: [(vm: Int, target: Int)] = []
        for (v, vm) in problem.vms.enumerated() {
            guard let current = vm.currentHost.flatMap({ problem.host(named: $0) }) else { continue }
            loads.add(v, to: current)
            if plan.hostOf[v] >= 0, plan.hostOf[v] != current { pending.append((v, plan.hostOf[v])) }
        }
        if let priority { pending.sort { priority[$0.vm] != priority[$1.vm] ? priority[$0.vm] < priority[$1.vm] : $0.vm < $1.vm } }
        var where_ = (0..<problem.vmCount).map { problem.vms[$0].currentHost.flatMap { problem.host(named: $0) } ?? -1 }
        var steps: [Step] = [], parked = Set<Int>()
        func move(_ v: Int, to h: Int, parking: Bool) {
            loads.remove(v, from: where_[v])
            loads.add(v, to: h)
            steps.append(Step(step: steps.count + 1, vm: problem.vms[v].id, from: problem.hosts[where_[v]].id, to: problem.hosts[h].id, parking: parking))
            where_[v] = h
        }
        while !pending.isEmpty {
            if let k = pending.firstIndex(where: { loads.fits($0.vm, on: $0.target) }) {
                let (v, target) = pending.remove(at: k)
                move(v, to: target, parking: false)
                continue
            }
            // A cycle: park the VM whose move frees most, on the host with the most room.
            var pivot: (k: Int, host: Int, room: Double)?
            for (k, item) in pending.enumerated() where !parked.contains(item.vm) {
                for h in 0..<problem.hostCount where h != where_[item.vm] && h != item.target && loads.fits(item.vm, on: h) {
                    let room = 1 - loads.utilization(h)
                    if room > (pivot?.room ?? -.infinity) { pivot = (k, h, room) }
                }
            }
            guard let pivot else { break }
            parked.insert(pending[pivot.k].vm)
            move(pending[pivot.k].vm, to: pivot.host, parking: true)
        }
        self.steps = steps
        self.unsafe = pending.map { problem.vms[$0.vm].id }
        for item in pending {
            steps.append(Step(step: steps.count + 1, vm: problem.vms[item.vm].id, from: problem.hosts[where_[item.vm]].id,
                              to: problem.hosts[item.target].id, parking: false))
        }
        self.steps = steps
    }

    /// Migrations in the plan (parking moves not counted).
    public var migrations: Int { steps.count { !$0.parking } }
}
