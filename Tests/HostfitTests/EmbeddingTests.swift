import Foundation
import Hostfit  // not @testable: only what an embedder sees
import Testing

/// The library as another Swift program uses it: inventory and traces in, a validated plan
/// out, in a few lines, with nothing from the CLI. Importing Foundation too proves that the
/// host type does not clash with Foundation's `Host`.
@Suite("Embedding the library")
struct EmbeddingTests {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("SampleData").path

    @Test(arguments: DemandSizing.allCases)
    func inventoryAndTracesInValidatedPlanOut(sizing: DemandSizing) throws {
        let hosts: [VMHost] = try HostInventoryFile.read(Self.sample + "/hosts.csv")
        let vms = try VMInventoryFile.read(Self.sample + "/vms.csv")
        let demand = try TracedDemand.read([Self.sample + "/traces"], sizing: sizing, percentile: 80, inventory: vms)
        let problem = try PlacementProblem(hosts: hosts, vms: vms, demand: demand, headroom: try Headroom(parsing: "cpu=80,memory=90"))
        var options = PlanOptions(timeLimit: 3)
        options.seed = 2
        let plan = try ValidatedPlan(Planner.plan(problem, options: options), for: problem)

        #expect(plan.placement.entries.count + plan.unplaced.count == vms.count)
        #expect(plan.hostsUsed >= plan.outcome.lowerBound.hosts || !plan.unplaced.isEmpty)
        #expect(sizing == .history ? problem.buckets > 4000 : problem.buckets == (sizing == .profile ? 168 : 1))
        if sizing != .allocation { #expect(plan.unplaced.isEmpty, "\(sizing): \(plan.unplaced)") }
    }

    /// `--sizing percentile --percentile 80` plans on each VM's p80, not on a rounded level.
    @Test func percentileSizingPlansOnTheAskedPercentile() throws {
        let hosts = try HostInventoryFile.read(Self.sample + "/hosts.csv")
        let vms = try VMInventoryFile.read(Self.sample + "/vms.csv")
        let demand = try TracedDemand.read([Self.sample + "/traces"], sizing: .percentile, percentile: 80, inventory: vms)
        let problem = try PlacementProblem(hosts: hosts, vms: vms, demand: demand)
        guard case .profiles(let set) = demand.source else { Issue.record("percentile sizing reads profiles"); return }
        let cpu = try #require(problem.resources.firstIndex(of: .cpu))
        var between = 0
        for profile in set.profiles {
            guard let v = problem.vms.firstIndex(where: { $0.id == profile.entity }), let p = profile.profile(of: .cpu) else { continue }
            let planned = problem.demand(v, cpu, 0)
            #expect(planned == p.atPercentile)
            #expect(planned >= p.p50 - 1e-9 && planned <= p.p90 + 1e-9)
            if planned > p.p50 + 1e-6 && planned < p.p90 - 1e-6 { between += 1 }
        }
        #expect(between > set.profiles.count / 2, "p80 lies strictly between p50 and p90 for most VMs")
    }

    /// A plan and traces in, the replay out: a plan of the history itself never exceeds its
    /// headroom on that history, and the VMs without a trace are named.
    @Test func replayTakesAPlanAndTraces() throws {
        let hosts = try HostInventoryFile.read(Self.sample + "/hosts.csv")
        let vms = try VMInventoryFile.read(Self.sample + "/vms.csv")
        let demand = try TracedDemand.read([Self.sample + "/traces"], inventory: vms)
        let headroom = try Headroom(parsing: "cpu=80,memory=90")
        let problem = try PlacementProblem(hosts: hosts, vms: vms, demand: demand, headroom: headroom)
        let plan = try ValidatedPlan(Planner.plan(problem, options: PlanOptions(solver: .heuristic)), for: problem)
        let replay = try Replay.stream(plan.placement, hosts: hosts, traces: [Self.sample + "/traces"], headroom: headroom, inventory: vms).result
        #expect(replay.hostIntervals == plan.hostsUsed * problem.buckets)
        #expect(replay.overHeadroom == 0 && replay.overCapacity == 0)
        #expect(replay.missing.count == vms.count - demand.traced.intersection(vms.map(\.id)).count)
        #expect(!replay.missing.isEmpty)
    }

    /// A new VM "like rnd-1" has rnd-1's demand at every interval; an unknown model is an error.
    @Test func aVMLikeAnotherTakesItsDemand() throws {
        let hosts = try HostInventoryFile.read(Self.sample + "/hosts.csv")
        var vms = try VMInventoryFile.read(Self.sample + "/vms.csv")
        var clone = VM(id: "clone", vcpus: 2, memoryMB: 8192)
        clone.demandLike = "rnd-1"
        vms.append(clone)
        let demand = try TracedDemand.read([Self.sample + "/traces"], sizing: .profile, inventory: vms)
        let problem = try PlacementProblem(hosts: hosts, vms: vms, demand: demand)
        let a = try #require(problem.vm(named: "rnd-1")), b = try #require(problem.vm(named: "clone"))
        for r in 0..<problem.resourceCount where problem.resources[r] != .vcpuAllocation {
            #expect((0..<problem.buckets).allSatisfy { problem.demand(a, r, $0) == problem.demand(b, r, $0) })
        }
        vms[vms.count - 1].demandLike = "rnd-999"
        #expect(throws: PlanningInputError.self) { try PlacementProblem(hosts: hosts, vms: vms, demand: demand) }
    }

    /// Expected CPU as a percentage of the VM's vCPUs, at the fastest host's clock.
    @Test func cpuPercentInAVMFileBecomesMHz() throws {
        let file = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("pct-\(UUID().uuidString).csv").path
        try "vm,vcpus,memory_mb,cpu_pct\nnew,4,8192,25\n".write(toFile: file, atomically: true, encoding: .utf8)
        let hosts = [VMHost(id: "h", cpuCores: 16, cpuMHzPerCore: 2500, memoryMB: 65536)]
        let problem = try PlacementProblem(hosts: hosts, vms: try VMInventoryFile.read(file))
        #expect(problem.demand(0, try #require(problem.resources.firstIndex(of: .cpu)), 0) == 2500)
        try "vm,vcpus,memory_mb,cpu_pct\nnew,4,8192,250\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(throws: InputError.self) { try VMInventoryFile.read(file) }
    }

    @Test func noHostsOrNoVMsIsAnInputError() {
        #expect(throws: PlanningInputError.self) { try PlacementProblem(hosts: [], vms: [VM(id: "a", vcpus: 1, memoryMB: 1)]) }
        #expect(throws: PlanningInputError.self) {
            try PlacementProblem(hosts: [VMHost(id: "h", cpuCores: 1, cpuMHzPerCore: 1, memoryMB: 1)], vms: nil)
        }
    }
}
