import Foundation

/// Runs what-if scenarios: each starts from the base inventory or an earlier scenario,
/// applies its changes, and is planned and validated like `hostfit plan`.
public enum WhatIf {
    /// Where a scenario stands after its changes: the inputs of its plan.
    public struct State: Sendable {
        public var hosts: [VMHost]
        public var catalog: [VMHost]
        /// Catalog models this scenario may buy (none unless a `buy` change says).
        public var buyable: Set<String> = []
        public var vms: [VM]
        public var headroom: Headroom
        public var sizing: DemandSizing
        public var percentile: Double
        public var rules: PlacementRules
        /// Compound growth of demand so far, and the yearly rate of the last growth change.
        public var demandFactor: Double = 1
        public var growthPerYear: Double?
        /// The demand factor before the last growth change: months to exhaustion count from there.
        public var factorBeforeGrowth: Double = 1
        /// Months of growth by each VM's trend, applied before the factor.
        public var trendMonths: Double = 0
        public var rightSize: Bool = false
        public var powerOffIdle: Bool = false
    }

    public struct Outcome: Sendable {
        public var name: String
        public var state: State
        public var plan: ValidatedPlan
        public var sizing: RightSizing
        /// Months of growth at the scenario's rate, from where its growth starts, until its
        /// VMs no longer fit on the hosts it has (without buying); nil without a rate;
        /// `.infinity` beyond ten years.
        public var monthsToExhaustion: Double?
        /// What the months grow by: "rate" (the scenario's %/year) or "trend" (each VM's).
        public var exhaustionBasis: String?
        public var notes: [String]
    }

    /// Demand for a state's VMs under a sizing and percentile (read once per pair by the caller).
    public typealias DemandSource = @Sendable (_ sizing: DemandSizing, _ percentile: Double, _ vms: [VM]) throws -> TracedDemand?

    /// The state of every scenario, in file order, or the first change that cannot apply.
    public static func states(_ scenarios: [Scenario], base: ScenarioBase, file: String) throws(InputError) -> [State] {
        var headroom = Headroom()
        if let text = base.headroom {
            do { headroom = try Headroom(parsing: text) } catch { throw InputError(file: file, "headroom: \(error.description)") }
        }
        let start = State(hosts: base.hosts, catalog: base.catalog, vms: base.vms, headroom: headroom, sizing: base.sizing,
                          percentile: base.percentile, rules: base.rules)
        var done: [String: State] = [:]
        var states: [State] = []
        for scenario in scenarios {
            var state = start
            if let from = scenario.from {
                guard let earlier = done[from] else {
                    let hint = NameSuggestion.hint(for: from, among: Array(done.keys))
                    throw InputError(file: file, line: scenario.line, "scenario '\(scenario.name)' starts from '\(from)', which is not a scenario before it\(hint)")
                }
                state = earlier
            }
            for change in scenario.changes {
                if case .trendGrowth = change.value, base.traces.isEmpty {
                    throw InputError(file: file, line: change.line, "growth by trend needs traces to fit each VM's trend on (base: traces:)")
                }
                try apply(change.value, to: &state, file: file, line: change.line)
            }
            done[scenario.name] = state
            states.append(state)
        }
        return states
    }

    static func apply(_ change: ScenarioChange, to state: inout State, file: String, line: Int) throws(InputError) {
        func fail(_ message: String) -> InputError { InputError(file: file, line: line, message) }
        func host(_ name: String) throws(InputError) -> Int {
            guard let h = state.hosts.firstIndex(where: { $0.id == name }) else {
                throw fail("host '\(name)' is not in the inventory\(NameSuggestion.hint(for: name, among: state.hosts.map(\.id)))")
            }
            return h
        }
        func model(_ name: String) throws(InputError) -> VMHost {
            if let m = state.catalog.first(where: { $0.id == name }) { return m }
            if let h = state.hosts.first(where: { $0.model == name }) { return h }
            let known = state.catalog.map(\.id) + Set(state.hosts.map(\.model)).filter { !$0.isEmpty }
            throw fail("model '\(name)' is in neither the catalog nor the hosts' models\(NameSuggestion.hint(for: name, among: known))")
        }
        switch change {
        case .addVMsLike(let like, let count, let prefix):
            guard let original = state.vms.first(where: { $0.id == like }) else {
                throw fail("VM '\(like)' to add copies of is not in the inventory\(NameSuggestion.hint(for: like, among: state.vms.map(\.id)))")
            }
            for id in freshNames("\(prefix)-", count, taken: Set(state.vms.map(\.id))) {
                var vm = original
                vm.id = id
                vm.currentHost = nil
                vm.pinned = false
                vm.demandLike = original.demandLike ?? original.id
                state.vms.append(vm)
            }
        case .addVMs(let vms):
            let taken = Set(state.vms.map(\.id))
            if let clash = vms.first(where: { taken.contains($0.id) }) { throw fail("VM '\(clash.id)' to add is already in the inventory") }
            state.vms += vms
        case .removeVMs(let names):
            let known = Set(state.vms.map(\.id))
            if let unknown = names.first(where: { !known.contains($0) }) {
                throw fail("VM '\(unknown)' to remove is not in the inventory\(NameSuggestion.hint(for: unknown, among: Array(known)))")
            }
            let gone = Set(names)
            state.vms.removeAll { gone.contains($0.id) }
        case .failHosts(let names):
            for name in names { state.hosts[try host(name)].state = .failed }
        case .drainHosts(let names):
            for name in names { state.hosts[try host(name)].state = .maintenance }
        case .addHosts(let name, let count):
            let spec = try model(name)
            for id in freshNames("\(name)-new-", count, taken: Set(state.hosts.map(\.id))) {
                var host = spec
                host.id = id
                host.model = name
                host.state = .active
                state.hosts.append(host)
            }
        case .buy(let models):
            if models.isEmpty {
                guard !state.catalog.isEmpty else { throw fail("buy: there is no catalog (give models: in base)") }
                state.buyable = Set(state.catalog.map(\.id))
            }
            for name in models {
                guard state.catalog.contains(where: { $0.id == name }) else {
                    throw fail("model '\(name)' to buy is not in the catalog\(NameSuggestion.hint(for: name, among: state.catalog.map(\.id)))")
                }
                state.buyable.insert(name)
            }
        case .replaceModel(let from, let to):
            let spec = try model(to)
            let matching = state.hosts.indices.filter { state.hosts[$0].model == from }
            guard !matching.isEmpty else {
                let known = Set(state.hosts.map(\.model)).filter { !$0.isEmpty }
                throw fail("no host is of model '\(from)'\(NameSuggestion.hint(for: from, among: Array(known)))")
            }
            for h in matching {
                let old = state.hosts[h]
                var host = spec
                host.id = old.id
                host.cluster = old.cluster
                host.model = to
                host.state = old.state
                host.tags = old.tags.union(spec.tags)
                state.hosts[h] = host
            }
        case .growth(let rate, let months):
            guard rate > -100 else { throw fail("growth of \(Resource.number(rate))% a year: demand cannot fall by 100% or more") }
            state.factorBeforeGrowth = state.demandFactor
            state.demandFactor *= pow(1 + rate / 100, months / 12)
            state.growthPerYear = rate
        case .trendGrowth(let months):
            guard months > 0 else { throw fail("growth by trend over \(Resource.number(months)) months changes nothing: give months above 0") }
            state.trendMonths += months
        case .headroom(let text):
            do { state.headroom = try Headroom(parsing: text, over: state.headroom) } catch { throw fail("headroom: \(error.description)") }
        case .sizing(let sizing): state.sizing = sizing
        case .percentile(let p):
            guard p > 0, p <= 100 else { throw fail("percentile \(Resource.number(p)): give a number above 0 and at most 100") }
            state.percentile = p
        case .vcpuRatio(let ratio): state.rules.vcpusPerCore = ratio
        case .memoryRatio(let ratio): state.rules.memoryRatio = ratio
        case .reserve(let k):
            guard k >= 0 else { throw fail("reserve \(k): N+k needs k of 0 or more") }
            state.rules.reserve = k
        case .rightSize(let powerOff):
            state.rightSize = true
            state.powerOffIdle = powerOff
        case .hostOverhead(let memory, let cpu):
            guard memory >= 0, cpu >= 0, cpu < 100 else { throw fail("host_overhead: memory_mb must be 0 or more and cpu_pct 0 to under 100") }
            func reduce(_ host: inout VMHost) throws(InputError) {
                let left = (host.capacity[.memory] ?? 0) - memory
                guard left > 0 else {
                    throw fail("host_overhead: \(Resource.format(mb: memory)) leaves '\(host.id)' no memory (it has \(Resource.format(mb: host.capacity[.memory] ?? 0)))")
                }
                host.capacity[.memory] = left
                host.capacity[.cpu] = (host.capacity[.cpu] ?? 0) * (1 - cpu / 100)
            }
            for h in state.hosts.indices { try reduce(&state.hosts[h]) }
            for m in state.catalog.indices { try reduce(&state.catalog[m]) }
        }
    }

    /// `count` names PREFIX1, PREFIX2... that are not taken.
    static func freshNames(_ prefix: String, _ count: Int, taken: Set<String>) -> [String] {
        var names: [String] = []
        var k = 0
        while names.count < count {
            k += 1
            if !taken.contains("\(prefix)\(k)") { names.append("\(prefix)\(k)") }
        }
        return names
    }

    /// Plans one state: right-sizing first when asked, then growth, then the planner; the
    /// plan passes the validator or this throws.
    public static func plan(_ name: String, _ state: State, demand source: DemandSource, options: PlanOptions) throws -> Outcome {
        var state = state
        var notes: [String] = []
        var demand = try source(state.sizing, state.percentile, state.vms)
        func problem(_ state: State, _ demand: TracedDemand?) throws -> PlacementProblem {
            var inputs = PlanningInputs(hosts: InputRead(items: state.hosts, format: "the scenario's hosts"),
                                        catalog: InputRead(items: state.catalog.filter { state.buyable.contains($0.id) }, format: "the scenario's models"),
                                        vms: InputRead(items: state.vms, format: "the scenario's VMs"),
                                        headroom: state.headroom, rules: state.rules)
            if !state.rules.licences.isEmpty {
                inputs.licences = InputRead(items: state.rules.licences, format: "licences.csv")
                inputs.licencesFile = "the licences"
            }
            return try inputs.problem(demand: demand)
        }
        var sizingOptions = RightSizing.Options()
        sizingOptions.percentile = state.percentile
        let first = try problem(state, demand)
        let mhz: @Sendable (VM) -> Double = { vm in
            vm.currentHost.flatMap { first.host(named: $0) }.map { first.hosts[$0].cpuMHzPerCore } ?? first.mhzPerVCPU
        }
        var sizing = RightSizing(vms: state.vms, demand: demand, mhzPerCore: mhz, options: sizingOptions)
        var built = first
        if state.rightSize {
            let rows = Dictionary(uniqueKeysWithValues: sizing.rows.map { ($0.vm, $0) })
            let idle = Set(sizing.rows.filter { $0.verdict == .idle }.map(\.vm))
            if state.powerOffIdle && !idle.isEmpty {
                state.vms.removeAll { idle.contains($0.id) }
                notes.append("right-sizing powered off \(idle.count) idle VMs")
            }
            for k in state.vms.indices {
                guard let row = rows[state.vms[k].id], row.verdict != .unknown else { continue }
                state.vms[k].vcpus = row.recommendedVCPUs
                state.vms[k].memoryMB = row.recommendedMemoryMB
            }
            demand = try source(state.sizing, state.percentile, state.vms)
            built = try problem(state, demand)
            sizing = RightSizing(vms: state.vms, demand: demand, mhzPerCore: mhz, options: sizingOptions)
        }
        // Trends come from profiles whatever the sizing: a trend is of daily means, not of a percentile.
        var trends: DemandTrends?
        if state.trendMonths > 0 || state.growthPerYear == nil,
           let profiled = try source(.profile, 95, state.vms), case .profiles(let set) = profiled.source {
            trends = DemandTrends(set)
        }
        let today = built
        if state.trendMonths > 0 {
            guard let trends, !trends.isEmpty else {
                throw PlanningInputError("growth by trend needs \(DemandTrends.minimumDays) days of traces to fit a VM's trend on; the longest here is \(trends?.longestDays ?? 0) days: give percent_per_year instead")
            }
            let trended = built.grown(by: trends, months: state.trendMonths)
            built = trended.problem
            notes.append(trended.note)
        }
        let grown = built.scaled(by: state.demandFactor)
        let outcome = Planner.plan(grown, options: options)
        let plan = try ValidatedPlan(outcome, for: grown)
        var exhaustion: (months: Double, why: String?)?
        var basis: String?
        if let rate = state.growthPerYear {
            if rate > 0 {
                let start = built, factor = state.factorBeforeGrowth
                exhaustion = monthsToExhaustion({ start.scaled(by: factor * pow(1 + rate / 100, $0 / 12)) }, bought: plan, seed: options.seed)
                basis = "rate"
            }
        } else if let trends, !trends.isEmpty {
            // From today, before any trend growth of the scenario: the trend is the growth.
            let factor = state.demandFactor
            exhaustion = monthsToExhaustion({ today.grown(by: trends, months: $0).problem.scaled(by: factor) }, bought: plan, seed: options.seed)
            basis = "trend"
        }
        if let exhaustion, let why = exhaustion.why, let basis {
            notes.append("out of room after \(Resource.number(exhaustion.months)) months on the \(basis == "rate" ? "growth rate" : "VMs' trends"): \(why)")
        }
        return Outcome(name: name, state: state, plan: plan, sizing: sizing, monthsToExhaustion: exhaustion?.months, exhaustionBasis: basis,
                       notes: notes)
    }

    /// Bisection over months (to half a month, at most ten years) with the greedy packer:
    /// the first month whose grown demand (`grow`) leaves a VM unplaced on the hosts the
    /// scenario has: those owned, and as many of each bought model as its plan buys. `why`
    /// says what runs out at that month, for the notes.
    static func monthsToExhaustion(_ grow: (Double) -> PlacementProblem, bought plan: ValidatedPlan,
                                   seed: UInt64) -> (months: Double, why: String?) {
        var options = PlanOptions(solver: .heuristic, timeLimit: 1, seed: seed)
        options.packing = .ffdSum
        func boughtPerModel(_ hostOf: [Int], _ p: PlacementProblem) -> [String: Int] {
            Dictionary(grouping: Set(hostOf.filter { $0 >= 0 && p.isPurchasable($0) }), by: { p.hosts[$0].model }).mapValues(\.count)
        }
        let allowed = boughtPerModel(plan.outcome.assignment.hostOf, plan.problem)
        /// nil when it fits, else what ran out.
        func shortfall(_ months: Double) -> String? {
            let grown = grow(months)
            let packed = Planner.pack(grown, options: options)
            let unplaced = packed.hostOf.indices.filter { packed.hostOf[$0] < 0 }
            if let big = unplaced.first(where: { v in !(0..<grown.hostCount).contains { grown.fitsEmpty(v, $0) } }) {
                return "\(grown.vms[big].id) outgrows every host (a larger host or a resize)"
            }
            if !unplaced.isEmpty { return "\(unplaced.count) VMs no longer fit on the hosts" }
            let bought = boughtPerModel(packed.hostOf, grown)
            if let over = bought.first(where: { $0.value > allowed[$0.key] ?? 0 }) {
                return "it needs \(over.value) hosts of \(over.key), the plan buys \(allowed[over.key] ?? 0)"
            }
            return nil
        }
        if let why = shortfall(0) { return (0, why) }
        guard let atEnd = shortfall(120) else { return (.infinity, nil) }
        var lo = 0.0, hi = 120.0, why = atEnd
        while hi - lo > 0.5 {
            let mid = (lo + hi) / 2
            if let short = shortfall(mid) { hi = mid; why = short } else { lo = mid }
        }
        return ((lo * 10).rounded() / 10, why)
    }
}
