import Foundation

/// report.html of `whatif`: which scenario wins on hosts, cost and power, and how long
/// each lasts, in words and bars, then whatif.csv's table with a link to each scenario's
/// own report.
extension WhatIfReport {
    public func html() -> String {
        let header = self.header
        let table = rows.map { fields($0) }
        func column(_ name: String) -> Int { header.firstIndex(of: name)! }
        func number(_ row: [String], _ name: String) -> Double? { Double(row[column(name)]) }
        var page = HTMLPage(title: "What-if scenarios", headline: answer(table, header))
        page.facts = [("Scenarios", "\(rows.count)")]

        func chart(_ name: String, _ unit: String, _ title: String, intro: String) {
            let items = table.compactMap { row -> (label: String, value: Double, text: String, highlight: Bool)? in
                guard let value = number(row, name) else { return nil }
                return (row[0], value, "\(row[column(name)])\(unit)", row[0] == table.first?[0])
            }
            guard !items.isEmpty else { return }
            page.section(title, intro: intro, SVGChart.bars(items, title: title))
        }
        chart("hosts_used", " hosts", "Hosts used", intro: "Hosts each scenario's plan uses, owned and bought (the first scenario darker).")
        chart("cost", "", "Cost of the hosts used", intro: "The cost column of hosts.csv and the catalog, summed over the hosts each plan uses.")
        chart("power_w", " W", "Power of the hosts used", intro: "Watts at the planned load, from each host's idle and peak power.")
        let monthsItems = table.compactMap { row -> (label: String, value: Double, text: String, highlight: Bool)? in
            let text = row[column("months_to_exhaustion")]
            guard !text.isEmpty else { return nil }
            let value = text == ">120" ? 120 : Double(text) ?? 0
            let basis = row[column("months_basis")]
            return (row[0], value, text + " months" + (basis.isEmpty ? "" : " (\(basis))"), false)
        }
        if !monthsItems.isEmpty {
            page.section("Months until the hosts run out", intro: "Growth at the scenario's rate, or on each VM's trend where it gives none, until some VM no longer fits the hosts the scenario has (owned, and as many of each model as it buys).",
                         SVGChart.bars(monthsItems, title: "months to exhaustion"))
        }
        var html = "<table><thead><tr>" + header.map { "<th>\(HTMLPage.escape($0.replacingOccurrences(of: "_", with: " ")))</th>" }.joined() + "</tr></thead><tbody>\n"
        for row in table {
            html += "<tr>" + row.enumerated().map { i, cell in
                header[i] == "folder" ? "<td><a href=\"\(HTMLPage.escape(cell))/report.html\">\(HTMLPage.escape(cell))</a></td>"
                    : "<td\(Double(cell) != nil ? " class=\"n\"" : "")>\(HTMLPage.escape(cell))</td>"
            }.joined() + "</tr>\n"
        }
        page.section("Every scenario", intro: "whatif.csv, cell for cell; each folder holds the scenario's plan, its report and its inventory (hostfit check --plan FOLDER/placements.csv re-checks it).",
                     "<div style=\"overflow-x:auto\">" + html + "</tbody></table></div>")
        let notes = rows.flatMap { row in row.outcome.notes.map { "\(row.scenario): \($0)" } }
        if !notes.isEmpty { page.section("Notes", "<ul>" + notes.map { "<li>\(HTMLPage.escape($0))</li>" }.joined() + "</ul>") }
        page.footer = "Hostfit \(base.version): \(rows.count) scenarios, every plan checked by the validator before it was written."
        return page.html
    }

    /// "10 scenarios. today: 4 hosts of 7, cost 56000, 988 W. Cheapest placing every VM:
    /// p2v-mid (52000). Fewest hosts: p2v-dense (3). Soonest out of room: ..."
    func answer(_ table: [[String]], _ header: [String]) -> String {
        func value(_ row: [String], _ name: String) -> Double? { header.firstIndex(of: name).flatMap { Double(row[$0]) } }
        func text(_ row: [String], _ name: String) -> String { header.firstIndex(of: name).map { row[$0] } ?? "" }
        guard let first = table.first else { return "No scenarios." }
        var words = "\(table.count) scenarios. \(first[0]): \(text(first, "hosts_used")) hosts of \(text(first, "hosts_available"))"
        if let cost = value(first, "cost") { words += ", cost \(Resource.number(cost))" }
        if let watts = value(first, "power_w") { words += ", \(Resource.number(watts)) W" }
        words += "."
        let complete = table.filter { value($0, "unplaced") == 0 }
        if let cheapest = complete.filter({ value($0, "cost") != nil }).min(by: { value($0, "cost")! < value($1, "cost")! }) {
            words += " Cheapest that places every VM: \(cheapest[0]) (\(text(cheapest, "cost")))."
        }
        if let fewest = complete.min(by: { value($0, "hosts_used")! < value($1, "hosts_used")! }) {
            words += " Fewest hosts: \(fewest[0]) (\(text(fewest, "hosts_used")))."
        }
        let short = table.filter { $0 != [] && !text($0, "months_to_exhaustion").isEmpty && text($0, "months_to_exhaustion") != ">120" }
        if let soonest = short.min(by: { value($0, "months_to_exhaustion")! < value($1, "months_to_exhaustion")! }) {
            words += " Soonest out of room: \(soonest[0]) (\(text(soonest, "months_to_exhaustion")) months)."
        }
        let incomplete = table.filter { (value($0, "unplaced") ?? 0) > 0 }
        if !incomplete.isEmpty { words += " Leaving VMs unplaced: " + incomplete.map { "\($0[0]) (\(text($0, "unplaced")))" }.joined(separator: ", ") + "." }
        return words
    }
}
