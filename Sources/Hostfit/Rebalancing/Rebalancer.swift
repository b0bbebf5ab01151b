/// Moves a few VMs of a running estate, on live load: the engine of `hostfit rebalance`
/// and of the service's advice.
///
/// It judges every host on a view of the recent traces interval by interval and their
/// forecast (`LoadForecast`). A move goes only where the target stays within headroom in
/// every bucket of that view with the VM, and only when it lowers the source's hours over
/// headroom in both halves of the window (no move on the strength of one burst). A VM
/// never goes back to a host it left in an earlier round, and one moved within the dwell
/// time stays. The goals (`+Fix`, `+Balance`, `+Power`, `+Drain`) choose moves; this file
/// keeps the state they share, and `finish` orders, schedules and validates them.
///
///     let history = try PlacementProblem(hosts: hosts, vms: vms, demand: recent)  // sizing .history
///     let plan = try Rebalancer.plan(history, options: RebalanceOptions(goal: .fix))
public struct Rebalancer {
    /// The view: recent slots, then the forecast buckets.
    public let problem: PlacementProblem
    public let forecast: LoadForecast
    let options: RebalanceOptions
    var loads: HostLoads
    /// Where each VM is now, as moves are chosen (-1: not running).
    var hostOf: [Int]
    let initial: [Int]
    /// VMs that may not move: pinned, moved within the dwell time, not running.
    let locked: [Bool]
    /// Hosts each VM left in earlier rounds: never its target.
    let left: [Set<Int>]
    var chosen: [Chosen] = []
    var unresolved: [(host: String, reason: String)] = []
    var powerOff: [(host: String, onAgainAt: [Int])] = []
    var notes: [String] = []

    struct Chosen {
        var vm: Int
        var from: Int
        var to: Int
        var kind: RebalanceMove.Kind
        var benefit: Double
        var reason: String
    }

    /// Hours over headroom of one host, per half of the window (recent slots and that
    /// half's forecast together), and the recent intervals over.
    struct Risk {
        var hours: (Double, Double) = (0, 0)
        var recentIntervals = 0
        var forecastHours = 0.0
        var total: Double { hours.0 + hours.1 }
        func half(_ k: Int) -> Double { k == 0 ? hours.0 : hours.1 }
    }

    public init(_ history: PlacementProblem, options: RebalanceOptions) throws(PlanningInputError) {
        guard history.timeline != nil, history.buckets >= 2 else {
            throw PlanningInputError("rebalance needs recent traces (--traces): it judges hosts interval by interval")
        }
        let start = history.vms.map { vm in vm.currentHost.flatMap { history.host(named: $0) } ?? -1 }
        let shape = options.forecast ?? LoadForecast.automaticShape(slots: history.buckets, step: history.timeline!.step)
        var margin = options.margin ?? 0
        var trend = options.trend ?? false
        var trials: [MarginLearning.Trial] = []
        if options.margin == nil, shape != .none {
            (margin, trend, trials) = MarginLearning.learn(history, start: start, shape: shape, options: options)
        }
        let (view, forecast) = LoadForecast.view(of: history, shape: shape, margin: margin, learned: options.margin == nil, trend: trend)
        self.init(view: view, forecast: forecast, options: options)
        switch forecast.shape {
        case .none: notes.append("the traces are too short for a forecast (a day per half of the window): hosts are held to the recent intervals only")
        default: notes.append("hosts are held to the recent traces and a forecast of each VM's \(forecast.shape.rawValue) envelope"
                              + " with a margin of \(Resource.number((forecast.margin * 1000).rounded() / 10))%"
                              + (forecast.marginLearned ? " (learned: of \(MarginLearning.grid.map { Self.percent($0) + "%" }.joined(separator: ", "))"
                                 + (trials.contains { $0.trend } && trials.contains { !$0.trend } ? ", each without and with the trend," : ",") + " the one whose fix on one half of the window removes most of the other half's overload per move; here "
                                 + trials.map { "\(Self.percent($0.margin))%\($0.trend ? " with trend" : "") removes \(Self.percent($0.removed))% with \($0.moves) moves" }.joined(separator: ", ") + ")" : " (--margin)")
                              + (forecast.trend ? ", plus each VM's growth from one half of the window to the next carried forward" : ""))
        }
    }

    /// The state over a view already made (the full one, or `drain`'s window of it).
    init(view: PlacementProblem, forecast: LoadForecast, options: RebalanceOptions) {
        let start = view.vms.map { vm in vm.currentHost.flatMap { view.host(named: $0) } ?? -1 }
        self.problem = view
        self.forecast = forecast
        self.options = options
        self.initial = start
        self.hostOf = start
        var loads = HostLoads(view)
        for (v, h) in start.enumerated() where h >= 0 { loads.add(v, to: h) }
        self.loads = loads
        let now = forecast.end
        var left = [Set<Int>](repeating: [], count: view.vmCount)
        var recent = Set<Int>()
        for move in options.previous {
            guard let v = view.vm(named: move.vm) else { continue }
            if let h = view.host(named: move.from) { left[v].insert(h) }
            if now - move.at < options.minDwell { recent.insert(v) }
        }
        self.left = left
        self.locked = view.vms.indices.map { v in start[v] < 0 || view.vms[v].pinned || recent.contains(v) }
        let notRunning = start.count { $0 < 0 }
        if notRunning > 0 { notes.append("\(notRunning) VMs run on no host of the inventory (no host column, or a host not in it): left where they are") }
        if !recent.isEmpty { notes.append("\(recent.count) VMs moved less than \(Self.duration(options.minDwell)) before the traces end stay where they are (--min-dwell)") }
    }

    /// The plan for `options.goal`, ordered, scheduled and validated step by step.
    public static func plan(_ history: PlacementProblem, options: RebalanceOptions) throws -> RebalancePlan {
        // Hosts to drain are named before the forecast is learned: a typo fails at once.
        if options.goal == .drain, let unknown = options.drain.first(where: { history.host(named: $0) == nil }) {
            throw PlanningInputError("--hosts-to-drain: '\(unknown)' is not a host of the inventory\(NameSuggestion.hint(for: unknown, among: history.hosts.map(\.id)))")
        }
        var engine = try Rebalancer(history, options: options)
        switch options.goal {
        case .fix: engine.fix()
        case .balance: engine.balance()
        case .power: engine.power()
        case .drain: return try engine.drainPlan()
        }
        return try engine.finish()
    }

    // MARK: - State shared by the goals

    /// The host's hours over headroom; with `removing` one of its VMs gone, or `adding` one more.
    func risk(_ h: Int, removing out: Int = -1, adding extra: Int = -1) -> Risk {
        let R = problem.resourceCount, B = problem.buckets
        var over = [Bool](repeating: false, count: B)
        for r in 0..<R {
            let cap = problem.capacity(h, r)
            guard cap.isFinite else { continue }
            let limit = cap * (1 + 1e-12)
            for b in 0..<B where !over[b] {
                var load = loads.load(h, r, b)
                if out >= 0 { load -= problem.demand(out, r, b) }
                if extra >= 0 { load += problem.demand(extra, r, b) }
                if load > limit { over[b] = true }
            }
        }
        var risk = Risk()
        for b in 0..<B where over[b] {
            let hours = forecast.hours(of: b)
            if forecast.half(of: b) == 0 { risk.hours.0 += hours } else { risk.hours.1 += hours }
            if forecast.isRecent(b) { risk.recentIntervals += 1 } else { risk.forecastHours += hours }
        }
        return risk
    }

    /// Hours over headroom that taking VM `out` off host `h` removes, per half of the view:
    /// an hour it clears counts whole, one it relieves counts the share of its excess gone
    /// (the fullest resource's, relative to its limit), so that a host far over sees each
    /// move's progress before the first hour clears.
    func relief(_ h: Int, removing out: Int) -> (Double, Double) {
        let R = problem.resourceCount
        var relief = (0.0, 0.0)
        for b in 0..<problem.buckets {
            var before = 0.0, after = 0.0
            for r in 0..<R {
                let cap = problem.capacity(h, r)
                guard cap.isFinite, cap > 0 else { continue }
                let load = loads.load(h, r, b)
                before = max(before, (load - cap) / cap)
                after = max(after, (load - problem.demand(out, r, b) - cap) / cap)
            }
            guard before > 1e-12 else { continue }
            let share = (before - max(after, 0)) / before * forecast.hours(of: b)
            if forecast.half(of: b) == 0 { relief.0 += share } else { relief.1 += share }
        }
        return relief
    }

    /// Moves VM `v` now (the chosen list keeps it; `finish` orders them).
    mutating func move(_ v: Int, to t: Int, kind: RebalanceMove.Kind, benefit: Double, reason: String) {
        let s = hostOf[v]
        loads.remove(v, from: s)
        loads.add(v, to: t)
        hostOf[v] = t
        chosen.append(Chosen(vm: v, from: s, to: t, kind: kind, benefit: benefit, reason: reason))
    }

    /// Hosts a VM may go to now: every rule and every bucket of the view, not a host it
    /// left before (unless `revisiting`); hosts already on first, then the one left with the
    /// most room.
    func targets(for v: Int, from s: Int, revisiting: Bool = false) -> [Int] {
        var found: [(h: Int, on: Bool, utilization: Double)] = []
        for t in 0..<problem.hostCount where t != s && (revisiting || !left[v].contains(t)) && loads.fits(v, on: t) {
            found.append((t, loads.count[t] > 0, loads.utilization(t, adding: [v])))
        }
        found.sort { a, b in
            if a.on != b.on { return a.on }
            if a.utilization != b.utilization { return a.utilization < b.utilization }
            return a.h < b.h
        }
        return found.map(\.h)
    }

    func tally(_ hostOf: [Int]) -> OverloadTally {
        var loads = HostLoads(problem)
        for (v, h) in hostOf.enumerated() where h >= 0 { loads.add(v, to: h) }
        var tally = OverloadTally()
        let R = problem.resourceCount
        for h in 0..<problem.hostCount where loads.count[h] > 0 {
            tally.hostIntervals += forecast.slots
            var any = false
            for b in 0..<problem.buckets {
                var over = false
                for r in 0..<R where loads.load(h, r, b) > problem.capacity(h, r) * (1 + 1e-12) { over = true; break }
                guard over else { continue }
                any = true
                if forecast.isRecent(b) { tally.recentIntervals += 1 } else { tally.forecastHours += forecast.hours(of: b) }
            }
            if any { tally.hostsOver.append(problem.hosts[h].id) }
        }
        return tally
    }

    static func duration(_ seconds: Int64) -> String {
        seconds % 86_400 == 0 ? "\(seconds / 86_400) days" : (seconds % 3600 == 0 ? "\(seconds / 3600) hours" : "\(seconds) s")
    }
}
