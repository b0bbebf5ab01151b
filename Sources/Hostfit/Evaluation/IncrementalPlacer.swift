/// New VMs placed one after another on the loads as they stand, each seeing those before:
/// the one way `hostfit place` and the service place VMs. It keeps the problem and the
/// loads from call to call, so a VM arriving costs O(hosts), not a rebuild of every VM:
/// a placement appends its VMs to the problem and adds their demand to the loads.
///
/// Where a VM runs lives in `hostOf`, not in the problem's `currentHost` (which stays as the
/// VM came). VMs that left (refused, replaced by a new definition, released) stay behind,
/// unplaced; an owner builds the placer anew when they pile up (`leftBehind`).
public struct IncrementalPlacer: Sendable {
    public private(set) var rater: HostRater
    /// Host index per VM index, `Assignment.unplaced` where not running.
    public private(set) var hostOf: [Int]
    /// Each appended VM's demand per bucket (nil: its static demand), as the problem was built.
    let demandOf: @Sendable (VM, Resource) -> [Double]?

    public var problem: PlacementProblem { rater.problem }

    /// The VMs of `problem` on their `currentHost`; `demandOf` as the problem was built with.
    public init(_ problem: PlacementProblem, demandOf: @escaping @Sendable (VM, Resource) -> [Double]? = { _, _ in nil }) {
        self.demandOf = demandOf
        rater = HostRater(problem)
        hostOf = problem.vms.map { vm in vm.currentHost.flatMap { problem.host(named: $0) } ?? Assignment.unplaced }
    }

    /// The VMs of `problem` where `current` runs them (host index per VM).
    public init(_ problem: PlacementProblem, current: Assignment, demandOf: @escaping @Sendable (VM, Resource) -> [Double]? = { _, _ in nil }) {
        self.demandOf = demandOf
        rater = HostRater(problem, current: current)
        hostOf = current.hostOf
    }

    /// VMs held beyond the `live` ones the owner knows: refused, replaced or deleted ones.
    public func leftBehind(live: Int) -> Int { problem.vmCount - live }

    /// The index of each VM, to rate or place it: its own where the problem has it unplaced
    /// and unchanged, else appended. Nil, changing nothing, where the problem must be built anew.
    public mutating func indices(for vms: [VM]) -> [Int]? {
        var result: [Int] = [], missing: [VM] = []
        // Looked up through `rater` each time: a second reference would make the append copy it all.
        for vm in vms {
            if let v = rater.problem.vm(named: vm.id), hostOf[v] == Assignment.unplaced, rater.problem.vms[v] == vm {
                result.append(v)
            } else {
                result.append(rater.problem.vmCount + missing.count)
                missing.append(vm)
            }
        }
        guard missing.isEmpty || rater.append(missing, demandOf: demandOf) else { return nil }
        hostOf.append(contentsOf: repeatElement(Assignment.unplaced, count: missing.count))
        return result
    }

    public mutating func place(_ v: Int, on h: Int) {
        rater.place(v, on: h)
        hostOf[v] = h
    }

    public mutating func unplace(_ v: Int) {
        guard hostOf[v] != Assignment.unplaced else { return }
        rater.release(v, from: hostOf[v])
        hostOf[v] = Assignment.unplaced
    }

    /// The running VM named `id`, if it runs.
    public func placed(_ id: String) -> Int? {
        problem.vm(named: id).flatMap { hostOf[$0] == Assignment.unplaced ? nil : $0 }
    }

    /// What placing VMs one by one did.
    public struct Round: Sendable {
        /// Each VM with the host it went to (nil: none took it, or the round was undone).
        public var placed: [PlacementSuggestion]
        /// All or none: the first VM no host took, with the best host's refusal; the round's
        /// other VMs were taken off again.
        public var refused: (vm: String, rating: HostRating?)?
        /// The hosts the round placed on, for a check of those alone.
        public var touched: Set<Int>
    }

    /// Places `vms` one after another on their best host (`HostRater.best`), each seeing
    /// those before. `everyRating` keeps every host's rating per VM (what `place` reports);
    /// `allOrNone` stops at the first VM no host takes and undoes the round. `gate` gives
    /// each VM, seeing the round so far, a rule of the caller's (`HostRater.gate`).
    public mutating func placeOneByOne(_ vms: [Int], goal: PlacementGoal = .balance, weights: [Resource: Double] = [:],
                                       everyRating: Bool = false, allOrNone: Bool = false,
                                       gate: ((_ v: Int, _ soFar: Round) -> HostRater.Gate?)? = nil) -> Round {
        var round = Round(placed: [], refused: nil, touched: [])
        defer { rater.gate = nil }
        for v in vms {
            if let gate { rater.gate = gate(v, round) }
            let ratings = everyRating ? rater.rate(v, goal: goal, weights: weights) : []
            let best = everyRating ? ratings.first { $0.stars > 0 } : rater.best(v, goal: goal, weights: weights)
            guard let best, let h = problem.host(named: best.host) else {
                if allOrNone {
                    round.refused = (problem.vms[v].id, everyRating ? ratings.first : rater.rate(v, goal: goal, weights: weights).first)
                    undo(round)
                    round.touched = []
                    return round
                }
                round.placed.append(PlacementSuggestion(vm: problem.vms[v].id, ratings: ratings, host: nil))
                continue
            }
            place(v, on: h)
            round.touched.insert(h)
            round.placed.append(PlacementSuggestion(vm: problem.vms[v].id, ratings: everyRating ? ratings : [best], host: best.host))
        }
        return round
    }

    /// Takes a round's VMs off their hosts again.
    public mutating func undo(_ round: Round) {
        for s in round.placed where s.host != nil { if let v = placed(s.vm) { unplace(v) } }
    }

    /// Every running VM on its host, for the validator.
    public func entries() -> [Placement.Entry] { entries { _ in true } }

    /// The running VMs on `hosts`: all the validator needs to judge a change to those hosts
    /// alone, since capacity, max_vms, tags, state, pinning and anti-affinity are per host.
    /// (Affinity and N+k span hosts: changes that touch them are judged on `entries()`.)
    public func entries(on hosts: Set<Int>) -> [Placement.Entry] {
        var mark = [Bool](repeating: false, count: problem.hostCount)
        for h in hosts { mark[h] = true }
        return entries { mark[$0] }
    }

    private func entries(where keep: (Int) -> Bool) -> [Placement.Entry] {
        let problem = problem
        var result: [Placement.Entry] = []
        for (v, h) in hostOf.enumerated() where h != Assignment.unplaced && keep(h) {
            result.append(Placement.Entry(vm: problem.vms[v].id, host: problem.hosts[h].id))
        }
        return result
    }
}
