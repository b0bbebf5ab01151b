import Foundation
import Testing
@testable import Hostfit

/// report.html says what the CSVs say: the same numbers, cell for cell, and nothing that
/// loads from elsewhere (the browser test renders it; this one reads it).
@Suite("report.html")
struct ReportHTMLTests {
    /// Every table row of a page, as unescaped cell texts.
    static func tableRows(_ html: String) -> [[String]] {
        let rows = html.components(separatedBy: "<tr>").dropFirst()
        return rows.map { row in
            let body = row.components(separatedBy: "</tr>")[0]
            return body.components(separatedBy: "<td").dropFirst().map { cell in
                var text = String(cell.drop { $0 != ">" }.dropFirst()).components(separatedBy: "</td>")[0]
                if text.hasPrefix("<a ") { text = String(text.drop { $0 != ">" }.dropFirst()).components(separatedBy: "</a>")[0] }
                for (entity, char) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")] {
                    text = text.replacingOccurrences(of: entity, with: char)
                }
                return text
            }
        }.filter { !$0.isEmpty }
    }

    static func csvRows(_ path: String) throws -> [[String]] {
        let table = try CSVTable(contentsOf: path)
        return try table.rows().map { row in table.header.map { row.text($0) ?? "" } }
    }

    @Test func planReportHoldsTheNumbersOfItsFiles() throws {
        let out = Support.temporaryDirectory() + "/plan", sample = Support.sampleData
        let run = try CLITests().hostfit("plan", "--hosts", sample + "/hosts.csv", "--vms", sample + "/vms.csv", "--traces", sample + "/traces",
                                         "--time-limit", "2", "--out", out)
        #expect(run.code == 0, "\(run.stderr)")
        #expect(run.stdout.contains("report.html"))
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(ReportBrowserTests.externalReferences(html).isEmpty)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))) as! [String: Any]
        let used = summary["hosts_used"] as! Int, available = summary["hosts_available"] as! Int
        #expect(html.contains("50 VMs fit on \(used) hosts of \(available); the bound is \(summary["lower_bound"] as! Int)"))
        // The hosts table is hosts.csv: host, VMs, then each resource's peak and mean.
        let hosts = try Self.csvRows(out + "/hosts.csv"), rows = Self.tableRows(html)
        let resources = (summary["resources"] as! [String]).count
        for host in hosts {
            let row = rows.first { $0.first == host[0] && $0.count == 6 + 2 * resources }
            #expect(row.map { Array($0.prefix(2 + 2 * resources)) } == Array(host.prefix(2 + 2 * resources)), "\(host[0])")
        }
        // The comparison is summary.json's: sum of peaks needs at least the time-aware hosts.
        let compared = try #require(summary["compared_sizing"] as? [[String: Any]])
        #expect(compared.map { $0["sizing"] as! String } == ["time-aware", "sum of p95", "sum of peaks"])
        #expect(compared[0]["hosts"] as! Int == used)
        #expect(compared[2]["hosts"] as! Int >= used)
        for row in compared { #expect(html.contains("\(row["hosts"] as! Int) hosts"), "\(row)") }
        // Right-sizing counts are sizing.csv's.
        let verdicts = try Self.csvRows(out + "/sizing.csv").map { $0[9] }
        #expect(html.contains("\(verdicts.count { $0 == "idle" }) idle, \(verdicts.count { $0 == "oversized" }) oversized"))
    }

    @Test func staticDemandSaysThereIsNoTimeToShow() throws {
        let out = Support.temporaryDirectory() + "/plan", sample = Support.sampleData
        let run = try CLITests().hostfit("plan", "--hosts", sample + "/hosts.csv", "--vms", sample + "/vms.csv", "--out", out)
        #expect(run.code == 0, "\(run.stderr)")
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(html.contains("Demand is static here"))
        #expect(!html.contains("What the time-aware plan saves"))
    }

    @Test func escapingKeepsNamesAsText() {
        #expect(HTMLPage.escape("<b>&\"'") == "&lt;b&gt;&amp;&quot;&#39;")
        let table = HTMLPage.table(["vm"], [["a<script>"]])
        #expect(table.contains("a&lt;script&gt;") && !table.contains("<script>"))
    }
}
