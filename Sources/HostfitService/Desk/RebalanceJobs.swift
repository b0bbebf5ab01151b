import Foundation
import Hostfit

/// Rebalancing advice made in the background on the live state: the desk is free again as
/// soon as the state is taken, so placements never wait on the engine. One runs at a time.
/// Advice is kept in the store (the newest `kept`); one a restart cut short says so. Applying
/// goes through the desk, which commits the moves and the advice's new state together.
public actor RebalanceJobs {
    private var advice: [String: RebalanceAdvice] = [:]
    private var next = 1
    /// Advice being applied: not to be superseded meanwhile.
    private var applying: Set<String> = []
    let desk: PlacementDesk
    /// Wall-clock seconds: when advice is made and when it expires.
    let clock: @Sendable () -> Int64
    static let kept = 50

    /// The advice the desk's store kept; one still running when the server stopped is failed.
    public init(desk: PlacementDesk, clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }) throws {
        self.desk = desk
        self.clock = clock
        for (seq, body) in try desk.store.kept(.advice) {
            guard var kept = try? JSONDecoder().decode(RebalanceAdvice.self, from: Data(body.utf8)) else { continue }
            if kept.state == .running {
                kept.state = .failed
                kept.reason = "the server stopped while this advice was made: POST /rebalance for new advice"
                try? desk.store.save(.advice, id: kept.id, seq: seq, body: ServiceStore.json(kept), keeping: Self.kept)
            }
            advice[kept.id] = kept
            next = max(next, seq + 1)
        }
    }

    /// Keeps `id` as it stands; a store that refuses keeps it in memory only.
    private func keep(_ id: String) {
        guard let item = advice[id], let body = try? ServiceStore.json(item) else { return }
        try? desk.store.save(.advice, id: id, seq: item.seq, body: body, keeping: Self.kept)
        for (old, kept) in advice where kept.seq <= item.seq - Self.kept { advice[old] = nil }
    }

    /// Starts advice for `options` on the live state. `described` are the options as asked,
    /// for its summary; it expires `expiresAfter` seconds after it is made (by default a
    /// day, or an hour after a drain's window ends where that is later).
    public func start(_ asked: RebalanceOptions, described: [String: String], expiresAfter: Int64? = nil,
                      origin: String = "request") async throws(DeskError) -> RebalanceAdvice {
        if let running = advice.values.first(where: { $0.state == .running }) {
            throw .conflict("advice is being made already: GET /rebalance/\(running.id) for it, then ask again")
        }
        var options = asked
        // Moves applied in earlier rounds: no VM goes back, none moves again within the dwell.
        options.previous = advice.values.sorted { $0.seq < $1.seq }.flatMap(\.made)
        let id = "rebalance-\(next)"
        next += 1
        let now = clock()
        let expires = expiresAfter.map { now + $0 } ?? max(now + 86_400, options.window.map { $0.start + $0.seconds + 3600 } ?? 0)
        advice[id] = RebalanceAdvice(id: id, state: .running, goal: options.goal.rawValue, origin: origin, madeAt: ReplayReport.iso(now),
                                     expiresAt: ReplayReport.iso(expires), windowStart: options.window.map { ReplayReport.iso($0.start) },
                                     windowH: options.window.map { Double($0.seconds) / 3600 }, moves: [])
        keep(id)
        let history = await desk.liveHistory()
        let started = Date()
        let planOptions = options
        Task.detached(priority: .utility) { [weak self] in
            do {
                let plan = try Rebalancer.plan(history.problem(now: now), options: planOptions)
                let report = RebalanceReport(plan, record: RunRecord(inputs: [], options: described), seconds: Date().timeIntervalSince(started))
                await self?.finish(id, moves: plan.moves.map(RebalanceAdvice.Move.init), summary: report.summary, error: nil)
            } catch {
                await self?.finish(id, moves: [], summary: nil, error: "\(error)")
            }
        }
        return advice[id]!
    }

    func finish(_ id: String, moves: [RebalanceAdvice.Move], summary: RebalanceSummary?, error: String?) {
        guard advice[id]?.state == .running else { return }
        advice[id]!.state = summary == nil ? .failed : .recommended
        advice[id]!.moves = moves
        advice[id]!.summary = summary
        advice[id]!.reason = error
        keep(id)
        if summary != nil { supersede(before: id) }
    }

    /// Older advice still recommended is superseded by `id`.
    private func supersede(before id: String) {
        let seq = advice[id]!.seq
        // Advice recorded part way keeps the rest (a drain's way back).
        for (other, item) in advice where item.state == .recommended && item.seq < seq && (item.appliedSteps ?? 0) == 0 && !applying.contains(other) {
            advice[other]!.state = .superseded
            advice[other]!.reason = "newer advice: \(id)"
            keep(other)
        }
    }

    /// Recommended advice that has expired, or whose VMs no longer run where it moves them from.
    private func refresh(_ id: String) async {
        guard let item = advice[id], item.state == .recommended, !applying.contains(id) else { return }
        var reason: String?, state = RebalanceAdvice.State.superseded
        if let expires = TracePeriod.time(item.expiresAt), clock() >= expires {
            (state, reason) = (.expired, "not applied by \(item.expiresAt): POST /rebalance for new advice")
        } else if let moved = desk.firstMoved(Array(item.moves.dropFirst(item.appliedSteps ?? 0))) {
            reason = moved + " since the advice was made"
        }
        guard let reason, advice[id]?.state == .recommended, !applying.contains(id) else { return }
        advice[id]!.state = state
        advice[id]!.reason = reason
        keep(id)
    }

    public func advice(_ id: String) async -> RebalanceAdvice? {
        await refresh(id)
        return advice[id]
    }

    /// The advice kept, newest first.
    public func list(limit: Int = 20) async -> [RebalanceAdvice] {
        let newest = advice.values.sorted { $0.seq > $1.seq }.prefix(limit).map(\.id)
        for id in newest { await refresh(id) }
        return newest.compactMap { advice[$0] }
    }

    /// Records that the operator ran the advice's moves up to step `steps` (all by default):
    /// those not recorded before are checked by the desk from where their VMs run now, and
    /// committed with the advice's new state. Advice recorded part way (a drain's way out,
    /// before the window ends) stays RECOMMENDED for the rest; all of it is APPLIED.
    public func apply(_ id: String, steps: Int?) async throws(DeskError) -> RebalanceAdvice {
        await refresh(id)
        guard let item = advice[id] else { throw .notFound("no advice '\(id)'") }
        if item.state == .running { throw .conflict("advice '\(id)' is still being made: GET /rebalance/\(id) until it is RECOMMENDED") }
        guard item.state == .recommended, !applying.contains(id) else {
            let why = applying.contains(id) ? "is being applied" : "is \(item.state.rawValue)" + (item.reason.map { " (\($0))" } ?? "")
            throw .conflict("advice '\(id)' \(why): only RECOMMENDED advice applies; POST /rebalance for new advice")
        }
        let done = item.appliedSteps ?? 0, total = item.moves.count
        let upTo = steps ?? total
        guard (done...total).contains(upTo), upTo > done || done == total else {
            throw .invalid(done == 0 ? "steps must be 1 to \(total), the advice's moves that ran"
                                     : "steps must be \(done + 1) to \(total): steps 1 to \(done) are recorded already", field: "steps")
        }
        var applied = item
        applied.state = upTo == total ? .applied : .recommended
        applied.appliedSteps = upTo
        applied.appliedAt = ReplayReport.iso(clock())
        applying.insert(id)
        defer { applying.remove(id) }
        try await desk.apply(Array(item.moves[done..<upTo]), recording: applied, window: item.window)
        advice[id] = applied
        supersede(before: id)
        return applied
    }

    /// Makes `fix` advice now and every `seconds` after while the server runs (none while
    /// one is being made).
    public func schedule(every seconds: Int64, expiresAfter: Int64) -> Task<Void, Never> {
        Task { [weak self] in
            while !Task.isCancelled {
                guard let self else { return }
                _ = try? await self.start(RebalanceOptions(goal: .fix), described: ["goal": "fix", "rebalance-every": "\(seconds)s"],
                                          expiresAfter: expiresAfter, origin: "schedule")
                try? await Task.sleep(for: .seconds(seconds))
            }
        }
    }
}
