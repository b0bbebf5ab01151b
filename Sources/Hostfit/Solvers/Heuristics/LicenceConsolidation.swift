/// After packing, hosts that pay a licence for few VMs: move those VMs onto hosts that pay
/// for it already, where they fit and the move saves more than it adds (the licence here
/// against anything the targets would start paying). Repeats until no host gives one up.
/// Pinned VMs and affinity units stay whole; no host is opened. O(passes x V x H x R x B).
enum LicenceConsolidation {
    static func run(_ assignment: Assignment, _ problem: PlacementProblem, allowance: Allowance = .unlimited()) -> Assignment {
        guard problem.licensing.placementMatters else { return assignment }
        var state = PackingState(problem, from: assignment)
        var tally = LicenceTally(problem, assignment)
        let items = PackingItem.items(problem, vms: assignment.hostOf.indices.filter { assignment.hostOf[$0] >= 0 })
        let L = problem.licensing.licences.count, needs = problem.licensing.needs
        let fit = WorkMeter.fitCost(problem)
        var improved = true, passes = 0
        while improved, passes < 20, !allowance.expired {
            improved = false
            passes += 1
            // Cheapest to give up first: the fewest VMs holding the licence on the host.
            var candidates: [(host: Int, licence: Int, holders: [PackingItem])] = []
            for h in state.open {
                for l in 0..<L where tally.pays(h, l) {
                    let holders = items.filter { state.assignment.hostOf[$0.vms[0]] == h && $0.vms.contains { needs[$0].contains(l) } }
                    candidates.append((h, l, holders))
                }
            }
            candidates.sort { ($0.holders.count, $0.host, $0.licence) < ($1.holders.count, $1.host, $1.licence) }
            for (h, l, holders) in candidates where tally.pays(h, l) && holders.allSatisfy({ $0.pinnedHost < 0 }) {
                guard holders.allSatisfy({ state.assignment.hostOf[$0.vms[0]] == h }) else { continue }
                allowance.spend(Double(holders.count * state.open.count) * fit)
                var trial = state, trialTally = tally, gain = 0.0, moved = true
                for item in holders {
                    gain += trialTally.saved(item.vms, from: h)
                    trial.unplace(item)
                    for v in item.vms { trialTally.remove(v, from: h) }
                    let targets = trial.open.filter { $0 != h && trial.loads.count[$0] > 0 && trialTally.pays($0, l) && trial.loads.fits(item.vms, on: $0) }
                    guard let target = targets.min(by: { (trialTally.added(item.vms, on: $0), $0) < (trialTally.added(item.vms, on: $1), $1) }) else {
                        moved = false
                        break
                    }
                    gain -= trialTally.added(item.vms, on: target)
                    trial.place(item, on: target)
                    for v in item.vms { trialTally.add(v, to: target) }
                }
                // Emptying the host saves its own cost too.
                if moved, trial.loads.count[h] == 0 { gain += problem.cost(h) }
                guard moved, gain > 1e-9, problem.rules.reserve == 0 || Improvement.reserveHolds(trial) else { continue }
                trial.closeEmptyHosts()
                state = trial
                tally = trialTally
                improved = true
            }
        }
        return state.assignment
    }
}
