import Foundation

/// The files of `hostfit rebalance`: moves.csv (the moves in a safe order, each at its
/// time), placements.csv (after the moves, which `hostfit check` accepts), summary.json
/// and report.html. Made from a plan whose every step passed the validator.
public struct RebalanceReport {
    public let plan: RebalancePlan
    public let record: RunRecord
    public let seconds: Double
    /// Overload of before and after on later traces (`--replay-traces`), when given.
    public var replayed: (before: Replay.Result, after: Replay.Result)?

    public init(_ plan: RebalancePlan, record: RunRecord, seconds: Double) {
        self.plan = plan
        self.record = record
        self.seconds = seconds
    }

    public func write(to directory: String) throws {
        try AtomicFile.writeAll([("moves.csv", movesCSV()), ("placements.csv", placementsCSV()), ("summary.json", summaryJSON()),
                                 ("report.html", html())], into: directory)
    }

    public func movesCSV() -> String {
        var csv = CSVWriter(header: ["step", "vm", "from", "to", "kind", "at", "memory_mb", "seconds", "benefit", "reason"])
        for m in plan.moves {
            csv.append([String(m.step), m.vm, m.from, m.to, m.kind.rawValue, ReplayReport.iso(m.at), CSVWriter.number(m.memoryMB),
                        CSVWriter.number(m.seconds, digits: 1), CSVWriter.number(m.benefit), m.reason])
        }
        return csv.text
    }

    public func placementsCSV() -> String {
        var csv = CSVWriter(header: ["vm", "host", "current_host", "moved"])
        let problem = plan.problem
        for (v, h) in plan.after.hostOf.enumerated() where h >= 0 {
            let was = plan.before.hostOf[v]
            csv.append([problem.vms[v].id, problem.hosts[h].id, was >= 0 ? problem.hosts[was].id : "", was != h ? "yes" : "no"])
        }
        return csv.text
    }

    public var summary: RebalanceSummary {
        let f = plan.forecast
        func tally(_ t: OverloadTally) -> RebalanceSummary.Overload {
            RebalanceSummary.Overload(hostIntervals: t.hostIntervals, intervalsOverHeadroom: t.recentIntervals,
                                      overHeadroomPct: (t.recentShare * 100_000).rounded() / 1000,
                                      forecastHostHoursOverHeadroom: (t.forecastHours * 100).rounded() / 100, hostsOverHeadroom: t.hostsOver)
        }
        func replay(_ r: Replay.Result) -> RebalanceSummary.Replayed {
            RebalanceSummary.Replayed(from: ReplayReport.iso(r.start), until: ReplayReport.iso(r.start + Int64(r.slots) * r.step), hostIntervals: r.hostIntervals,
                                      overHeadroom: r.overHeadroom, overHeadroomPct: (r.overHeadroomShare * 100_000).rounded() / 1000,
                                      overCapacity: r.overCapacity, overCapacityPct: (r.overCapacityShare * 100_000).rounded() / 1000)
        }
        return RebalanceSummary(
            goal: plan.goal.rawValue, moves: plan.migrations, parkingMoves: plan.moves.count - plan.migrations,
            memoryMovedMB: plan.memoryMovedMB, migrationSeconds: (plan.moves.reduce(0) { $0 + $1.seconds } * 10).rounded() / 10,
            hostsOnBefore: plan.hostsOnBefore, hostsOnAfter: plan.hostsOnAfter,
            recentFrom: ReplayReport.iso(f.start), recentUntil: ReplayReport.iso(f.end), stepSeconds: Int(f.step),
            forecast: f.shape.rawValue, margin: (f.margin * 10_000).rounded() / 10_000, marginLearned: f.marginLearned, trend: f.trend,
            before: tally(plan.overloadBefore), after: tally(plan.overloadAfter),
            replayBefore: replayed.map { replay($0.before) }, replayAfter: replayed.map { replay($0.after) },
            unresolved: plan.unresolved.map { RebalanceSummary.Unresolved(host: $0.host, reason: $0.reason) },
            powerOff: plan.powerOff.map { RebalanceSummary.PowerOff(host: $0.host, onAgainAt: $0.onAgainAt) },
            notes: plan.notes, seconds: (seconds * 1000).rounded() / 1000, hostfitVersion: record.version, inputs: record.inputs, options: record.options)
    }

    func summaryJSON() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try! encoder.encode(summary), as: UTF8.self) + "\n"
    }
}

/// summary.json of a rebalance.
public struct RebalanceSummary: Codable, Sendable {
    public struct Overload: Codable, Sendable {
        public var hostIntervals: Int
        public var intervalsOverHeadroom: Int
        public var overHeadroomPct: Double
        public var forecastHostHoursOverHeadroom: Double
        public var hostsOverHeadroom: [String]
        enum CodingKeys: String, CodingKey {
            case hostIntervals = "host_intervals", intervalsOverHeadroom = "host_intervals_over_headroom", overHeadroomPct = "over_headroom_pct"
            case forecastHostHoursOverHeadroom = "forecast_host_hours_over_headroom", hostsOverHeadroom = "hosts_over_headroom"
        }
    }
    public struct Replayed: Codable, Sendable {
        public var from: String
        public var until: String
        public var hostIntervals: Int
        public var overHeadroom: Int
        public var overHeadroomPct: Double
        public var overCapacity: Int
        public var overCapacityPct: Double
        enum CodingKeys: String, CodingKey {
            case from, until, hostIntervals = "host_intervals", overHeadroom = "host_intervals_over_headroom", overHeadroomPct = "over_headroom_pct"
            case overCapacity = "host_intervals_over_capacity", overCapacityPct = "over_capacity_pct"
        }
    }
    public struct Unresolved: Codable, Sendable {
        public var host: String
        public var reason: String
    }
    public struct PowerOff: Codable, Sendable {
        public var host: String
        public var onAgainAt: [Int]
        enum CodingKeys: String, CodingKey { case host, onAgainAt = "on_again_at_hours" }
    }

    public var goal: String
    public var moves: Int
    public var parkingMoves: Int
    public var memoryMovedMB: Double
    public var migrationSeconds: Double
    public var hostsOnBefore: Int
    public var hostsOnAfter: Int
    public var recentFrom: String
    public var recentUntil: String
    public var stepSeconds: Int
    public var forecast: String
    public var margin: Double
    public var marginLearned: Bool
    /// Whether each VM's growth between the halves of the window was carried forward.
    public var trend: Bool
    public var before: Overload
    public var after: Overload
    public var replayBefore: Replayed?
    public var replayAfter: Replayed?
    public var unresolved: [Unresolved]
    public var powerOff: [PowerOff]
    public var notes: [String]
    public var seconds: Double
    public var hostfitVersion: String
    public var inputs: [RunRecord.Input]
    public var options: [String: String]

    enum CodingKeys: String, CodingKey {
        case goal, moves, forecast, margin, trend, before, after, unresolved, notes, seconds, inputs, options
        case parkingMoves = "parking_moves", memoryMovedMB = "memory_moved_mb", migrationSeconds = "migration_seconds"
        case hostsOnBefore = "hosts_on_before", hostsOnAfter = "hosts_on_after", recentFrom = "recent_from", recentUntil = "recent_until"
        case stepSeconds = "step_seconds", marginLearned = "margin_learned", replayBefore = "replay_before", replayAfter = "replay_after"
        case powerOff = "power_off", hostfitVersion = "hostfit_version"
    }
}
