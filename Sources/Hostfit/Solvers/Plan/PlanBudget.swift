/// How one plan spends its work budget (`--effort`) and, as a safety cap, its time limit:
/// each phase's share is named here, so the whole schedule reads in one place. Each share
/// is given in work and in time alike ("until a third of the budget", "85% of what is
/// left"); the work ends a phase on any machine at the same point, the time only when the
/// machine is too slow or too busy for the budget (and the plan then says so).
struct PlanBudget: Sendable {
    let start: ContinuousClock.Instant
    /// Seconds.
    let limit: Double
    /// Work units.
    let work: Double
    let meter: WorkMeter
    let stop: StopToken

    init(limit: Double, work: Double, meter: WorkMeter, stop: StopToken, start: ContinuousClock.Instant = .now) {
        self.start = start
        self.limit = limit
        self.work = work
        self.meter = meter
        self.stop = stop
    }

    var elapsed: Double { start.duration(to: .now).seconds }
    var left: Double { limit - elapsed }

    /// The instant `seconds` after the start.
    func instant(at seconds: Double) -> ContinuousClock.Instant { start + .milliseconds(Int(seconds * 1000)) }

    /// Until `fraction` of the budget from the start, in work and time alike (or at once,
    /// when that has passed).
    func until(_ fraction: Double) -> Allowance {
        Allowance(meter: meter, stop: stop, work: work * fraction, cap: instant(at: limit * fraction))
    }

    /// The whole budget.
    var whole: Allowance { until(1) }

    /// Emptying hosts: until a third of the budget.
    var emptyHosts: Allowance { until(1.0 / 3) }

    /// Ejection chains inside column generation: a tenth of the budget, ending before 97% of it.
    var ejectionChains: Allowance {
        let end = until(0.97)
        var part = end
        part.work = min(end.work, meter.units + work / 10)
        part.cap = min(end.cap, .now + .milliseconds(Int(limit * 100)))
        return part
    }

    /// Column generation: 85% of what is left; the search after it gets the rest.
    var columnGeneration: Allowance { whole.share(0.85) }

    /// Large-neighbourhood search: until half the budget when balancing follows (spread load
    /// is what keeps held-out demand within headroom, and it needs its share), else nearly all.
    func search(balancing: Bool) -> Allowance { until(balancing ? 0.5 : 0.97) }

    /// Balancing: what is left of 95% of the budget, and at least 2% of it.
    var balance: Allowance {
        var part = until(0.95)
        part.work = max(part.work, meter.units + work / 50)
        part.cap = max(part.cap, .now + .milliseconds(Int(max(0.2, limit * 0.02) * 1000)))
        return part
    }
}
