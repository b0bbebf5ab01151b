import Foundation

/// report.html of `place`: where each new VM went and why, then every host's stars for it,
/// best first, as ratings.csv has them.
extension RatingReport {
    public func html() -> String {
        let placed = suggestions.filter { $0.host != nil }
        var headline = "Placed \(placed.count) of \(suggestions.count) new VMs"
        let shown = placed.prefix(5).map { s in "\(s.vm) on \(s.host!) (\(HostRater.drawn(s.ratings.first?.stars ?? 0)))" }
        if !shown.isEmpty { headline += ": " + shown.joined(separator: ", ") + (placed.count > 5 ? ", ..." : "") }
        let refused = suggestions.filter { $0.host == nil }
        if !refused.isEmpty { headline += "; no host can take " + refused.map(\.vm).joined(separator: ", ") }
        var page = HTMLPage(title: "Host ratings for new VMs", headline: headline + ".")
        page.facts = [("New VMs", "\(suggestions.count)"), ("Placed", "\(placed.count)"), ("Hosts rated", "\(problem.hostCount)")]
        for s in suggestions.prefix(50) {
            let top = s.ratings.prefix(10).map { r in
                (label: r.host, value: max(r.stars, 0.05), text: "\(HostRater.drawn(r.stars))  \(CSVWriter.number(r.score, digits: 1))", highlight: r.host == s.host)
            }
            let intro = s.host.map { host in "Placed on \(host): \(s.ratings.first?.reason ?? "")" }
                ?? "No host can take it: \(s.ratings.first?.reason ?? "no hosts")"
            page.section(s.vm, intro: intro,
                         SVGChart.bars(top, title: "best hosts for \(s.vm)")
                            + HTMLPage.table(["host", "stars", "score", "reason", "rule"],
                                             s.ratings.map { [$0.host, HostRater.drawn($0.stars), CSVWriter.number($0.score, digits: 1), $0.reason, $0.rule?.rawValue ?? ""] },
                                             numeric: [2], limit: 25))
        }
        if suggestions.count > 50 { page.section("More", intro: "\(suggestions.count - 50) more new VMs are in ratings.csv and placements.csv.", "") }
        page.footer = "Hostfit \(HostfitVersion.current): each VM placed after the ones before it, as they were rated; every placement checked by the validator."
        return page.html
    }
}
