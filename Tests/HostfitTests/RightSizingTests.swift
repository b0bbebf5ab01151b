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

    /// Each verdict from its rule, with 2,000 MHz cores, 1.3 comfort on CPU and memory on
    /// its peak x 1.1 (a static figure is its own peak).
    @Test func verdictsFollowTheirRules() {
        let vms = [
            Self.vm("idle", vcpus: 4, memory: 8192, cpu: 100, used: 1000, net: 0.01),           // 1.25% CPU, no network
            Self.vm("quiet-no-net", vcpus: 4, memory: 8192, cpu: 100, used: 1000, net: nil),    // never called idle
            Self.vm("big", vcpus: 8, memory: 32768, cpu: 2000, used: 4096, net: 5),             // 2 vCPUs, 4.5 GB would do
            Self.vm("hot", vcpus: 2, memory: 4096, cpu: 3900, used: 3900, net: 5),              // needs 3 vCPUs, 4.25 GB
            Self.vm("fit", vcpus: 2, memory: 4096, cpu: 3000, used: 3000, net: 5),              // 2 vCPUs, 3.25 GB
            Self.vm("no-memory", vcpus: 8, memory: 65536, cpu: 2000, used: 0, net: 5),          // memory_used_mb 0: unknown
        ]
        let sizing = RightSizing(vms: vms, demand: nil, mhzPerCore: { _ in 2000 })
        let by = Dictionary(uniqueKeysWithValues: sizing.rows.map { ($0.vm, $0) })
        #expect(by["idle"]?.verdict == .idle)
        #expect(by["quiet-no-net"]?.verdict == .oversized)
        #expect(by["quiet-no-net"]?.reason.contains("network not measured") == true)
        #expect(by["big"]?.verdict == .oversized && by["big"]?.recommendedVCPUs == 2 && by["big"]?.recommendedMemoryMB == 4608)
        #expect(by["hot"]?.verdict == .undersized && by["hot"]?.recommendedVCPUs == 3 && by["hot"]?.recommendedMemoryMB == 4352)
        #expect(by["hot"]?.cpuVerdict == .undersized && by["hot"]?.memoryVerdict == .undersized)
        #expect(by["fit"]?.verdict == .right && by["fit"]?.recommendedMemoryMB == 3328)
        let unmeasured = try! #require(by["no-memory"])
        #expect(unmeasured.memoryVerdict == .unknown && unmeasured.cpuVerdict == .oversized && unmeasured.verdict == .oversized)
        #expect(unmeasured.recommendedMemoryMB == 65536 && unmeasured.reason.contains("memory unknown: its stated use is 0"))
        #expect(sizing.reclaimableVCPUs == 3 + 3 + 6 + 6)
    }

    /// Memory is never recommended below its peak, and a counter that is mostly exactly 0
    /// is not read as a VM that uses nothing: its resource is unknown, the allocation is
    /// kept, confidence falls to one star, and the reason says why.
    @Test func memoryStandsOnItsPeakAndAMostlyZeroCounterIsUnknown() {
        let slots = 100
        // "steady": 2 GB with one 6 GB peak. "blind": 0 in 95 slots, 17 GB in 5 (rnd-27's shape).
        var steady = [Double](repeating: 2048, count: slots); steady[40] = 6144
        var blind = [Double](repeating: 0, count: slots); for k in 10..<15 { blind[k] = 17_408 }
        let cpu = [Double](repeating: 500, count: slots)
        let history = DemandHistory(start: 0, step: 300, slots: slots,
                                    series: ["steady": [.cpu: cpu, .memory: steady], "blind": [.cpu: cpu, .memory: blind]])
        let demand = TracedDemand(sizing: .history, source: .history(history))
        let vms = [VM(id: "steady", vcpus: 4, memoryMB: 16384), VM(id: "blind", vcpus: 32, memoryMB: 523_734)]
        let by = Dictionary(uniqueKeysWithValues: RightSizing(vms: vms, demand: demand, mhzPerCore: { _ in 2000 }).rows.map { ($0.vm, $0) })
        let steadyRow = try! #require(by["steady"]), blindRow = try! #require(by["blind"])
        #expect(steadyRow.memoryUsedMB == 2048, "p95 is 2 GB")
        #expect(steadyRow.recommendedMemoryMB == 6912 && steadyRow.memoryPeakMB == 6144, "the peak x 1.1, not p95 x 1.3")
        #expect(steadyRow.memoryVerdict == .oversized && steadyRow.confidenceStars == 5)
        #expect(blindRow.memoryVerdict == .unknown && blindRow.recommendedMemoryMB == 523_734)
        #expect(blindRow.confidenceStars == 1 && blindRow.cpuVerdict == .oversized)
        #expect(blindRow.reason.contains("memory unknown: its counter is exactly 0 in 95% of its samples (peak 17 GB): not measured, 511 GB kept"))
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
