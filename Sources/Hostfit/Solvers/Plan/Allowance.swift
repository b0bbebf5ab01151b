import GLPK

/// How far one phase may go: until the plan's `WorkMeter` reads `work`, the clock reaches
/// `cap` (its share of `--time-limit`, kept as a safety cap), or the plan is stopped.
/// A phase that ends on its work is reproducible; one the cap ends is noted in the meter,
/// and the plan says so.
struct Allowance: Sendable {
    let meter: WorkMeter
    let stop: StopToken
    var work: Double
    var cap: ContinuousClock.Instant

    /// Work units left.
    var workLeft: Double { max(0, work - meter.units) }
    /// Seconds left before the cap.
    var secondsLeft: Double { ContinuousClock.now.duration(to: cap).seconds }

    func spend(_ units: Double) { meter.spend(units) }

    var stopRequested: Bool { stop.isRequested }

    /// Whether to stop now. Reads the clock: call it every so many steps, not every step.
    var expired: Bool {
        if stop.isRequested || meter.units >= work { return true }
        if ContinuousClock.now >= cap {
            meter.clockStopped()
            return true
        }
        return false
    }

    /// `fraction` of what is left of this allowance (work and time alike), from now.
    func share(_ fraction: Double) -> Allowance {
        let now = ContinuousClock.now
        var part = self
        part.work = meter.units + workLeft * fraction
        part.cap = now + .nanoseconds(Int64(max(0, now.duration(to: cap).seconds) * fraction * 1e9))
        return part
    }

    /// At most `units` more work (and no more time than this allowance has).
    func upTo(_ units: Double) -> Allowance {
        var part = self
        part.work = min(work, meter.units + units)
        return part
    }

    /// GLPK parameters for a solve within what is left: the time as its time limit (kept
    /// 5% short: GLPK's set-up before its first callback is not bounded), the work as simplex
    /// iterations of a model of `rows` rows and `entries` nonzeros, each node at its cost.
    func glpk(_ parameters: MIPParameters, control: SearchControl, rows: Int, entries: Int) -> MIPParameters {
        var parameters = control.glpk(parameters)
        parameters.timeLimit = max(0.01, secondsLeft * 0.95)
        parameters.workLimit = Int(min(1e9, max(1, workLeft / WorkMeter.branchCost(rows: rows, entries: entries))))
        parameters.nodeWeight = WorkMeter.nodeCost(entries: entries, cuts: parameters.cuts) / WorkMeter.branchCost(rows: rows, entries: entries)
        return parameters
    }

    /// Counts a GLPK solve's iterations and nodes, and notes when the clock stopped it.
    func spend(_ solution: MIPSolution, rows: Int, entries: Int) {
        meter.spend(solution.work * WorkMeter.branchCost(rows: rows, entries: entries))
        if solution.stoppedByClock { meter.clockStopped() }
    }

    /// `seconds` reference seconds of work, with a time cap a debug build keeps too (it runs
    /// some 40 times slower): for a search used alone, as tests use them.
    static func work(seconds: Double, stop: StopToken = StopToken()) -> Allowance {
        Allowance(meter: WorkMeter(), stop: stop, work: seconds * 1_000_000, cap: ContinuousClock.now + .milliseconds(Int(seconds * 100_000) + 5000))
    }

    /// No limit but the stop: for callers outside a plan (tests, the library's own uses).
    static func unlimited(stop: StopToken = StopToken()) -> Allowance {
        Allowance(meter: WorkMeter(), stop: stop, work: .infinity, cap: ContinuousClock.now + .seconds(86_400 * 365))
    }
}
