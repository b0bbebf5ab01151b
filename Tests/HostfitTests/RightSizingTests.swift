import Foundation
import Testing
@testable import Hostfit

@Suite("Right-sizing and chargeback")
struct RightSizingTests {
    static func vm(_ id: String, vcpus: Int, memory: Double, cpu: Double, used: Double, net: Double?, centre: String? = nil) -> VM {
        var measured: [Resource: Double] = [.cpu: cpu, .memory: used]
        if let net { measured[.network] = net }
        var vm = VM(id: id, vcpus: vcpus, memoryMB: memory, measured: measured)
        vm.costCenter = centre
        return vm
    }

    /// Each verdict from its rule, with 2,000 MHz cores and the default 1.3 comfort.
    @Test func verdictsFollowTheirRules() {
        let vms = [
            Self.vm("idle", vcpus: 4, memory: 8192, cpu: 100, used: 1000, net: 0.01),           // 1.25% CPU, no network
            Self.vm("quiet-no-net", vcpus: 4, memory: 8192, cpu: 100, used: 1000, net: nil),    // never called idle
            Self.vm("big", vcpus: 8, memory: 32768, cpu: 2000, used: 4096, net: 5),             // 2 vCPUs, 5.25 GB would do
            Self.vm("hot", vcpus: 2, memory: 4096, cpu: 3900, used: 3500, net: 5),              // needs 3 vCPUs, 4.5 GB
            Self.vm("fit", vcpus: 2, memory: 4096, cpu: 3000, used: 3000, net: 5),              // 2 vCPUs, 3.75 GB
        ]
        let sizing = RightSizing(vms: vms, demand: nil, mhzPerCore: { _ in 2000 })
        let by = Dictionary(uniqueKeysWithValues: sizing.rows.map { ($0.vm, $0) })
        #expect(by["idle"]?.verdict == .idle)
        #expect(by["quiet-no-net"]?.verdict == .oversized)
        #expect(by["quiet-no-net"]?.reason.contains("network not measured") == true)
        #expect(by["big"]?.verdict == .oversized && by["big"]?.recommendedVCPUs == 2 && by["big"]?.recommendedMemoryMB == 5376)
        #expect(by["hot"]?.verdict == .undersized && by["hot"]?.recommendedVCPUs == 3 && by["hot"]?.recommendedMemoryMB == 4608)
        #expect(by["fit"]?.verdict == .right)
        #expect(sizing.reclaimableVCPUs == 3 + 3 + 6)
    }

    /// A host's cost splits by the VMs' share of its limiting resource, and the shares of
    /// every host add up to the hosts used.
    @Test func chargebackSplitsByTheLimitingResource() throws {
        var host = VMHost(id: "h", cpuCores: 10, cpuMHzPerCore: 1000, memoryMB: 100_000)
        host.cost = 9000
        // CPU limits (9,000 of 10,000 MHz, 1% of memory): a pays 2/3, b 1/3.
        let vms = [Self.vm("a", vcpus: 1, memory: 512, cpu: 6000, used: 900, net: 1, centre: "web"),
                   Self.vm("b", vcpus: 1, memory: 512, cpu: 3000, used: 100, net: 1, centre: "db")]
        let problem = try PlacementProblem(hosts: [host], vms: vms, headroom: try Headroom(parsing: "cpu=100"))
        let plan = try ValidatedPlan(Planner.plan(problem, options: PlanOptions(solver: .heuristic)), for: problem)
        let lines = Dictionary(uniqueKeysWithValues: Chargeback(plan).lines.map { ($0.costCenter, $0) })
        #expect(abs((lines["web"]?.cost ?? 0) - 6000) < 1e-6)
        #expect(abs((lines["db"]?.cost ?? 0) - 3000) < 1e-6)
        #expect(abs(Chargeback(plan).lines.reduce(0) { $0 + $1.hostShare } - Double(plan.hostsUsed)) < 1e-9)
    }
}
