import Foundation
import Testing
@testable import Hostfit

@Suite("Placement rules")
struct RuleTests {
    func host(_ id: String, cluster: String = "a", cores: Int = 16, memory: Double = 65536, tags: Set<String> = [], state: VMHost.State = .active) -> VMHost {
        VMHost(id: id, cluster: cluster, cpuCores: cores, cpuMHzPerCore: 2000, memoryMB: memory, tags: tags, state: state)
    }

    func vm(_ id: String, cpu: Double = 2000, memory: Double = 8192, host: String? = nil, requires: Set<String> = [],
            affinity: Set<String> = [], anti: Set<String> = [], pinned: Bool = false, vcpus: Int = 2) -> VM {
        VM(id: id, vcpus: vcpus, memoryMB: memory, currentHost: host, requires: requires, affinity: affinity, antiAffinity: anti,
           measured: [.cpu: cpu, .memory: memory], pinned: pinned)
    }

    func plan(_ hosts: [VMHost], _ vms: [VM], rules: PlacementRules = PlacementRules(), solver: SolverChoice = .auto) throws -> (PlacementProblem, ValidatedPlan) {
        let problem = PlacementProblem(inventory: Inventory(hosts: hosts, vms: vms), headroom: Headroom(), rules: rules)
        let plan = try ValidatedPlan(Planner.plan(problem, options: PlanOptions(solver: solver, timeLimit: 5)), for: problem)
        return (problem, plan)
    }

    func hostOf(_ plan: ValidatedPlan, _ vm: String) -> String? {
        plan.placement.entries.first { $0.vm == vm }?.host
    }

    @Test(arguments: [SolverChoice.heuristic, .ilp])
    func licencePoolVMsStayInTheirPool(solver: SolverChoice) throws {
        let hosts = [host("h1"), host("h2"), host("oracle1", tags: ["oracle"]), host("oracle2", tags: ["oracle", "ssd"])]
        let vms = (0..<6).map { vm("db\($0)", requires: ["oracle"]) } + (0..<6).map { vm("web\($0)") }
        let (_, plan) = try plan(hosts, vms, solver: solver)
        for k in 0..<6 { #expect(hostOf(plan, "db\(k)")?.hasPrefix("oracle") == true) }
        #expect(plan.unplaced.isEmpty)
    }

    @Test(arguments: [SolverChoice.heuristic, .ilp])
    func antiAffineVMsNeverShareAHost(solver: SolverChoice) throws {
        let hosts = (1...4).map { host("h\($0)") }
        let vms = (0..<3).map { vm("node\($0)", cpu: 100, memory: 1024, anti: ["cluster-nodes"]) } + [vm("other", cpu: 100, memory: 1024)]
        let (_, plan) = try plan(hosts, vms, solver: solver)
        let hostsUsed = (0..<3).compactMap { hostOf(plan, "node\($0)") }
        #expect(Set(hostsUsed).count == 3)
        #expect(plan.hostsUsed == 3, "the fourth VM joins one of them")
    }

    @Test(arguments: [SolverChoice.heuristic, .ilp])
    func affineVMsShareAHostAndPinnedOnesStay(solver: SolverChoice) throws {
        let hosts = (1...3).map { host("h\($0)") }
        let vms = [vm("app", affinity: ["pair"]), vm("cache", affinity: ["pair"]), vm("fixed", host: "h3", pinned: true), vm("free")]
        let (_, plan) = try plan(hosts, vms, solver: solver)
        #expect(hostOf(plan, "app") != nil && hostOf(plan, "app") == hostOf(plan, "cache"))
        #expect(hostOf(plan, "fixed") == "h3")
    }

    @Test func overcommitRatiosHoldOnAllocations() throws {
        // 8 VMs of 4 vCPUs on 16-core hosts at 1:1 need two hosts whatever their small demand.
        let vms = (0..<8).map { vm("v\($0)", cpu: 10, memory: 512, vcpus: 4) }
        let (_, loose) = try plan([host("h1"), host("h2")], vms)
        #expect(loose.hostsUsed == 1)
        let (problem, strict) = try plan([host("h1"), host("h2")], vms, rules: PlacementRules(vcpusPerCore: 1))
        #expect(strict.hostsUsed == 2)
        var crowded = strict.placement
        crowded.entries = crowded.entries.map { Placement.Entry(vm: $0.vm, host: "h1") }
        #expect(PlanValidator.violations(of: crowded, in: problem).contains { $0.rule == .overcommit })
    }

    /// N+1, checked the hard way: take away each used host in turn; the rest of its cluster
    /// (with headroom) must still hold the whole cluster's demand.
    @Test(arguments: [1, 2])
    func nPlusKSurvivesLosingAnyHosts(k: Int) throws {
        let hosts = (1...8).map { host("h\($0)", cluster: $0 <= 5 ? "east" : "west") }
        let vms = (0..<14).map { vm("v\($0)", cpu: 4000, memory: 8192) }
        let (problem, plan) = try plan(hosts, vms, rules: PlacementRules(reserve: k))
        #expect(plan.unplaced.isEmpty)
        let used: [String] = Array(Set(plan.placement.entries.map { $0.host })).sorted()
        func clusterOf(_ host: String) -> String { problem.hosts[problem.hostIndex[host]!].cluster }
        for failed in used.combinations(k) {
            for cluster in ["east", "west"] {
                let survivors = used.filter { clusterOf($0) == cluster && !failed.contains($0) }
                var demand = 0.0
                for entry in plan.placement.entries where clusterOf(entry.host) == cluster {
                    demand += problem.demand(problem.vmIndex[entry.vm]!, 0, 0)
                }
                var capacity = 0.0
                for survivor in survivors { capacity += problem.capacity(problem.hostIndex[survivor]!, 0) }
                #expect(demand <= capacity + 1e-6, "lose \(failed): \(cluster) needs \(demand) MHz, has \(capacity)")
            }
        }
        let (_, without) = try self.plan(hosts, vms)
        #expect(plan.hostsUsed > without.hostsUsed, "the reserve costs hosts")
    }

    @Test func contradictoryRulesLeaveVMsUnplacedWithTheRuleName() throws {
        let hosts = [host("h1"), host("h2"), host("dead", state: .failed)]
        let vms = [
            vm("needs-gpu", requires: ["gpu"]),
            vm("a", affinity: ["g"], anti: ["x"]), vm("b", affinity: ["g"], anti: ["x"]),
            vm("stuck", host: "dead", pinned: true),
            vm("fine"),
        ]
        let (_, plan) = try plan(hosts, vms)
        var reasons: [String: String] = [:]
        for item in plan.unplaced { reasons[item.vm] = item.reason }
        #expect(reasons["needs-gpu"] == "[requires] requires tag 'gpu', which no host has (0/3 hosts fit: 2 tag gpu, 1 failed)")
        #expect(reasons["a"]?.hasPrefix("[affinity]") == true && reasons["b"]?.hasPrefix("[affinity]") == true)
        #expect(reasons["stuck"] == "[pinned] pinned to 'dead', which is failed (0/3 hosts fit: 2 pinned, 1 failed)")
        #expect(hostOf(plan, "fine") != nil)
    }

    /// Random instances with random rules: every solver's plan passes the validator.
    @Test(arguments: 0..<25)
    func randomRulesAlwaysGiveValidPlans(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed + 100)
        let hosts = (0..<Int.random(in: 3...7, using: &rng)).map { h in
            let state: VMHost.State = Int.random(in: 0..<6, using: &rng) == 0 ? .maintenance : .active
            let tags: Set<String> = Bool.random(using: &rng) ? ["pool"] : []
            return host("h\(h)", cluster: ["a", "b"].randomElement(using: &rng)!, cores: [8, 16].randomElement(using: &rng)!, tags: tags, state: state)
        }
        let vms = (0..<Int.random(in: 4...24, using: &rng)).map { v in
            vm("v\(v)", cpu: Double(Int.random(in: 100...9000, using: &rng)), memory: Double(Int.random(in: 512...30000, using: &rng)),
               host: Int.random(in: 0..<8, using: &rng) == 0 ? hosts.randomElement(using: &rng)!.id : nil,
               requires: Int.random(in: 0..<5, using: &rng) == 0 ? ["pool"] : [],
               affinity: Int.random(in: 0..<6, using: &rng) == 0 ? ["aff\(Int.random(in: 0..<2, using: &rng))"] : [],
               anti: Int.random(in: 0..<4, using: &rng) == 0 ? ["anti\(Int.random(in: 0..<2, using: &rng))"] : [],
               vcpus: Int.random(in: 1...8, using: &rng))
        }.map { vm -> VM in var vm = vm; vm.pinned = vm.currentHost != nil && Bool.random(using: &rng); return vm }
        let rules = PlacementRules(vcpusPerCore: Bool.random(using: &rng) ? 2 : nil, reserve: Int.random(in: 0...1, using: &rng))
        for solver in [SolverChoice.heuristic, .auto] {
            let problem = PlacementProblem(inventory: Inventory(hosts: hosts, vms: vms), headroom: Headroom(), rules: rules)
            let outcome = Planner.plan(problem, options: PlanOptions(solver: solver, timeLimit: 1))
            let violations = PlanValidator.violations(of: outcome.assignment.placement(in: problem), in: problem)
            #expect(violations.isEmpty, "seed \(seed), \(solver) via \(outcome.solver): \(violations)")
            // An empty plan passes the validator: the plan must also place what greedy packing does.
            #expect(outcome.assignment.placedCount >= Support.greedyPlaced(problem), "seed \(seed), \(solver)")
        }
    }
}

extension Array {
    /// All subsets of `k` elements.
    func combinations(_ k: Int) -> [[Element]] {
        guard k > 0 else { return [[]] }
        guard count >= k else { return [] }
        if k == count { return [self] }
        let head = self[0], rest = Array(dropFirst())
        return rest.combinations(k - 1).map { [head] + $0 } + rest.combinations(k)
    }
}
