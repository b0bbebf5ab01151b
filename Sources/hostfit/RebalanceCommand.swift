import ArgumentParser
import HostfitCommandLine
import Foundation
import Hostfit

struct RebalanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebalance",
        abstract: "Move a few VMs of a running estate so that it holds the load to come.",
        discussion: """
        vms.csv's host column is where each VM runs now; --traces are the recent \
        weeks. Every host is judged on the recent traces interval by interval and \
        on a forecast of the coming days (each VM's envelope per hour of the day, \
        or of the week with two weeks of traces, with a margin, and whether to \
        carry each VM's growth forward, learned by replaying one half of the \
        window on the other). A move goes only where \
        the target stays within headroom at every interval and forecast hour with \
        the VM, only when it lowers the source's hours over headroom in both \
        halves of the window (no move for one burst), and never back to a host \
        the VM left in an earlier round (--previous-moves).

        Goals: fix (default) the fewest moves, then the least memory, after which \
        every host is within headroom; balance lowers the spread of peak \
        utilization while a move pays (--threshold 1 conservative to 5 \
        aggressive, as DRS's migration threshold); power empties hosts to switch \
        off while the rest hold every interval and forecast hour, and says in \
        which hours each must be on again (summary.json power_off); drain empties \
        --hosts-to-drain for --window on the forecast of its hours, and writes \
        the return moves for when it ends.

        Writes DIR/moves.csv (step,vm,from,to,kind,at,memory_mb,seconds,benefit, \
        reason: in a safe order, each in its VM's quietest hour after the traces \
        end), DIR/placements.csv (after the moves; hostfit check accepts it), \
        DIR/summary.json (moves, memory moved, overload before and after) and \
        DIR/report.html. Every step passes the validator first. With \
        --replay-traces, summary.json also has the overload of the estate \
        without and with the moves on later traces.

        Example:
          hostfit rebalance --hosts hosts.csv --vms vms.csv --traces last-week/ --out moves/
          hostfit rebalance --hosts hosts.csv --vms vms.csv --traces month/ --from 2013-07-15 --until 2013-07-22 \\
            --replay-traces month/ --out moves/
        """
    )

    @OptionGroup var inventory: InventoryOptions

    @OptionGroup var read: TraceReadOptions

    @Option(help: ArgumentHelp("Folder for the moves' files (created if missing).", valueName: "dir"))
    var out: String

    @Option(help: ArgumentHelp("fix: every host within headroom, fewest moves; balance: even peaks while a move pays; power: hosts to switch off; drain: empty --hosts-to-drain for --window.", valueName: "fix|balance|power|drain"))
    var goal: RebalanceOptions.Goal = .fix

    @Option(name: .customLong("max-moves"), help: ArgumentHelp("At most this many moves (parking moves not counted).", valueName: "n"))
    var maxMoves: Int?

    @Option(name: .customLong("min-benefit"), help: ArgumentHelp(
        "fix: a move must remove at least this many host-hours over headroom, on the recent traces and their forecast (default 0.25).", valueName: "hours"))
    var minBenefit: Double = 0.25

    @Option(name: .customLong("min-dwell"), help: ArgumentHelp(
        "A VM moved (in --previous-moves) less than this before the traces end stays (default 3d; 12h, 7d, 2w or seconds).", valueName: "duration"))
    var minDwell: String = "3d"

    @Option(name: .customLong("previous-moves"), help: ArgumentHelp(
        "The moves.csv of an earlier round (repeatable): no VM goes back to a host it left, and --min-dwell counts from these.", valueName: "file"))
    var previousMoves: [String] = []

    @Option(name: .customLong("link-gbps"), help: ArgumentHelp("Migration network speed: a move's seconds are its memory sent about 1.3 times over this link (default 10).", valueName: "gbps"))
    var linkGbps: Double = 10

    @Option(help: ArgumentHelp(
        "How the coming days are forecast: none (the recent intervals only), hour-of-day or hour-of-week envelopes (default: hour-of-week with two weeks of traces, else hour-of-day).",
        valueName: "none|hour-of-day|hour-of-week"))
    var forecast: LoadForecast.Shape?

    @Option(help: ArgumentHelp("Percent on top of the forecast (default: learned by replaying one half of the window on the other).", valueName: "pct"))
    var margin: Double?

    @Option(help: ArgumentHelp(
        "Carry each VM's growth from one half of the window to the next forward into the forecast (default auto: learned with the margin; off with --margin).",
        valueName: "auto|on|off"))
    var trend: String = "auto"

    @Option(help: ArgumentHelp("balance: 1 (only large gains) to 5 (aggressive), as DRS's migration threshold (default 3).", valueName: "1-5"))
    var threshold: Int = 3

    @Option(name: .customLong("hosts-to-drain"), help: ArgumentHelp("drain: the hosts to empty, comma-separated.", valueName: "a,b"))
    var hostsToDrain: String?

    @Option(help: ArgumentHelp("drain: when the hosts must be empty, START/DURATION (2013-07-23T20:00:00Z/8h).", valueName: "start/duration"))
    var window: String?

    /// --window as epoch seconds and a length.
    var parsedWindow: (start: Int64, seconds: Int64)? {
        guard let window, let slash = window.lastIndex(of: "/"),
              let start = TracePeriod.time(String(window[..<slash])), let seconds = Duration.seconds(String(window[window.index(after: slash)...])), seconds > 0
        else { return nil }
        return (start, seconds)
    }

    @Option(name: .customLong("replay-traces"), help: ArgumentHelp(
        "Later traces (repeatable): summary.json gets the overload without and with the moves on them, from --until on.", valueName: "path"))
    var replayTraces: [String] = []

    @Option(help: ArgumentHelp("Length of an interval in seconds for --replay-traces (default 300).", valueName: "seconds"))
    var step: Int = 300

    var dwellSeconds: Int64? { Duration.seconds(minDwell) }

    func validate() throws {
        if let maxMoves, maxMoves < 0 { throw ValidationError("--max-moves must be 0 or more") }
        guard minBenefit >= 0, minBenefit.isFinite else { throw ValidationError("--min-benefit must be 0 or more host-hours") }
        guard dwellSeconds != nil else { throw ValidationError("--min-dwell \(minDwell): not a duration (give 12h, 3d, 2w or seconds)") }
        guard linkGbps > 0, linkGbps.isFinite else { throw ValidationError("--link-gbps must be a positive number") }
        if let margin, !(margin >= 0 && margin <= 100) { throw ValidationError("--margin must be a percentage from 0 to 100") }
        guard ["auto", "on", "off"].contains(trend) else { throw ValidationError("--trend \(trend): give auto, on or off") }
        guard (1...5).contains(threshold) else { throw ValidationError("--threshold must be 1 (conservative) to 5 (aggressive)") }
        guard step > 0 else { throw ValidationError("--step must be a positive number of seconds") }
        guard !read.traces.isEmpty else { throw ValidationError("give --traces: the recent traces the estate is judged on") }
        if window != nil, parsedWindow == nil { throw ValidationError("--window \(window!): give START/DURATION, as 2013-07-23T20:00:00Z/8h") }
        if goal == .drain, hostsToDrain == nil || parsedWindow == nil { throw ValidationError("--goal drain needs --hosts-to-drain a,b and --window START/DURATION") }
        if goal != .drain, hostsToDrain != nil || window != nil { throw ValidationError("--hosts-to-drain and --window go with --goal drain") }
        guard inventory.vms != nil else { throw ValidationError("give --vms: the VMs with the host each runs on now (its host column)") }
    }

    func run() throws {
        let started = Date()
        var trace = try TraceOptions.parse([])
        trace.read = read
        trace.sizing = .history
        let (history, _) = try inventory.loadPlanning(demand: trace)
        for note in history.notes { Terminal.note(note) }
        var options = RebalanceOptions(goal: goal)
        options.maxMoves = maxMoves ?? .max
        options.minBenefit = minBenefit
        options.minDwell = dwellSeconds ?? 0
        options.cost = MoveCost(linkGbps: linkGbps)
        options.forecast = forecast
        options.margin = margin.map { $0 / 100 }
        // A margin given is not learned, and neither is the trend then.
        options.trend = trend == "auto" ? (margin == nil ? nil : false) : trend == "on"
        options.threshold = threshold
        options.drain = (hostsToDrain ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        options.window = parsedWindow
        for path in previousMoves { options.previous += try reportingInputErrors { try MovesFile.read(path) } }
        Terminal.progress("rebalancing \(history.vmCount) VMs on \(history.hostCount) hosts (goal \(goal.rawValue))...")
        let plan: RebalancePlan
        do {
            plan = try Rebalancer.plan(history, options: options)
        } catch let error as PlanningInputError {
            throw CLIFailure(code: 2, message: error.message)
        } catch {
            throw CLIFailure(code: 3, message: "\(error)")
        }
        Terminal.clearStatus()
        var record = RunRecord()
        inventory.record(into: &record)
        trace.record(into: &record)
        record.options["goal"] = goal.rawValue
        record.options["headroom"] = history.headroom.description
        record.options["min-benefit"] = Resource.number(minBenefit)
        record.options["min-dwell"] = minDwell
        record.options["link-gbps"] = Resource.number(linkGbps)
        record.options["threshold"] = String(threshold)
        if let maxMoves { record.options["max-moves"] = String(maxMoves) }
        if let hostsToDrain { record.options["hosts-to-drain"] = hostsToDrain }
        if let window { record.options["window"] = window }
        if let forecast { record.options["forecast"] = forecast.rawValue }
        if let margin { record.options["margin"] = Resource.number(margin) }
        record.options["trend"] = trend
        for path in previousMoves { record.add("previous-moves", path) }
        for path in replayTraces { record.add("replay-traces", path) }
        var report = RebalanceReport(plan, record: record, seconds: Date().timeIntervalSince(started))
        if !replayTraces.isEmpty { report.replayed = try replay(plan) }
        do {
            try report.write(to: out)
        } catch {
            throw CLIFailure(code: 2, message: "\(out): cannot write the moves: \(error.localizedDescription)")
        }
        for note in plan.notes { Terminal.note(note) }
        let s = report.summary
        print("\(s.moves) moves (\(Resource.format(mb: s.memoryMovedMB)) of memory, \(Resource.number((s.migrationSeconds / 60 * 10).rounded() / 10)) min of migration)"
              + (s.parkingMoves > 0 ? " and \(s.parkingMoves) parking moves" : "") + "; hosts on: \(s.hostsOnBefore) -> \(s.hostsOnAfter)")
        if goal == .drain {
            print("During the window the hosts that take its VMs stay within headroom in every forecast hour it covers; the moves back after it restore the estate (\(s.moves) moves in all)")
        } else {
            print("Over headroom on the recent traces: \(s.before.intervalsOverHeadroom) -> \(s.after.intervalsOverHeadroom) host-intervals"
              + "; in the forecast (\(s.forecast)): \(Resource.number(s.before.forecastHostHoursOverHeadroom)) -> \(Resource.number(s.after.forecastHostHoursOverHeadroom)) host-hours")
        }
        if let b = s.replayBefore, let a = s.replayAfter {
            print("Replayed on \(b.from) to \(b.until): \(b.overHeadroom) host-intervals over headroom without the moves (\(b.overHeadroomPct)%), \(a.overHeadroom) with them (\(a.overHeadroomPct)%)")
        }
        for item in plan.powerOff {
            print("Switch off \(item.host)" + (item.onAgainAt.isEmpty ? ": the rest hold every forecast hour" : "; on again in \(item.onAgainAt.count) forecast hours (summary.json power_off)"))
        }
        for item in plan.unresolved.prefix(5) { print((goal == .drain ? "Not drained: " : "Still over: ") + "\(item.host): \(item.reason)") }
        print("Wrote moves.csv, placements.csv, summary.json, report.html to \(out)")
    }

    /// The estate without and with the moves, on the later traces.
    private func replay(_ plan: RebalancePlan) throws -> (before: Replay.Result, after: Replay.Result) {
        let problem = plan.problem
        let period = TracePeriod(from: read.period.until ?? plan.forecast.end)
        let show: (@Sendable (TraceProgress) -> Void)? = Terminal.isInteractive ? TraceReadOptions.showProgress : nil
        let results = try [plan.before, plan.after].map { assignment in
            try reportingInputErrors {
                try Replay.stream(assignment.placement(in: problem), hosts: problem.hosts, traces: replayTraces, headroom: problem.headroom,
                                  inventory: problem.vms, coreMHz: read.coreMHz, step: Int64(step), period: period, entityLabel: read.label, progress: show).result
            }
        }
        Terminal.clearStatus()
        return (results[0], results[1])
    }
}
