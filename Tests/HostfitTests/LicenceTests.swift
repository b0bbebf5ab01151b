import Foundation
import Testing
@testable import Hostfit

/// Licence costs in the objective (`--licences`). The fixture (Fixtures/licences) is small
/// enough to check by hand: 8 hosts of 16 cores (2 sockets), 2,000 MHz and 100 GB, 5,000
/// each; four Windows VMs (16,000 MHz, 16,000 MB: two fill a host's CPU) and four Linux VMs
/// (4,000 MHz, 80,000 MB: one fills its memory). Mixed, each host takes one of each: 4 hosts,
/// all licensed. Apart, the Windows VMs fill 2 hosts and the Linux VMs 4: 6 hosts, 2 licensed.
/// Windows Server Datacenter at 400 per core (16-core minimum) is 6,400 a host, more than a
/// host: apart costs 6 x 5,000 + 2 x 6,400 = 42,800, mixed 4 x 5,000 + 4 x 6,400 = 45,600.
/// At 62.5 a core (1,000 a host) mixing wins: 4 x 5,000 + 4 x 1,000 = 24,000.
@Suite struct LicenceTests {
    static let dir = Support.fixture("licences")

    func plan(_ licences: String, _ extra: String...) throws -> (run: CLITests.Run, summary: [String: Any], placements: [String: String], out: String) {
        let out = Support.temporaryDirectory() + "/plan"
        let run = try CLITests().hostfitArguments(["plan", "--hosts", Self.dir + "/hosts.csv", "--vms", Self.dir + "/vms.csv",
                                                   "--licences", Self.dir + "/" + licences, "--headroom", "cpu=100,memory=100", "--out", out] + extra)
        guard run.code == 0 else { return (run, [:], [:], out) }
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))) as! [String: Any]
        let rows = try CSVTable(contentsOf: out + "/placements.csv").rows()
        let placements = Dictionary(uniqueKeysWithValues: try rows.map { (try $0.requiredText("vm"), try $0.requiredText("host")) })
        return (run, summary, placements, out)
    }

    @Test func windowsVMsGoOnTheFewestLicensedHostsWhenTheLicenceOutweighsAHost() throws {
        let result = try plan("licences.csv")
        #expect(result.run.code == 0, "\(result.run.stderr)")
        let windowsHosts = Set(result.placements.filter { $0.key.hasPrefix("win") }.values)
        #expect(windowsHosts.count == 2)
        #expect(result.summary["hosts_used"] as? Int == 6)
        #expect(result.summary["status"] as? String == "optimal")
        #expect(result.summary["hardware_cost"] as? Double == 30_000)
        #expect(result.summary["licence_cost"] as? Double == 12_800)
        #expect(result.summary["cost"] as? Double == 42_800)
        let line = (result.summary["licences"] as? [[String: Any]])?.first
        #expect(line?["units"] as? Int == 32)
        #expect(line?["by_host"] as? [String: Double] == Dictionary(uniqueKeysWithValues: windowsHosts.map { ($0, 6_400) }))
        // hosts.csv says the same per host; report.html shows the table.
        let hosts = try CSVTable(contentsOf: result.out + "/hosts.csv").rows()
        let paid = try hosts.compactMap { row -> Double? in try row.number("licence_cost") }.reduce(0, +)
        #expect(paid == 12_800)
        let html = try String(contentsOfFile: result.out + "/report.html", encoding: .utf8)
        #expect(html.contains("Licences") && (html.contains("6,400") || html.contains("6400")))
    }

    @Test func aCheapLicenceLetsTheVMsMixOnFewerHosts() throws {
        let result = try plan("cheap-licences.csv")
        #expect(result.run.code == 0, "\(result.run.stderr)")
        #expect(result.summary["hosts_used"] as? Int == 4)
        #expect(result.summary["cost"] as? Double == 24_000)
        #expect(Set(result.placements.filter { $0.key.hasPrefix("win") }.values).count == 4)
    }

    /// The greedy side alone finds the licensed packing (size order would scatter them).
    @Test func theHeuristicPacksLicensedVMsTogether() throws {
        let result = try plan("licences.csv", "--solver", "heuristic")
        #expect(result.run.code == 0, "\(result.run.stderr)")
        #expect(Set(result.placements.filter { $0.key.hasPrefix("win") }.values).count == 2)
        #expect(result.summary["cost"] as? Double == 42_800)
        #expect((result.summary["solver"] as? String)?.contains("licences") == true)
        // Not proven: the gap is against a cost bound, never a claim of optimality.
        #expect(result.summary["status"] as? String == "heuristic")
        #expect((result.summary["cost_lower_bound"] as? Double ?? .infinity) <= 42_800)
    }

    @Test func aLicenceNoListPricesIsAnErrorAtItsLine() throws {
        let vms = Support.file("vms.csv", "vm,vcpus,memory_mb,licences\na,2,4096,\nb,2,4096,windows-dc\n")
        let run = try CLITests().hostfit("plan", "--hosts", Self.dir + "/hosts.csv", "--vms", vms,
                                         "--licences", Support.file("licences.csv", "licence,per,min_per_host,price\nwindows-dc,core,16,400\n"),
                                         "--out", Support.temporaryDirectory() + "/x")
        #expect(run.code == 0, "\(run.stderr)")
        let typo = Support.file("vms.csv", "vm,vcpus,memory_mb,licences\na,2,4096,\nb,2,4096,windows-cd\n")
        let bad = try CLITests().hostfit("plan", "--hosts", Self.dir + "/hosts.csv", "--vms", typo,
                                         "--licences", Self.dir + "/licences.csv", "--out", Support.temporaryDirectory() + "/x")
        #expect(bad.code == 2)
        #expect(bad.stderr.contains("\(typo):3: VM 'b' needs licence 'windows-cd'"), "\(bad.stderr)")
        #expect(bad.stderr.contains("windows-dc"))
    }

    @Test func aPerSocketLicenceNeedsTheHostsSockets() throws {
        let hosts = Support.file("hosts.csv", "host,cpu_cores,cpu_mhz,memory_mb,licences\nh1,16,2000,65536,pve\n")
        let prices = Support.file("licences.csv", "licence,per,min_per_host,price\npve,socket,,355\n")
        let vms = Support.file("vms.csv", "vm,vcpus,memory_mb\na,2,4096\n")
        let run = try CLITests().hostfit("plan", "--hosts", hosts, "--vms", vms, "--licences", prices,
                                         "--out", Support.temporaryDirectory() + "/x")
        #expect(run.code == 2)
        #expect(run.stderr.contains("\(hosts):2: host 'h1' does not say its sockets, and licence 'pve' is priced per socket"), "\(run.stderr)")
        let unit = Support.file("licences.csv", "licence,per,min_per_host,price\npve,cpu,,355\n")
        let badUnit = try CLITests().hostfit("plan", "--hosts", hosts, "--vms", vms, "--licences", unit,
                                             "--out", Support.temporaryDirectory() + "/x")
        #expect(badUnit.code == 2)
        #expect(badUnit.stderr.contains("\(unit):2: per 'cpu' is not one of core, socket, host"), "\(badUnit.stderr)")
    }

    /// A host's own licence (a hypervisor subscription per socket) is paid by every host that
    /// runs VMs: 2 sockets x 355 on each.
    @Test func aHostsOwnLicenceIsPaidPerHostInUse() throws {
        let hosts = Support.file("hosts.csv", "host,cpu_cores,cpu_mhz,memory_mb,cost,sockets,licences\nh1,16,2000,102400,5000,2,pve\nh2,16,2000,102400,5000,2,pve\n")
        let vms = Support.file("vms.csv", "vm,vcpus,memory_mb,cpu_mhz,memory_used_mb\na,2,60000,1000,60000\nb,2,60000,1000,60000\n")
        let prices = Support.file("licences.csv", "licence,per,min_per_host,price\npve,socket,,355\n")
        let out = Support.temporaryDirectory() + "/plan"
        let run = try CLITests().hostfit("plan", "--hosts", hosts, "--vms", vms, "--licences", prices, "--headroom", "memory=100", "--out", out)
        #expect(run.code == 0, "\(run.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))) as! [String: Any]
        #expect(summary["licence_cost"] as? Double == 1_420.0)
        #expect(summary["cost"] as? Double == 11_420.0)
    }

    /// Rating a new Windows VM: the host that pays for Windows already rates above an equal
    /// host that would start paying, and says so.
    @Test func aRatingPrefersTheHostThatPaysTheLicenceAlready() throws {
        var hosts = (1...2).map { VMHost(id: "h\($0)", cpuCores: 16, cpuMHzPerCore: 2000, memoryMB: 102_400, cost: 5000) }
        hosts[0].sockets = 2; hosts[1].sockets = 2
        var running = VM(id: "old", vcpus: 2, memoryMB: 8192, currentHost: "h1", measured: [.cpu: 2000, .memory: 8192])
        running.licences = ["windows-dc"]
        var other = VM(id: "other", vcpus: 2, memoryMB: 8192, currentHost: "h2", measured: [.cpu: 2000, .memory: 8192])
        other.licences = []
        var new = VM(id: "new", vcpus: 2, memoryMB: 8192, measured: [.cpu: 2000, .memory: 8192])
        new.licences = ["windows-dc"]
        var rules = PlacementRules()
        rules.licences = [Licence(name: "windows-dc", per: .core, minimumPerHost: 16, price: 400)]
        let problem = PlacementProblem(inventory: Inventory(hosts: hosts, vms: [running, other, new]), rules: rules)
        let ratings = HostRater(problem).rate(2)
        #expect(ratings.first?.host == "h1")
        #expect(ratings.last?.reason.contains("would start paying windows-dc (6400)") == true, "\(ratings)")
    }

    /// Chargeback with licences: a licence is charged to the VMs that need it, and the cost
    /// centres still add up to the plan's cost (the sample: finance runs Windows).
    @Test func chargebackAddsUpToThePlanWithItsLicences() throws {
        let out = Support.temporaryDirectory() + "/plan"
        let run = try CLITests().hostfit("plan", "--hosts", Support.sampleData + "/hosts.csv", "--vms", Support.sampleData + "/vms.csv",
                                         "--licences", Support.sampleData + "/licences.csv", "--solver", "heuristic", "--out", out)
        #expect(run.code == 0, "\(run.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))) as! [String: Any]
        let lines = try CSVTable(contentsOf: out + "/chargeback.csv").rows()
        let charged = try lines.reduce(0.0) { $0 + (try $1.number("cost") ?? 0) }
        let cost = summary["cost"] as? Double ?? 0
        #expect(abs(charged - cost) < 1, "\(charged) against \(cost)")
        let finance = try lines.first { try $0.requiredText("cost_center") == "finance" }.flatMap { try $0.number("cost") } ?? 0
        let web = try lines.first { try $0.requiredText("cost_center") == "web" }.flatMap { try $0.number("cost") } ?? 0
        #expect(finance > web, "finance pays for Windows")
    }

    /// A price list given as the VMs, or the VMs as the price list, says where each goes.
    @Test func aFileUnderTheWrongFlagSaysWhereItGoes() throws {
        let sample = Support.sampleData
        let a = try CLITests().hostfit("plan", "--hosts", sample + "/hosts.csv", "--vms", sample + "/licences.csv", "--out", Support.temporaryDirectory() + "/x")
        #expect(a.code == 2)
        #expect(a.stderr.contains("licences.csv:1: this looks like a licence price list (licences.csv), not a VM inventory: give it as --licences"), "\(a.stderr)")
        let b = try CLITests().hostfit("plan", "--hosts", sample + "/hosts.csv", "--vms", sample + "/vms.csv", "--licences", sample + "/vms.csv",
                                       "--out", Support.temporaryDirectory() + "/x")
        #expect(b.code == 2)
        #expect(b.stderr.contains("vms.csv:1: this looks like a VM inventory (vms.csv), not a licence price list: give it as --vms"), "\(b.stderr)")
    }
}
