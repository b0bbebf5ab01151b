import Foundation
import Hostfit

/// Copies of the desk's engine that ratings run on, one per core, so that ratings run
/// side by side and never wait for a placement. Each copy follows the desk through the
/// state's journal (placements and releases replayed as the desk made them) and is built
/// anew from the state when hosts, VMs or sizing changed, or it fell too far behind. A
/// rating therefore sees every placement acknowledged before it began.
final class RatingReplicas: Sendable {
    private let replicas: [Replica]
    private let turn = Turn()

    init(count: Int) { replicas = (0..<count).map { _ in Replica() } }

    /// The ratings of `vm`, on a replica caught up with `state`, with the caller's `gate`.
    func rate(_ vm: VM, top: Int?, on state: DeskState, gate: (PlacementProblem) -> HostRater.Gate? = { _ in nil }) -> DeskResult.Ratings {
        let replica = claim()
        defer { replica.lock.unlock() }
        replica.catchUp(state)
        let v = replica.indices(of: vm, state)
        var rater = replica.engine!.rater
        rater.gate = gate(rater.problem)
        return Self.ratings(of: vm.id, v, top: top, rater: rater, goal: state.goal)
    }

    /// A free replica, locked; the next in turn, waited for, when all are busy.
    private func claim() -> Replica {
        let start = turn.next()
        for k in 0..<replicas.count {
            let replica = replicas[(start + k) % replicas.count]
            if replica.lock.try() { return replica }
        }
        let replica = replicas[start % replicas.count]
        replica.lock.lock()
        return replica
    }

    /// The answer for `v` of `rater`: its `top` best hosts (all with nil) and the rest counted.
    static func ratings(of id: String, _ v: Int, top: Int?, rater: HostRater, goal: PlacementGoal) -> DeskResult.Ratings {
        guard let top else {
            let all = rater.rate(v, goal: goal)
            var refused: [String: Int] = [:]
            for rating in all where rating.stars == 0 { refused[(rating.rule ?? .capacity).rawValue, default: 0] += 1 }
            return DeskResult.Ratings(vm: id, ratings: all.map(DeskResult.Rating.init), fitting: all.count { $0.stars > 0 }, refused: refused)
        }
        let found = rater.top(v, top, goal: goal)
        return DeskResult.Ratings(vm: id, ratings: found.best.map(DeskResult.Rating.init), fitting: found.fitting,
                                  refused: Dictionary(uniqueKeysWithValues: found.refused.map { ($0.key.rawValue, $0.value) }))
    }

    final class Turn: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func next() -> Int { lock.withLock { count &+= 1; return count & Int.max } }
    }

    /// One copy of the engine and the state version it reflects; used under its lock.
    final class Replica: @unchecked Sendable {
        let lock = NSLock()
        var engine: IncrementalPlacer?
        var version = -1

        /// What the replica must do to reflect the state.
        private enum Work {
            case none
            case replay([DeskState.Change])
            case rebuild(hosts: [VMHost], vms: [VM], demand: ServiceDemand)
        }

        func catchUp(_ state: DeskState) {
            let (target, work): (Int, Work) = state.read { c in
                if c.version == version, engine != nil { return (c.version, .none) }
                if engine != nil, version >= c.journalBase {
                    let changes = Array(c.journal[(version - c.journalBase)...])
                    if !changes.contains(where: { if case .rebuilt = $0 { true } else { false } }) {
                        return (c.version, .replay(changes))
                    }
                }
                return (c.version, .rebuild(hosts: c.hostList, vms: c.vmList, demand: c.demand))
            }
            switch work {
            case .none: return
            case .replay(let changes):
                for change in changes where !replay(change) {
                    // A change the engine could not follow: built anew, as the state stands now.
                    version = -1
                    engine = nil
                    return catchUp(state)
                }
            case .rebuild(let hosts, let vms, let demand):
                engine = demand.placer(hosts: hosts, vms: vms, headroom: state.headroom, rules: state.rules)
            }
            version = target
        }

        /// Replays one change; false where the engine must be built anew.
        private func replay(_ change: DeskState.Change) -> Bool {
            switch change {
            case .placed(let vms):
                for vm in vms {
                    var unplaced = vm
                    unplaced.currentHost = nil
                    guard let host = vm.currentHost, let h = engine!.problem.host(named: host),
                          let v = engine!.indices(for: [unplaced])?.first else { return false }
                    engine!.place(v, on: h)
                }
                return true
            case .released(let id):
                guard let v = engine!.placed(id) else { return false }
                engine!.unplace(v)
                return true
            case .loadsUnchanged:
                return true
            case .rebuilt:
                return false
            }
        }

        /// The index of `vm` in the engine, appended unplaced where it is not there as it is.
        func indices(of vm: VM, _ state: DeskState) -> Int {
            let live = state.read { $0.vms.count }
            if engine!.leftBehind(live: live) > max(1024, live) { rebuild(state) }
            if let found = engine!.indices(for: [vm]) { return found[0] }
            // A VM that changes the problem's shape (a new counted resource, an affinity group):
            // this replica's engine is built with it, as the desk's would be.
            let (hosts, vms, demand, now) = state.read { c in (c.hostList, c.vmList.filter { $0.id != vm.id }, c.demand, c.version) }
            engine = demand.placer(hosts: hosts, vms: vms + [vm], headroom: state.headroom, rules: state.rules)
            version = now
            return engine!.indices(for: [vm])!.first!
        }

        private func rebuild(_ state: DeskState) {
            version = -1
            engine = nil
            catchUp(state)
        }
    }
}
