extension Rebalancer {
    /// `fix`: the worst host first, the fewest moves that bring it within headroom in every
    /// bucket of the view (one VM that clears it, the smallest such; else the VM that
    /// removes the most hours over), then the next, until none is over or no move helps.
    /// Every move lowers the total hours over and targets only hosts that stay within, so
    /// the loop ends, and no VM moves twice in a round.
    mutating func fix() {
        var stuck = Set<Int>()
        while chosen.count < options.maxMoves {
            var worst: (h: Int, risk: Risk)?
            for h in 0..<problem.hostCount where loads.count[h] > 0 && !stuck.contains(h) {
                let risk = risk(h)
                if risk.total > 0, risk.total > worst?.risk.total ?? 0 { worst = (h, risk) }
            }
            guard let (s, before) = worst else { break }
            switch bestFix(on: s, before) {
            case .move(let v, let t, let benefit, let reason): move(v, to: t, kind: .fix, benefit: benefit, reason: reason)
            case .none(let why): stuck.insert(s); unresolved.append((problem.hosts[s].id, why))
            }
        }
        if chosen.count >= options.maxMoves {
            for h in 0..<problem.hostCount where loads.count[h] > 0 && !stuck.contains(h) && risk(h).total > 0 {
                unresolved.append((problem.hosts[h].id, "--max-moves \(options.maxMoves) reached"))
            }
        }
    }

    enum Pick {
        case move(vm: Int, to: Int, benefit: Double, reason: String)
        case none(String)
    }

    private func bestFix(on s: Int, _ before: Risk) -> Pick {
        var candidates: [(v: Int, clears: Bool, benefit: Double, memory: Double, after: Risk)] = []
        var agreeing = 0, movable = 0
        for v in 0..<problem.vmCount where hostOf[v] == s && !locked[v] {
            movable += 1
            let gain = relief(s, removing: v)
            // Both halves of the window must gain: no move for one burst.
            guard gain.0 > 1e-9, gain.1 > 1e-9 else { continue }
            agreeing += 1
            let after = risk(s, removing: v)
            let benefit = gain.0 + gain.1
            guard benefit >= options.minBenefit else { continue }
            candidates.append((v, after.total == 0, benefit, problem.vms[v].memoryMB, after))
        }
        guard movable > 0 else { return .none("none of its VMs may move (pinned, or moved within --min-dwell)") }
        guard agreeing > 0 else {
            let halves = "(\(hours(before.hours.0)) h, then \(hours(before.hours.1)) h)"
            if before.hours.0 == 0 || before.hours.1 == 0 {
                return .none("over headroom in one half of the window only \(halves): no move that both halves agree on")
            }
            return .none("over headroom in both halves \(halves), but no one of its VMs moving away relieves both")
        }
        guard !candidates.isEmpty else { return .none("no move removes --min-benefit \(Resource.number(options.minBenefit)) host-hours over headroom") }
        candidates.sort { a, b in
            if a.clears != b.clears { return a.clears }
            if !a.clears, a.benefit != b.benefit { return a.benefit > b.benefit }
            if a.memory != b.memory { return a.memory < b.memory }
            return a.v < b.v
        }
        for candidate in candidates {
            guard let t = targets(for: candidate.v, from: s).first else { continue }
            let recent = before.recentIntervals - candidate.after.recentIntervals
            let ahead = before.forecastHours - candidate.after.forecastHours
            var reason = "\(problem.hosts[s].id) over headroom \(hours(before.total)) h"
            reason += candidate.clears ? "; within after this move" : "; \(hours(candidate.after.total)) h after"
            reason += " (\(recent) recent intervals and \(hours(ahead)) forecast hours fewer; \(hours(candidate.benefit)) h relieved)"
            return .move(vm: candidate.v, to: t, benefit: candidate.benefit, reason: reason)
        }
        return .none("no other host has room for any VM that would help, in every interval and forecast hour")
    }

    func hours(_ value: Double) -> String { Resource.number((value * 100).rounded() / 100) }
}
