import Foundation
import Testing
@testable import Hostfit

@Suite("Planner")
struct PlannerTests {
    /// Capacity 10, items 4 4 3 3 3 3: FFD opens a third bin (4+4, 3+3+3, 3), the optimum is
    /// two (4+3+3 twice), and the volume bound (20/10) proves it.
    @Test func ilpImprovesOnFirstFitDecreasingAndProvesIt() {
        let problem = Support.binPacking(capacity: 10, weights: [4, 4, 3, 3, 3, 3])
        #expect(FirstFitDecreasing.solve(problem).hostsUsed == 3)
        let heuristic = Planner.plan(problem, options: PlanOptions(solver: .heuristic))
        #expect(heuristic.status == .heuristic)
        #expect(heuristic.hostsUsed == 3)
        #expect(heuristic.lowerBound.hosts == 2)
        let outcome = Planner.plan(problem, options: PlanOptions(solver: .auto, timeLimit: 20))
        #expect(outcome.hostsUsed == 2)
        #expect(outcome.status == .optimal)
        #expect(outcome.solver == "ffd-sum+patterns")  // tight packing: 4+3+3 twice wastes nothing
        #expect(outcome.gap == 0)
        #expect(PlanValidator.violations(of: outcome.assignment.placement(in: problem), in: problem).isEmpty)
    }

    @Test func boundMetByTheHeuristicSkipsTheILP() {
        let problem = Support.binPacking(capacity: 100, weights: [51, 51, 51, 10, 10])
        let outcome = Planner.plan(problem)
        #expect(outcome.hostsUsed == 3)
        #expect(outcome.status == .optimal)
        #expect(outcome.solver == "ffd-sum")
        #expect(outcome.lowerBound.method == .martelloTothL2)
    }

    @Test func vmLargerThanEveryHostIsUnplacedWithItsReason() throws {
        let hosts = try HostInventoryFile.read(Support.fixture("rules-hosts.csv"))
        let vms = try VMInventoryFile.read(Support.fixture("rules-vms.csv"))
        let problem = PlacementProblem(inventory: Inventory(hosts: hosts, vms: vms), headroom: Headroom())
        let outcome = Planner.plan(problem)
        let plan = try ValidatedPlan(outcome, for: problem)
        #expect(plan.unplaced.map(\.vm) == ["huge"])
        #expect(plan.unplaced.first?.reason == "needs 391 GB memory, the largest host offers 57.6 GB memory (90% of 64 GB memory) (0/3 hosts fit: 2 memory, 1 failed)")
        // v1 and v2 need a GPU: only 'big' has them (the failed host's do not count).
        #expect(outcome.assignment.hostOf[0] == 0 && outcome.assignment.hostOf[1] == 0)
        #expect(!outcome.assignment.hostOf.contains(2), "nothing lands on the failed host")
    }

    @Test func fullHostsGiveTheMostFreeCapacityAsTheReason() throws {
        let problem = Support.binPacking(capacity: 100, weights: [70, 70, 70], bins: 2)
        let outcome = Planner.plan(problem)
        let plan = try ValidatedPlan(outcome, for: problem)
        #expect(plan.unplaced.count == 1)
        #expect(plan.unplaced.first?.reason == "needs 70 MB memory, the most free on any host is 30 MB memory on 'b1' (0/2 hosts fit: 2 memory)")
    }

    /// Random mixed instances: every plan from every solver passes the validator, and the
    /// heuristic's incremental fit test agrees with it. Each plan is at least its bound.
    @Test(arguments: 0..<30)
    func randomInstancesAlwaysGiveValidPlans(seed: UInt64) {
        let problem = Support.randomProblem(seed: seed, vms: Int(seed % 7) * 5 + 3, hosts: Int(seed % 5) + 3)
        for solver in [SolverChoice.heuristic, .auto] {
            let outcome = Planner.plan(problem, options: PlanOptions(solver: solver, timeLimit: 1))
            let placement = outcome.assignment.placement(in: problem)
            #expect(PlanValidator.violations(of: placement, in: problem).isEmpty, "seed \(seed), \(solver)")
            if outcome.assignment.unplacedCount == 0 {
                #expect(outcome.hostsUsed >= outcome.lowerBound.hosts, "seed \(seed)")
            }
            #expect(throws: Never.self) { try ValidatedPlan(outcome, for: problem) }
            // An empty plan passes the validator: the plan must also place what greedy packing does.
            #expect(outcome.assignment.placedCount >= Support.greedyPlaced(problem), "seed \(seed), \(solver)")
        }
    }

    /// A search cut by the clock is not reproducible; one that finishes is.
    @Test func sameInputGivesTheSamePlan() {
        let problem = Support.randomProblem(seed: 5, vms: 40, hosts: 8)
        let a = Planner.plan(problem, options: PlanOptions(solver: .heuristic))
        let b = Planner.plan(problem, options: PlanOptions(solver: .heuristic))
        #expect(a.assignment == b.assignment)
        let small = Support.binPacking(capacity: 10, weights: [4, 4, 3, 3, 3, 3, 2, 5, 5])
        let c = Planner.plan(small, options: PlanOptions(solver: .ilp, timeLimit: 60))
        let d = Planner.plan(small, options: PlanOptions(solver: .ilp, timeLimit: 60))
        #expect(c.status == .optimal && c.assignment == d.assignment)
    }
}

@Suite("Migrations")
struct MigrationTests {
    /// Four identical hosts; today the VMs run on h3 and h4. The plan needs two hosts, and
    /// they should be h3 and h4, with nobody moving.
    @Test func identicalHostsAreRelabelledSoVMsStayPut() throws {
        let hosts = (1...4).map { VMHost(id: "h\($0)", cpuCores: 8, cpuMHzPerCore: 2000, memoryMB: 32768) }
        let vms = (0..<6).map { k in
            VM(id: "v\(k)", vcpus: 2, memoryMB: 8192, currentHost: k < 3 ? "h3" : "h4", measured: [.cpu: 3000, .memory: 8000])
        }
        let problem = PlacementProblem(inventory: Inventory(hosts: hosts, vms: vms), headroom: Headroom())
        let plan = try ValidatedPlan(Planner.plan(problem), for: problem)
        #expect(plan.hostsUsed == 2)
        #expect(plan.migrations == 0)
        #expect(Set(plan.placement.entries.map(\.host)) == ["h3", "h4"])
    }

    /// Moving back never costs a host: a VM whose home is not in the plan still moves.
    @Test func fewerHostsComeBeforeFewerMigrations() throws {
        let hosts = (1...3).map { VMHost(id: "h\($0)", cpuCores: 8, cpuMHzPerCore: 2000, memoryMB: 32768) }
        let vms = (0..<3).map { k in VM(id: "v\(k)", vcpus: 1, memoryMB: 1024, currentHost: "h\(k + 1)", measured: [.cpu: 1000, .memory: 1000]) }
        let problem = PlacementProblem(inventory: Inventory(hosts: hosts, vms: vms), headroom: Headroom())
        let plan = try ValidatedPlan(Planner.plan(problem), for: problem)
        #expect(plan.hostsUsed == 1)
        #expect(plan.migrations == 2)
    }
}

@Suite("Buying from a catalog")
struct CatalogTests {
    /// 12 VMs of 10 GHz at 80% CPU headroom. Small hosts (16 x 2.6 GHz = 33.3 GHz usable, 3 VMs)
    /// cost 7,000; big ones (64 x 2.6 GHz, 13 VMs) cost 22,000: one big host (22,000) beats
    /// four small (28,000). With only 3 VMs, one small host (7,000) is cheapest.
    @Test(arguments: [(12, ["big": 1], 22_000.0), (3, ["small": 1], 7_000.0)])
    func cheapestMixIsBought(vmCount: Int, expected: [String: Int], cost: Double) throws {
        let catalog = [
            VMHost(id: "small", cpuCores: 16, cpuMHzPerCore: 2600, memoryMB: 131_072, cost: 7000),
            VMHost(id: "big", cpuCores: 64, cpuMHzPerCore: 2600, memoryMB: 524_288, cost: 22_000),
        ]
        let vms = (0..<vmCount).map { VM(id: "v\($0)", vcpus: 4, memoryMB: 8192, measured: [.cpu: 10_000, .memory: 8192]) }
        let problem = PlacementProblem(inventory: Inventory(hosts: [], vms: vms, catalog: catalog), headroom: Headroom())
        #expect(problem.objective == .cost)
        let plan = try ValidatedPlan(Planner.plan(problem, options: PlanOptions(timeLimit: 20)), for: problem)
        #expect(plan.unplaced.isEmpty)
        let report = PlanReport(plan).summary
        #expect(report.buy == expected)
        #expect(report.cost == cost)
    }

    @Test func aCatalogModelWithoutACostIsRefused() {
        let path = Support.file("models.csv", "model,cpu_cores,cpu_mhz,memory_mb,cost\nfree,8,2000,8192,0\n")
        #expect(throws: InputError(file: path, line: 2, "model 'free' needs a cost above 0: the catalog is what can be bought")) {
            try HostInventoryFile.readCatalog(path)
        }
    }
}
