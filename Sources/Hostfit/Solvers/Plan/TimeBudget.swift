/// How one plan spends its `--time-limit`: each phase's share is named here, so the whole
/// schedule reads in one place. Shares are of the limit from the start ("until a third of
/// the limit") or of what is left when the phase begins ("85% of what is left").
struct TimeBudget: Sendable {
    let start: ContinuousClock.Instant
    /// Seconds.
    let limit: Double

    init(limit: Double, start: ContinuousClock.Instant = .now) {
        self.start = start
        self.limit = limit
    }

    var elapsed: Double { start.duration(to: .now).seconds }
    var left: Double { limit - elapsed }

    /// The instant `seconds` after the start.
    func instant(at seconds: Double) -> ContinuousClock.Instant { start + .milliseconds(Int(seconds * 1000)) }

    /// Emptying hosts may run until a third of the limit (or at once, when that has passed).
    var emptyHostsEnd: ContinuousClock.Instant { instant(at: max(elapsed, limit / 3)) }

    /// Ejection chains inside column generation: a tenth of the limit, ending before 97% of it.
    var ejectionChainsEnd: ContinuousClock.Instant {
        min(ContinuousClock.now + .milliseconds(Int(limit * 100)), instant(at: limit * 0.97))
    }

    /// Column generation: 85% of what is left; the search after it gets the rest.
    var columnGenerationEnd: ContinuousClock.Instant { instant(at: elapsed + max(0, left) * 0.85) }

    /// Large-neighbourhood search: until half the limit when balancing follows (spread load is
    /// what keeps held-out demand within headroom, and it needs the time), else nearly all.
    func searchEnd(balancing: Bool) -> Double { limit * (balancing ? 0.5 : 0.97) }

    /// Balancing: what is left of 95% of the limit, and at least 0.2 s.
    var balanceEnd: ContinuousClock.Instant {
        ContinuousClock.now + .milliseconds(Int(max(0.2, limit * 0.95 - elapsed) * 1000))
    }
}
