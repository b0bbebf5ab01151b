import Foundation

/// report.html of `rebalance`: the answer, each host's fullest resource over the recent
/// traces and the forecast before and after the moves, and the moves on a timeline.
extension RebalanceReport {
    public func html() -> String {
        let s = summary
        var headline = "\(s.moves) moves (\(CSVWriter.number(s.memoryMovedMB / 1024, digits: 1)) GB of memory) for goal \(s.goal): "
        headline += "\(s.before.intervalsOverHeadroom) host-intervals over headroom on the recent traces before, \(s.after.intervalsOverHeadroom) after"
        headline += "; \(CSVWriter.number(s.before.forecastHostHoursOverHeadroom)) forecast host-hours before, \(CSVWriter.number(s.after.forecastHostHoursOverHeadroom)) after"
        if let b = s.replayBefore, let a = s.replayAfter {
            headline += "; on the later traces \(CSVWriter.number(b.overHeadroomPct, digits: 3))% of host-intervals over headroom without the moves, \(CSVWriter.number(a.overHeadroomPct, digits: 3))% with them"
        }
        var page = HTMLPage(title: "Rebalance", headline: headline + ".")
        page.facts = [("Hosts on", "\(s.hostsOnBefore) → \(s.hostsOnAfter)"), ("Moves", "\(s.moves)"), ("Forecast", "\(s.forecast), margin \(CSVWriter.number(s.margin * 100, digits: 1))%"),
                      ("Migration time", "\(CSVWriter.number(s.migrationSeconds / 60, digits: 1)) min")]
        let problem = plan.problem, forecast = plan.forecast
        let hosts = (0..<problem.hostCount).filter { plan.before.hostOf.contains($0) || plan.after.hostOf.contains($0) }
        let group = max(1, (forecast.slots + 191) / 192)
        let labels = SVGChart.dayLabels(start: forecast.start, step: forecast.step, slots: forecast.slots, group: group)
        for (title, assignment) in [("Before the moves", plan.before), ("After the moves", plan.after)] {
            let values = Self.fullest(problem, assignment, hosts: hosts, slots: forecast.slots, group: group)
            page.section(title, intro: "Each host's fullest resource as a share of its capacity over the recent traces; each column the busiest of \(group) intervals.",
                         SVGChart.heatMap(rows: hosts.map { problem.hosts[$0].id }, values: values, columnLabels: labels,
                                          limit: Self.headroomPercent(problem), title: "hosts \(title.lowercased())"))
        }
        let rows = plan.moves.map { m in
            [String(m.step), ReplayReport.iso(m.at), m.vm, m.from, m.to, m.kind.rawValue, CSVWriter.number(m.memoryMB / 1024, digits: 1),
             CSVWriter.number(m.seconds, digits: 0), CSVWriter.number(m.benefit), m.reason]
        }
        page.section("Moves", intro: "In a safe order, each in its VM's quietest hour after the traces end (UTC); benefit is host-hours over headroom removed.",
                     HTMLPage.table(["step", "at", "VM", "from", "to", "kind", "GB", "seconds", "benefit", "reason"], rows, numeric: [0, 6, 7, 8]))
        if !plan.unresolved.isEmpty {
            page.section("Still over headroom", HTMLPage.table(["host", "why no move helped"], plan.unresolved.map { [$0.host, $0.reason] }))
        }
        if !plan.notes.isEmpty { page.section("Notes", "<ul>" + plan.notes.map { "<li>\(HTMLPage.escape($0))</li>" }.joined() + "</ul>") }
        return page.html
    }

    /// Per host and column: the fullest resource's busiest slot in the column, percent of full capacity.
    static func fullest(_ problem: PlacementProblem, _ assignment: Assignment, hosts: [Int], slots: Int, group: Int) -> [[Double?]] {
        let R = problem.resourceCount
        var vmsOf = [Int: [Int]]()
        for (v, h) in assignment.hostOf.enumerated() where h >= 0 { vmsOf[h, default: []].append(v) }
        let columns = (slots + group - 1) / group
        return hosts.map { h in
            guard let vms = vmsOf[h] else { return [Double?](repeating: 0, count: columns) }
            var top = [Double](repeating: 0, count: columns)
            for r in 0..<R {
                let capacity = problem.fullCapacity(h, r)
                guard capacity.isFinite, capacity > 0 else { continue }
                for t in 0..<slots {
                    let load = vms.reduce(0) { $0 + problem.demand($1, r, t) }
                    top[t / group] = max(top[t / group], load / capacity * 100)
                }
            }
            return top
        }
    }

    static func headroomPercent(_ problem: PlacementProblem) -> Double {
        Resource.standard.map { problem.headroom.fraction(for: $0) * 100 }.min() ?? 100
    }
}
