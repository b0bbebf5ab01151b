import Foundation
import Testing
@testable import Hostfit
@testable import HostfitScenarios

/// What-if: scenario files that are wrong say where, and the shipped study plans and checks.
@Suite("What-if scenarios")
struct WhatIfTests {
    static let sample = Support.sampleData

    /// A scenarios file beside SampleData's inventory (paths are relative to the file).
    static func scenarios(_ body: String) -> String {
        let dir = Support.temporaryDirectory()
        for name in ["hosts.csv", "vms.csv", "models.csv"] {
            try! FileManager.default.copyItem(atPath: "\(sample)/\(name)", toPath: "\(dir)/\(name)")
        }
        let path = "\(dir)/scenarios.yaml"
        try! Data(("base:\n  hosts: hosts.csv\n  vms: vms.csv\n  models: models.csv\nscenarios:\n" + body).utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func error(_ body: String) throws -> InputError {
        let path = Self.scenarios(body)
        do {
            let file = try ScenarioFile.read(path)
            _ = try WhatIf.states(file.scenarios, base: file.base, file: path)
        } catch {
            return error
        }
        Issue.record("no error for:\n\(body)")
        return InputError(file: "", "")
    }

    @Test(arguments: [
        // line 6 is the first scenario's first line (5 lines of base above).
        ("  - name: a\n    fail_hosts: [esx99]\n", 7, "host 'esx99' is not in the inventory"),
        ("  - name: a\n    replace_model: {from: old, to: dense-2x32c-512g}\n", 7, "no host is of model 'old'"),
        ("  - name: a\n    add_hosts: {model: r750, count: 2}\n", 7, "model 'r750' is in neither the catalog"),
        ("  - name: a\n    growth: {percent_per_year: -120}\n", 7, "cannot fall by 100%"),
        ("  - name: a\n  - name: b\n    from: c\n", 7, "starts from 'c', which is not a scenario before it"),
        ("  - name: a\n    fail_hosts: [esx01\n", 8, "not valid YAML"),
        ("  - name: a\n    fail_host: [esx01]\n", 7, "unknown key 'fail_host' in a scenario (did you mean 'fail_hosts'?)"),
        ("  - name: a\n    buy: [tiny]\n", 7, "model 'tiny' to buy is not in the catalog"),
        ("  - name: a\n    growth: {trend: true, percent_per_year: 10}\n", 7, "give percent_per_year or trend: true, not both"),
        ("  - name: a\n    growth: {trend: no}\n", 7, "trend must be true"),
        ("  - name: a\n    growth: {months: 6}\n", 7, "needs percent_per_year"),
        ("  - name: a\n    growth: {trend: true, months: 3}\n", 7, "growth by trend needs traces"),
    ])
    func brokenFilesNameTheirLine(body: String, line: Int, message: String) throws {
        let error = try error(body)
        #expect(error.line == line, "\(error)")
        #expect(error.message.contains(message), "\(error)")
    }

    /// The CLI turns them into file:line and exit 2, and writes nothing.
    @Test func theCommandExitsTwoOnABrokenFile() throws {
        let path = Self.scenarios("  - name: a\n    fail_hosts: [esx99]\n")
        let out = Support.temporaryDirectory() + "/w"
        let run = try CLITests().hostfit("whatif", "--scenarios", path, "--out", out)
        #expect(run.code == 2)
        #expect(run.stderr.contains("scenarios.yaml:7: host 'esx99'"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// Growth compounds along `from` chains; replacing a model keeps names, clusters and
    /// current placements; adding copies gives the original's demand.
    @Test func changesApplyInOrderAlongChains() throws {
        let path = Self.scenarios("""
          - name: grow
            growth: {percent_per_year: 21, months: 24}
          - name: grow-more
            from: grow
            growth: {percent_per_year: 10, months: 12}
            add_vms: {like: rnd-1, count: 3, prefix: web}
          - name: refresh
            replace_model: {from: "PowerEdge R650 2x16c 2.6GHz 256GB", to: dense-2x32c-512g}

        """)
        let file = try ScenarioFile.read(path)
        let states = try WhatIf.states(file.scenarios, base: file.base, file: path)
        #expect(abs(states[0].demandFactor - 1.21 * 1.21) < 1e-9)
        #expect(abs(states[1].demandFactor - 1.21 * 1.21 * 1.1) < 1e-9)
        #expect(states[1].vms.filter { $0.demandLike == "rnd-1" }.map(\.id) == ["web-1", "web-2", "web-3"])
        let refreshed = states[2].hosts.filter { $0.model == "dense-2x32c-512g" }
        #expect(refreshed.count == 6 && refreshed.first?.id == "esx01" && refreshed.first?.cpuCores == 64)
    }

    /// A platform's overhead comes off every host and catalog model from where it is written,
    /// so hosts bought after it are smaller too; one that leaves a host no memory is refused.
    @Test func aPlatformsOverheadComesOffEveryHostAndModel() throws {
        let path = Self.scenarios("""
          - name: pve
            drain_hosts: [esx01]
            host_overhead: {memory_mb: 18432, cpu_pct: 2}
            add_hosts: {model: dense-2x32c-512g, count: 1}
          - name: too-much
            host_overhead: {memory_mb: 10000000}

        """)
        let file = try ScenarioFile.read(path)
        let pve = try WhatIf.states([file.scenarios[0]], base: file.base, file: path)[0]
        let esx02 = try #require(pve.hosts.first { $0.id == "esx02" }), bought = try #require(pve.hosts.last)
        #expect(esx02.capacity[.memory] == 262_144 - 18_432 && abs((esx02.capacity[.cpu] ?? 0) - 32 * 2600 * 0.98) < 1e-6)
        #expect(bought.model == "dense-2x32c-512g" && bought.capacity[.memory] == 524_288 - 18_432)
        let run = try CLITests().hostfit("whatif", "--scenarios", path, "--out", Support.temporaryDirectory() + "/w")
        #expect(run.code == 2 && run.stderr.contains("scenarios.yaml:11: host_overhead: ") && run.stderr.contains("leaves 'esx01' no memory"), "\(run.stderr)")
    }

    /// The move off VMware in SampleData: three scenarios, each plan valid.
    @Test func theMoveToProxmoxPlans() throws {
        let out = Support.temporaryDirectory() + "/pve"
        let run = try CLITests().hostfit("whatif", "--scenarios", Support.sampleData + "/to-proxmox.yaml", "--out", out)
        #expect(run.code == 0, "\(run.stderr)")
        let rows = try CSVTable(contentsOf: out + "/whatif.csv").records.map { $0.fields[0] }
        #expect(rows == ["vmware-today", "proxmox-dense", "proxmox-mid"])
        // Licences (base: licences:) side by side: each row's cost is its hardware plus its licences.
        for row in try CSVTable(contentsOf: out + "/whatif.csv").rows() {
            let cost = try row.number("cost") ?? 0, hardware = try row.number("hardware_cost") ?? 0, licences = try row.number("licence_cost") ?? 0
            #expect(licences > 0 && abs(hardware + licences - cost) < 0.5, "\(row)")
        }
        for scenario in rows {
            let check = try CLITests().hostfit("check", "--plan", "\(out)/\(scenario)/placements.csv")
            #expect(check.code == 0, "\(scenario): \(check.stderr)")
        }
    }

    /// The shipped study: every scenario planned, validated, written and re-checked alone.
    @Test func sampleScenariosPlanAndEveryOnePassesCheck() throws {
        let out = Support.temporaryDirectory() + "/whatif"
        let cli = CLITests()
        let run = try cli.hostfit("whatif", "--scenarios", Self.sample + "/scenarios.yaml", "--time-limit", "2",
                                  "--replay-traces", Self.sample + "/traces", "--out", out)
        #expect(run.code == 0, "\(run.stderr)")
        let table = try CSVTable(contentsOf: "\(out)/whatif.csv")
        #expect(Array(table.header.prefix(WhatIfReport.columns.count)) == WhatIfReport.columns)
        let rows = try table.rows()
        #expect(rows.count == 10)
        #expect(table.header.contains("overload_pct"))
        var byName: [String: CSVRow] = [:]
        for row in rows { byName[try row.requiredText("scenario")] = row }
        // N+1 needs at least as many hosts as today; dense hosts need fewer than mid-size ones.
        let hosts = { (name: String) throws -> Double in try byName[name]?.number("hosts_used") ?? -1 }
        #expect(try hosts("n+1") >= hosts("today"))
        #expect(try hosts("p2v-dense") <= hosts("p2v-mid"))
        #expect(try byName["growth-25pct"]?.number("months_to_exhaustion") ?? 0 > 12)
        // Bought hosts count as the scenario's own: the dense refresh lasts a while at 25%.
        #expect(try byName["p2v-dense-growth"]?.number("months_to_exhaustion") ?? 0 > 0)
        // Without a rate, each VM's own trend says when today's hosts run out.
        #expect(try byName["today"]?.text("months_basis") == "trend")
        #expect(try byName["today"]?.number("months_to_exhaustion") ?? 0 > 0)
        #expect(try byName["growth-25pct"]?.text("months_basis") == "rate")
        // Three months on the trend need at least today's hosts, and the plan says what grew.
        #expect(try hosts("trend-3-months") >= hosts("today"))
        let summary = try String(contentsOfFile: "\(out)/\(try byName["trend-3-months"]!.requiredText("folder"))/summary.json", encoding: .utf8)
        #expect(summary.contains("grow on a rising trend"), "\(summary)")
        // What runs out first is said: here one VM's trend outgrows the largest host.
        #expect(summary.contains("out of room after"), "\(summary)")
        // report.html's table is whatif.csv, cell for cell, and each scenario has its own report.
        let csvRows = try ReportHTMLTests.csvRows("\(out)/whatif.csv")
        let htmlRows = ReportHTMLTests.tableRows(try String(contentsOfFile: "\(out)/report.html", encoding: .utf8))
        #expect(htmlRows == csvRows)
        for row in rows {
            let folder = try row.requiredText("folder")
            #expect(FileManager.default.fileExists(atPath: "\(out)/\(folder)/report.html"))
            let check = try cli.hostfit("check", "--plan", "\(out)/\(folder)/placements.csv")
            #expect(check.code == 0, "\(folder): \(check.stdout) \(check.stderr)")
        }
    }
}
