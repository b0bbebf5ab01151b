import Foundation
import Testing
@testable import Hostfit

/// Hostfit reads what admins export and never lets a misread pass in silence.
@Suite("Inputs admins have")
struct InputTrustTests {
    static let rvtools = Support.sharedData + "/formats/rvtools"

    @Test func rvtoolsExportsReadWithTheirDefectsNamed() throws {
        guard FileManager.default.fileExists(atPath: Self.rvtools) else {
            print("skipped: ../shared/data/formats/rvtools is not beside this clone")
            return
        }
        let hosts = try HostInventoryFile.load(Self.rvtools + "/vHost.csv")
        #expect(hosts.format == "RVTools vHost")
        #expect(hosts.items.count == 34)
        let first = try #require(hosts.items.first)
        #expect(first.id == "vmsp-01" && first.cpuCores == 16 && first.cpuMHzPerCore == 2700 && first.capacity[.memory] == 262109)
        #expect(first.cluster == "Cluster1")

        let vms = try VMInventoryFile.load(Self.rvtools + "/vInfo.csv")
        #expect(vms.format == "RVTools vInfo")
        let table = try CSVTable(contentsOf: Self.rvtools + "/vInfo.csv")
        let running = try table.rows().filter { $0.text("powerstate") == "poweredOn" && $0.text("template") != "True" }
        #expect(vms.items.count == running.count)
        #expect(vms.notes[0].contains("powered off or suspended left out") && vms.notes[0].contains("templates left out"))
        let all = try VMInventoryFile.load(Self.rvtools + "/vInfo.csv", includePoweredOff: true)
        #expect(all.items.count > vms.items.count)

        let checked = InventoryCheck.reconcile(vms, vmFile: "vInfo.csv", hosts: hosts.items, hostFile: "vHost.csv")
        let unknown = checked.notes.filter { $0.contains("is not in vHost.csv") }
        #expect(!unknown.isEmpty)
        #expect(unknown.contains { $0.contains("vInfo.csv:2: host 'bovmsp-04.customer.com' is not in vHost.csv (did you mean 'vmsp-04'?)") })
        // Those VMs plan as new: no migration from a host Hostfit does not know.
        let names = Set(hosts.items.map(\.id))
        #expect(checked.vms.allSatisfy { $0.currentHost.map(names.contains) ?? true })
    }

    /// A European Excel CSV: semicolons and decimal commas, made here from SampleData.
    @Test func semicolonCSVWithDecimalCommasPlansLikeTheOriginal() throws {
        func european(_ path: String) throws -> String {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let lines = text.split(separator: "\n").map { line in
                // Excel quotes a field that holds the separator (a list such as "a;b").
                line.split(separator: ",", omittingEmptySubsequences: false).map { field in
                    let european = field.replacingOccurrences(of: ".", with: ",")
                    return european.contains(";") ? "\"\(european)\"" : european
                }.joined(separator: ";")
            }
            return Support.file((path as NSString).lastPathComponent, lines.joined(separator: "\r\n") + "\r\n")
        }
        let hostsPath = try european(Support.sampleData + "/hosts.csv"), vmsPath = try european(Support.sampleData + "/vms.csv")
        let hosts = try HostInventoryFile.load(hostsPath), vms = try VMInventoryFile.load(vmsPath)
        #expect(hosts.notes.contains { $0.contains("separated by ';'") })
        let original = try VMInventoryFile.read(Support.sampleData + "/vms.csv")
        #expect(vms.items.map(\.measured) == original.map(\.measured), "decimal commas read as the same numbers")
        let problem = try PlacementProblem(hosts: hosts.items, vms: vms.items)
        let reference = try PlacementProblem(hosts: try HostInventoryFile.read(Support.sampleData + "/hosts.csv"), vms: original)
        let options = PlanOptions(solver: .heuristic)
        #expect(Planner.plan(problem, options: options).hostsUsed == Planner.plan(reference, options: options).hostsUsed)
    }

    @Test func aMistypedHeadroomIsAnErrorWithASuggestion() throws {
        let hosts = [VMHost(id: "h", cpuCores: 8, cpuMHzPerCore: 2000, memoryMB: 65536)]
        let vms = [VM(id: "v", vcpus: 1, memoryMB: 1024)]
        #expect {
            try PlacementProblem(hosts: hosts, vms: vms, headroom: try Headroom(parsing: "cpus=80"))
        } throws: { error in
            (error as? PlanningInputError)?.message.contains("'cpus' is not a resource here (did you mean 'cpu'?)") == true
        }
        // A counted resource the hosts declare is fine.
        var gpu = hosts[0]
        gpu.capacity[.counted("gpu")] = 2
        _ = try PlacementProblem(hosts: [gpu], vms: vms, headroom: try Headroom(parsing: "gpu=50"))
    }

    /// CPU traces and no memory (as PlanetLab gives): memory is named as unmeasured.
    @Test func aResourceNoTraceMeasuresIsNamed() throws {
        let trace = Support.file("cpu.csv", "timestamp,entity,metric,value\n1700000000,a,cpu_mhz,500\n1700000300,a,cpu_mhz,700\n1700000000,b,cpu_mhz,100\n1700000300,b,cpu_mhz,200\n")
        let demand = try TracedDemand.read([trace], sizing: .peak)
        let hosts = [VMHost(id: "h", cpuCores: 8, cpuMHzPerCore: 2000, memoryMB: 65536)]
        let problem = try PlacementProblem(hosts: hosts, vms: nil, demand: demand)
        #expect(problem.unmeasuredResources == [.memory])
        #expect(problem.notes.contains { $0.hasPrefix("no trace measures memory for any VM") })
        let summary = PlanReport(try ValidatedPlan(Planner.plan(problem, options: PlanOptions(solver: .heuristic)), for: problem)).summary
        #expect(summary.unmeasuredResources == ["memory"])
    }

    /// Without any CPU use, CPU is planned by allocation, and the VMs keep their inventory
    /// values (an --apply must not write a made-up 0 MHz).
    @Test func allocationPlanningLeavesTheVMsAsTheyWere() throws {
        let hosts = [VMHost(id: "h", cpuCores: 8, cpuMHzPerCore: 2000, memoryMB: 65536)]
        let problem = try PlacementProblem(hosts: hosts, vms: [VM(id: "a", vcpus: 4, memoryMB: 1024), VM(id: "b", vcpus: 40, memoryMB: 1024)])
        #expect(problem.vms.allSatisfy { $0.measured[.cpu] == nil })
        #expect(problem.demand(0, try #require(problem.resources.firstIndex(of: .cpu)), 0) == 0)
        #expect(problem.settings.vcpusPerCore == 4)
        #expect(!problem.notes.contains { $0.contains("have no cpu_mhz") })
        let plan = try ValidatedPlan(Planner.plan(problem, options: PlanOptions(solver: .heuristic)), for: problem)
        #expect(plan.unplaced.map(\.vm) == ["b"], "40 vCPUs exceed 8 cores at 4:1")
    }

    /// A ratio given for an inventory without CPU use is the ratio planned, not a cap on
    /// top of every vCPU counted as a busy core.
    @Test func aGivenRatioPlansAllocationsAtIt() throws {
        let hosts = [VMHost(id: "h", cpuCores: 8, cpuMHzPerCore: 2000, memoryMB: 65536)]
        let vms = (0..<12).map { VM(id: "v\($0)", vcpus: 4, memoryMB: 1024) }
        let problem = try PlacementProblem(hosts: hosts, vms: vms, rules: PlacementRules(vcpusPerCore: 5))
        #expect(problem.settings.vcpusPerCore == 5)
        #expect(problem.demand(0, try #require(problem.resources.firstIndex(of: .cpu)), 0) == 0)
        #expect(problem.notes.contains { $0.contains("at most 5 per core (--vcpu-ratio)") })
        let plan = try ValidatedPlan(Planner.plan(problem, options: PlanOptions(solver: .heuristic)), for: problem)
        #expect(plan.unplaced.count == 2, "8 cores at 5:1 hold 40 vCPUs: 10 VMs of 4")
    }

    /// A file given to the wrong flag says what it is and where it goes.
    @Test func aFileUnderTheWrongFlagSaysWhereItGoes() {
        #expect(throws: InputError(file: Support.sampleData + "/vms.csv", line: 1, "this looks like a VM inventory (vms.csv), not a host inventory: give it as --vms")) {
            try HostInventoryFile.load(Support.sampleData + "/vms.csv")
        }
        #expect(throws: InputError(file: Support.sampleData + "/hosts.csv", line: 1, "this looks like a host inventory (hosts.csv), not a VM inventory: give it as --hosts")) {
            try VMInventoryFile.load(Support.sampleData + "/hosts.csv")
        }
    }

    @Test func unknownColumnsAndImplausibleUnitsAreNamed() throws {
        let hosts = Support.file("hosts.csv", "host,cpu_cores,cpu_mhz,memory_mb,memroy_mb,colour\nbig,2,52000,262144,1,red\nsmall,8,2600,256,1,blue\n")
        let read = try HostInventoryFile.load(hosts)
        #expect(read.notes.contains { $0.hasSuffix("hosts.csv:1: column 'memroy_mb' is not read (did you mean 'memory_mb'?)") })
        #expect(read.notes.contains { $0.hasSuffix("hosts.csv:1: columns not read: colour") })
        #expect(read.notes.contains { $0.contains("hosts.csv:2: host 'big' has cpu_mhz 52000 per core: that looks like the host's total") })
        #expect(read.notes.contains { $0.contains("hosts.csv:3: host 'small' has memory_mb 256: that looks like GB") })
        let vms = Support.file("vms.csv", "vm,vcpus,memory_mb,memroy_used_mb\na,1,1024,512\n")
        #expect(try VMInventoryFile.load(vms).notes.contains { $0.contains("did you mean 'memory_used_mb'?") })
    }

    /// Two full hosts whose VMs swap: no direct order exists; a third host with room breaks the cycle.
    @Test func migrationsRunInASafeOrderParkingToBreakACycle() throws {
        func problem(spare: Bool) -> PlacementProblem {
            var hosts = [VMHost(id: "a", cpuCores: 10, cpuMHzPerCore: 1000, memoryMB: 10_000),
                         VMHost(id: "b", cpuCores: 10, cpuMHzPerCore: 1000, memoryMB: 10_000)]
            if spare { hosts.append(VMHost(id: "c", cpuCores: 10, cpuMHzPerCore: 1000, memoryMB: 10_000)) }
            let vms = [VM(id: "x", vcpus: 1, memoryMB: 7000, currentHost: "a", measured: [.cpu: 100]),
                       VM(id: "y", vcpus: 1, memoryMB: 7000, currentHost: "b", measured: [.cpu: 100])]
            return PlacementProblem(inventory: Inventory(hosts: hosts, vms: vms), headroom: try! Headroom(parsing: "memory=100"))
        }
        let swap = Assignment(hostOf: [1, 0])
        let order = MigrationOrder(problem(spare: true), plan: swap)
        #expect(order.unsafe.isEmpty)
        #expect(order.steps.map { "\($0.vm):\($0.from)>\($0.to)" } == ["x:a>c", "y:b>a", "x:c>b"])
        #expect(order.steps[0].parking && order.migrations == 2)
        let stuck = MigrationOrder(problem(spare: false), plan: swap)
        #expect(Set(stuck.unsafe) == ["x", "y"])
    }

    @Test func anUnplacedVMsReasonCountsEveryCausePerHost() throws {
        let hosts = [VMHost(id: "h1", cpuCores: 4, cpuMHzPerCore: 1000, memoryMB: 8192),
                     VMHost(id: "h2", cpuCores: 4, cpuMHzPerCore: 1000, memoryMB: 8192, tags: ["sql"]),
                     VMHost(id: "h3", cpuCores: 64, cpuMHzPerCore: 1000, memoryMB: 1_000_000, state: .maintenance)]
        let vms = [VM(id: "big", vcpus: 8, memoryMB: 16384, measured: [.cpu: 6000, .memory: 16000])]
        let problem = PlacementProblem(inventory: Inventory(hosts: hosts, vms: vms), headroom: Headroom())
        let plan = try ValidatedPlan(Planner.plan(problem), for: problem)
        let reason = try #require(plan.unplaced.first?.reason)
        #expect(reason.hasPrefix("needs 6000 MHz cpu, the largest host offers"))
        #expect(reason.contains("; needs 15.6 GB memory"), "every resource that does not fit is named: \(reason)")
        #expect(reason.hasSuffix("(0/3 hosts fit: 2 cpu, 2 memory, 1 maintenance)"))
    }

    @Test func headlinesDoNotContradictThemselves() throws {
        // N+1 for two small VMs: the volume bound says 1, N+1 makes it 2, and 2 is minimal.
        let hosts = (1...3).map { VMHost(id: "h\($0)", cluster: "c", cpuCores: 8, cpuMHzPerCore: 1000, memoryMB: 65536) }
        let vms = ["v", "w"].map { VM(id: $0, vcpus: 1, memoryMB: 1024, measured: [.cpu: 500]) }
        let problem = PlacementProblem(inventory: Inventory(hosts: hosts, vms: vms), headroom: Headroom(), rules: PlacementRules(reserve: 1))
        let outcome = Planner.plan(problem)
        #expect(outcome.lowerBound.hosts == 2 && outcome.lowerBound.reserve == 1)
        let summary = PlanReport(try ValidatedPlan(outcome, for: problem)).summary
        #expect(summary.hostsUsed == 2 && summary.gap == 0 && summary.status == "optimal", "\(summary.headline)")
        #expect(summary.headline.contains("+ 1 for N+1"))

        // Nothing fits: not "optimal".
        let huge = PlacementProblem(inventory: Inventory(hosts: hosts, vms: [VM(id: "x", vcpus: 1, memoryMB: 1e9)]), headroom: Headroom())
        let none = PlanReport(try ValidatedPlan(Planner.plan(huge), for: huge)).summary
        #expect(none.headline.hasPrefix("Placed 0 of 1 VMs: none fits any host"))

        // Bought hosts are not counted "of" the owned ones.
        var summaryBuying = summary
        summaryBuying.hostsUsed = 3
        summaryBuying.hostsAvailable = 1
        summaryBuying.buy = ["m": 2]
        #expect(summaryBuying.headline.contains("on 3 hosts (1 of 1 owned, 2 to buy)"))
    }
}
