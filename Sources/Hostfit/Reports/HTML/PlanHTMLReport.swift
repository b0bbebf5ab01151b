import Foundation

/// report.html of a plan: the answer in words, then how full each host is over time, what
/// fills it, what the time-aware plan saves, and what is left to do (unplaced VMs,
/// right-sizing, migrations). Every number is one of the CSVs' or summary.json's.
extension PlanReport {
    static func licenceTable(_ plan: ValidatedPlan, _ licences: [LicenceSummary]) -> String {
        var rows = plan.licencesPaid.map { paid in
            [plan.problem.hosts[paid.host].id, paid.licence.name, "\(paid.units) \(paid.licence.per.rawValue)\(paid.units == 1 ? "" : "s")",
             Resource.number(paid.licence.price), Resource.number(paid.cost)]
        }
        for line in licences { rows.append(["all \(line.hosts) hosts", line.licence, "\(line.units)", Resource.number(line.price), Resource.number(line.cost)]) }
        return HTMLPage.table(["host", "licence", "units", "price", "cost"], rows, numeric: [3, 4], limit: 300)
    }

    public func html(title: String = "Consolidation plan") -> String {
        let summary = self.summary, problem = plan.problem
        var page = HTMLPage(title: title, headline: Self.answer(summary, plan))
        page.facts = [("VMs placed", "\(summary.vmsPlaced) of \(summary.vms)"), ("Hosts used", "\(summary.hostsUsed) of \(summary.hostsAvailable)"),
                      ("Lower bound", "\(summary.lowerBound)"), ("Status", summary.status == "optimal" ? "optimal" : "\(summary.status), gap \(Self.pct(summary.gap))")]
        if let licences = summary.licenceCost {
            page.facts.append(("Cost", "\(Resource.number(summary.cost ?? 0)): hosts \(Resource.number(summary.hardwareCost ?? 0)), licences \(Resource.number(licences))"))
        } else if let cost = summary.cost {
            page.facts.append(("Cost of hosts used", Resource.number(cost)))
        }
        if let watts = summary.powerW { page.facts.append(("Power of hosts used", "\(Resource.number(watts)) W")) }
        if summary.migrations > 0 { page.facts.append(("Migrations", "\(summary.migrations)")) }

        // Charts show at most the 60 busiest hosts (by peak CPU): a page of thousands of rows helps nobody.
        let allUsed = plan.usage.filter { $0.vms > 0 }
        let cpu = problem.resources.firstIndex(of: .cpu)
        func peak(_ u: ValidatedPlan.HostUsage) -> Double { cpu.flatMap { u.peakPercent[$0] } ?? 0 }
        let used = allUsed.sorted { peak($0) > peak($1) }.prefix(Self.chartHosts).sorted { problem.hosts[$0.host].id < problem.hosts[$1.host].id }
        let shownNote = allUsed.count > used.count ? " The \(used.count) busiest of the \(allUsed.count) hosts used are shown; hosts.csv has every one." : ""
        for resource in [Resource.cpu, .memory] {
            guard let r = problem.resources.firstIndex(of: resource), problem.buckets > 1 else { continue }
            let (values, labels) = Self.heat(plan, used.map(\.host), r)
            page.section("\(resource.name == "cpu" ? "CPU" : "Memory") of each host over time",
                         intro: "Hosts by \(Self.bucketWords(problem)): the summed demand of each host's VMs as a share of its capacity." + shownNote,
                         SVGChart.heatMap(rows: used.map { problem.hosts[$0.host].id }, values: values, columnLabels: labels,
                                          limit: problem.headroom.fraction(for: resource) * 100, title: "\(resource.name) utilization per host over time"))
        }
        if problem.buckets == 1 {
            page.section("Utilization over time", intro: "Demand is static here (one figure per VM), so there is no time to show: plan with --traces for the time-aware view.", "")
        }
        var bars: [(label: String, segments: [(name: String, value: Double)], limit: Double)] = []
        for u in used {
            for resource in [Resource.cpu, .memory] {
                guard let r = problem.resources.firstIndex(of: resource) else { continue }
                bars.append(("\(problem.hosts[u.host].id) \(resource.name)", Self.segments(plan, host: u.host, r),
                             problem.headroom.fraction(for: resource) * 100))
            }
        }
        page.section("What fills each host", intro: "Each host's VMs at the host's busiest interval, in percent of capacity; the red tick is the headroom limit. Hover a segment for its VM." + shownNote,
                     SVGChart.stackedBars(rows: bars, title: "VMs per host at its busiest interval"))
        page.section("Hosts", Self.hostTable(plan))
        if let licences = summary.licences, summary.licenceCost != nil {
            page.section("Licences", intro: "What each host pays, as in summary.json: units (cores, sockets or the host, at least the minimum) times the price. A host licensed for a VM covers every VM on it that needs the same licence.",
                         Self.licenceTable(plan, licences))
        }
        if let comparison { page.section("What the time-aware plan saves", intro: Self.comparisonWords(comparison), Self.comparisonChart(comparison)) }
        if !plan.unplaced.isEmpty {
            page.section("Unplaced VMs (\(plan.unplaced.count))", intro: "As in unplaced.csv: why no host could take each.",
                         HTMLPage.table(["VM", "reason"], plan.unplaced.map { [$0.vm, $0.reason] }, limit: 200))
        }
        if let sizing { page.section("Right-sizing", intro: Self.sizingWords(sizing), Self.sizingTable(sizing)) }
        if hasCurrentPlacement, !migrationOrder.steps.isEmpty {
            page.section("Migrations (\(summary.migrations))", intro: "In a safe one-at-a-time order, as in migrations.csv.",
                         HTMLPage.table(["step", "VM", "from", "to", "kind"],
                                        migrationOrder.steps.map { [String($0.step), $0.vm, $0.from, $0.to, $0.parking ? "park" : "migrate"] },
                                        numeric: [0], limit: 100))
        }
        if !summary.notes.isEmpty {
            page.section("Notes", "<ul>" + summary.notes.map { "<li>\(HTMLPage.escape($0))</li>" }.joined() + "</ul>")
        }
        page.footer = "Hostfit \(summary.hostfitVersion): \(summary.headline)"
        return page.html
    }

    /// "50 VMs fit on 4 hosts of 8; the bound is 4 (optimal); CPU limits; 4 hosts can be
    /// powered off, saving 440 W at idle."
    static func answer(_ s: PlanSummary, _ plan: ValidatedPlan) -> String {
        var words = s.vmsUnplaced == 0 ? "\(s.vms) VMs fit on \(s.hostsUsed) hosts" : "\(s.vmsPlaced) of \(s.vms) VMs fit on \(s.hostsUsed) hosts"
        let bought = s.buy.values.reduce(0, +)
        if bought > 0 { words += " (\(bought) to buy: \(s.buy.sorted { $0.key < $1.key }.map { "\($0.value) x \($0.key)" }.joined(separator: ", ")))" }
        else if s.hostsAvailable > 0 { words += " of \(s.hostsAvailable)" }
        words += "; the bound is \(s.lowerBound) (\(s.status == "optimal" ? "optimal" : "\(s.status), gap \(pct(s.gap))"))"
        let limits = Dictionary(grouping: plan.usage.filter { $0.vms > 0 }.compactMap(\.limitingResource), by: { $0 })
        if let top = limits.max(by: { $0.value.count != $1.value.count ? $0.value.count < $1.value.count : $0.key.name > $1.key.name })?.key {
            words += "; \(top == .cpu ? "CPU" : top.name) limits"
        }
        let problem = plan.problem
        let idle = plan.usage.filter { $0.vms == 0 && problem.acceptsVMs($0.host) && !problem.isPurchasable($0.host) }
        if !idle.isEmpty {
            let watts = idle.compactMap { problem.hosts[$0.host].powerIdleWatts }
            words += "; \(idle.count) hosts can be powered off" + (watts.count == idle.count ? ", saving \(Resource.number(watts.reduce(0, +).rounded())) W at idle" : "")
        }
        if s.vmsUnplaced > 0 { words += "; \(s.vmsUnplaced) VMs could not be placed (below)" }
        return words + "."
    }

    static let chartHosts = 60

    static func pct(_ x: Double?) -> String { x.map { String(format: "%.1f%%", $0 * 100) } ?? "unknown" }

    static func bucketWords(_ problem: PlacementProblem) -> String {
        if problem.timeline != nil { return "interval of the traces (UTC; the busiest of each group of intervals when there are many)" }
        return problem.buckets == 168 ? "hour of the week (UTC), at the profiles' percentile" : problem.buckets == 24 ? "hour of the day (UTC)" : "time bucket"
    }

    /// Per host, percent of capacity per column; more than 168 buckets are grouped, each
    /// column the busiest of its group, so the map stays readable and a peak stays visible.
    static func heat(_ plan: ValidatedPlan, _ hosts: [Int], _ r: Int) -> ([[Double?]], [(Int, String)]) {
        let problem = plan.problem, B = problem.buckets
        let group = max(1, (B + 167) / 168), columns = (B + group - 1) / group
        var vmsOf: [Int: [Int]] = [:]
        for (v, h) in plan.outcome.assignment.hostOf.enumerated() where h >= 0 { vmsOf[h, default: []].append(v) }
        let values: [[Double?]] = hosts.map { h in
            let capacity = problem.fullCapacity(h, r)
            guard capacity.isFinite, capacity > 0 else { return [Double?](repeating: nil, count: columns) }
            var load = [Double](repeating: 0, count: B)
            for v in vmsOf[h] ?? [] { for b in 0..<B { load[b] += problem.demand(v, r, b) } }
            return (0..<columns).map { c in
                let slice = load[(c * group)..<min(B, (c + 1) * group)]
                return (slice.max() ?? 0) / capacity * 100
            }
        }
        var labels: [(Int, String)] = []
        if let timeline = problem.timeline {
            labels = SVGChart.dayLabels(start: timeline.start, step: timeline.step, slots: B, group: group)
        } else if B == 168 {
            labels = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].enumerated().map { ($0.offset * 24, $0.element) }
        } else if B == 24 {
            labels = [0, 6, 12, 18].map { ($0, String(format: "%02d:00", $0)) }
        }
        return (values, labels)
    }

    /// A host's VMs at its busiest bucket for resource r, in percent of capacity.
    static func segments(_ plan: ValidatedPlan, host h: Int, _ r: Int) -> [(name: String, value: Double)] {
        let problem = plan.problem, B = problem.buckets
        let capacity = problem.fullCapacity(h, r)
        guard capacity.isFinite, capacity > 0 else { return [] }
        let vms = plan.outcome.assignment.hostOf.indices.filter { plan.outcome.assignment.hostOf[$0] == h }
        var busiest = 0, most = -Double.infinity
        for b in 0..<B {
            let load = vms.reduce(0) { $0 + problem.demand($1, r, b) }
            if load > most { most = load; busiest = b }
        }
        return vms.map { (problem.vms[$0].id, problem.demand($0, r, busiest) / capacity * 100) }.sorted { $0.value > $1.value }
    }

    static func hostTable(_ plan: ValidatedPlan) -> String {
        let problem = plan.problem, resources = problem.resources
        var header = ["host", "VMs"]
        for resource in resources { header += ["\(resource.name) peak %", "\(resource.name) mean %"] }
        header += ["limiting", "cluster", "model", "power W"]
        var rows: [[String]] = []
        for usage in plan.usage where usage.vms > 0 || !problem.purchasable.contains(usage.host) {
            let host = problem.hosts[usage.host]
            var row = [host.id, String(usage.vms)]
            for r in resources.indices { row += [CSVWriter.number(usage.peakPercent[r]), CSVWriter.number(usage.meanPercent[r])] }
            row += [usage.limitingResource?.name ?? (host.state != .active ? "(\(host.state.rawValue))" : usage.vms == 0 ? "(empty)" : ""), host.cluster, host.model, CSVWriter.number(usage.watts, digits: 0)]
            rows.append(row)
        }
        return HTMLPage.table(header, rows, numeric: Set(1..<(2 + 2 * resources.count)).union([header.count - 1]), limit: 300)
    }

    static func comparisonWords(_ c: SizingComparison) -> String {
        let by = Dictionary(c.rows.map { ($0.sizing, $0) }, uniquingKeysWith: { a, _ in a })
        guard let aware = by["time-aware"] else { return "" }
        var words = "The same VMs, rules and solver, each VM sized at one static figure (\(Resource.number(c.timeLimit)) s per plan)"
        if let peaks = by["sum of peaks"] {
            words += ": at its peak they need \(peaks.hosts) hosts"
            if let p95 = by["sum of p95"] { words += ", at its 95th percentile \(p95.hosts)" }
            words += "; the time-aware plan needs \(aware.hosts), because VMs do not all peak at once."
        }
        return words + " Sum of p95 can overload a host whenever VMs peak together; sum of peaks cannot, and wastes what they do not."
    }

    static func comparisonChart(_ c: SizingComparison) -> String {
        let items = c.rows.map { row -> (label: String, value: Double, text: String, highlight: Bool) in
            var text = "\(row.hosts) hosts"
            if let cost = row.cost, cost > 0 { text += ", cost \(Resource.number(cost))" }
            if row.unplaced > 0 { text += ", \(row.unplaced) unplaced" }
            if row.status != "optimal" { text += " (\(row.status))" }
            return (row.sizing, Double(row.hosts), text, row.sizing == "time-aware")
        }
        return SVGChart.bars(items, title: "hosts needed by sizing")
    }

    static func sizingWords(_ sizing: RightSizing) -> String {
        "\(sizing.count(.idle)) idle, \(sizing.count(.oversized)) oversized, \(sizing.count(.undersized)) undersized, \(sizing.count(.right)) right"
            + (sizing.count(.unknown) > 0 ? ", \(sizing.count(.unknown)) without use data" : "")
            + "; \(sizing.reclaimableVCPUs) vCPUs and \(Resource.format(mb: sizing.reclaimableMemoryMB)) reclaimable (CPU at p\(Resource.number(sizing.options.percentile)) x \(Resource.number(sizing.options.comfort)), memory at its peak x \(Resource.number(sizing.options.memoryBuffer)); sizing.csv)."
    }

    /// The VMs with most to give back or to get, first.
    static func sizingTable(_ sizing: RightSizing) -> String {
        let rows = sizing.rows.filter { $0.verdict != .right && $0.verdict != .unknown }
            .sorted { abs($0.vcpus - $0.recommendedVCPUs) != abs($1.vcpus - $1.recommendedVCPUs)
                ? abs($0.vcpus - $0.recommendedVCPUs) > abs($1.vcpus - $1.recommendedVCPUs) : $0.vm < $1.vm }
        return HTMLPage.table(["VM", "verdict", "vCPUs", "recommended", "memory MB", "recommended MB", "stars", "why"],
                              rows.map { [$0.vm, $0.verdict.rawValue, String($0.vcpus), String($0.recommendedVCPUs), CSVWriter.number($0.memoryMB),
                                          CSVWriter.number($0.recommendedMemoryMB), $0.confidenceStars.map { HostRater.drawn(Double($0)) } ?? "", $0.reason] },
                              numeric: [2, 3, 4, 5], limit: 40)
    }
}
