import Foundation

/// report.html of `replay`: how the plan held on demand it was not planned from. The
/// answer, then the overload timeline, each host's load over time, and the worst moments.
extension ReplayReport {
    public func html() -> String {
        let s = summary
        var headline = "Replayed \(s.hosts) hosts and \(s.vms) VMs over \(s.intervals) intervals of \(s.stepSeconds / 60) minutes (\(s.from.prefix(10)) to \(s.until.prefix(10))): "
        headline += "\(CSVWriter.number(s.overHeadroomPct, digits: 3))% of host-intervals over headroom, \(CSVWriter.number(s.overCapacityPct, digits: 3))% over capacity"
        if let worst = s.worst { headline += "; worst: \(worst.host) at \(CSVWriter.number(worst.pctOfCapacity, digits: 1))% of its \(worst.resource) on \(worst.timestamp)" }
        if !s.vmsMissingFromTraces.isEmpty { headline += "; \(s.vmsMissingFromTraces.count) VMs of the plan are missing from the traces" }
        var page = HTMLPage(title: "Replay of a plan", headline: headline + ".")
        page.facts = [("Hosts over headroom", "\(s.hostsOverHeadroom) of \(s.hosts)"), ("Hosts over capacity", "\(s.hostsOverCapacity) of \(s.hosts)"),
                      ("Intervals over headroom", "\(s.overHeadroom)"), ("Intervals over capacity", "\(s.overCapacity)")]

        // Per interval: hosts with some resource over its headroom limit.
        var over = [Double](repeating: 0, count: result.slots), overCap = [Double](repeating: 0, count: result.slots)
        for host in result.hosts {
            for t in 0..<result.slots {
                if host.resources.contains(where: { t < $0.load.count && $0.load[t] > $0.limit * (1 + 1e-9) }) { over[t] += 1 }
                if host.resources.contains(where: { t < $0.load.count && $0.load[t] > $0.capacity * (1 + 1e-9) }) { overCap[t] += 1 }
            }
        }
        let group = max(1, (result.slots + 239) / 240)
        let labels = SVGChart.dayLabels(start: result.start, step: result.step, slots: result.slots, group: 1)
        page.section("Overload timeline", intro: "Hosts with some resource over its headroom limit at each interval (red); over capacity is in overloads.csv.",
                     SVGChart.timeline(over, labels: labels, yLabel: "hosts over headroom per interval (UTC)", title: "hosts over headroom over time"))
        if overCap.contains(where: { $0 > 0 }) {
            page.section("Over capacity", intro: "Hosts whose VMs needed more than the host has, at each interval.",
                         SVGChart.timeline(overCap, labels: labels, yLabel: "hosts over capacity per interval (UTC)", title: "hosts over capacity over time"))
        }
        for resource in [Resource.cpu, .memory] {
            // At most the 60 hosts that came closest to capacity, in name order.
            var all: [(String, Replay.HostResource)] = []
            for host in result.hosts { if let r = host.resources.first(where: { $0.resource == resource }) { all.append((host.host, r)) } }
            let closest = all.sorted { $0.1.peak / $0.1.capacity > $1.1.peak / $1.1.capacity }.prefix(PlanReport.chartHosts)
            let rows: [(String, Replay.HostResource)] = closest.sorted { $0.0 < $1.0 }
            guard let first = rows.first?.1, !rows.isEmpty else { continue }
            let columns = (result.slots + group - 1) / group
            let values: [[Double?]] = rows.map { _, r in
                (0..<columns).map { c in
                    let slice = r.load[min(r.load.count, c * group)..<min(r.load.count, (c + 1) * group)]
                    return slice.max().map { $0 / r.capacity * 100 }
                }
            }
            page.section("\(resource == .cpu ? "CPU" : "Memory") of each host over the replay",
                         intro: "Summed real demand of each host's VMs as a share of its capacity; each column the busiest of \(group) intervals."
                            + (rows.count < result.hosts.count ? " The \(rows.count) hosts nearest capacity of \(result.hosts.count); hosts.csv has every one." : ""),
                         SVGChart.heatMap(rows: rows.map { $0.0 }, values: values,
                                          columnLabels: SVGChart.dayLabels(start: result.start, step: result.step, slots: result.slots, group: group),
                                          limit: first.limit / first.capacity * 100, title: "\(resource.name) per host over the replay"))
        }
        let hostRows = result.hosts.flatMap { host in
            host.resources.map { r in
                [host.host, String(host.vms.count), r.resource.name, CSVWriter.number(r.peak / r.capacity * 100, digits: 1), Self.iso(r.peakTime),
                 CSVWriter.number(r.mean / r.capacity * 100, digits: 1), String(r.intervalsOverHeadroom), String(r.intervalsOverCapacity)]
            }
        }
        page.section("Hosts", intro: "As in hosts.csv.",
                     HTMLPage.table(["host", "VMs", "resource", "peak %", "peak time", "mean %", "intervals over headroom", "intervals over capacity"],
                                    hostRows, numeric: [1, 3, 5, 6, 7], limit: 120))
        if !result.overloads.isEmpty {
            let worst = result.overloads.sorted { $0.demand / $0.capacity > $1.demand / $1.capacity }
            page.section("Worst moments", intro: "The intervals furthest over, as in overloads.csv (\(result.overloads.count) rows).",
                         HTMLPage.table(["host", "timestamp", "resource", "demand", "capacity", "over", "% of capacity"],
                                        worst.map { [$0.host, Self.iso($0.time), $0.resource.name, CSVWriter.number($0.demand), CSVWriter.number($0.capacity),
                                                     $0.overCapacity ? "capacity" : "headroom", CSVWriter.number($0.demand / $0.capacity * 100, digits: 1)] },
                                        numeric: [3, 4, 6], limit: 50))
        }
        if !s.vmsMissingFromTraces.isEmpty {
            page.section("VMs of the plan missing from the traces", "<p>" + HTMLPage.escape(s.vmsMissingFromTraces.joined(separator: ", ")) + "</p>")
        }
        if !s.notes.isEmpty { page.section("Notes", "<ul>" + s.notes.map { "<li>\(HTMLPage.escape($0))</li>" }.joined() + "</ul>") }
        page.footer = "Hostfit \(s.hostfitVersion): replay of \(s.rows) trace rows in \(Resource.number(s.seconds)) s."
        return page.html
    }
}
