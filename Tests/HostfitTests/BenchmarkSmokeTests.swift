import Foundation
import Testing
@testable import Hostfit

/// A quick subset of `make bench`'s bin-packing suites (issue 5): small instances the
/// planner must solve to proven optimality within a few seconds. BPPLIB and the vector
/// sets are not ours to ship: read from ../shared, skipped without it.
@Suite("Benchmark smoke", .enabled(if: Support.hasSharedData, "skipped: ../shared/data (BPPLIB and vector instances) is not beside this clone"))
struct BenchmarkSmokeTests {
    static let root = Support.sharedData + "/binpacking"

    @Test(arguments: [
        ("bpplib/2_Scholl/Scholl/Scholl_1/N1C1W1_A.txt", 25),
        ("bpplib/2_Scholl/Scholl/Scholl_1/N1C1W1_C.txt", 20),
        ("bpplib/1_Falkenauer/Falkenauer/Falkenauer_U/Falkenauer_u120_00.txt", 48),
        ("bpplib/1_Falkenauer/Falkenauer/Falkenauer_T/Falkenauer_t60_00.txt", 20),
        ("bpplib/4_Schwerin/Schwerin/Schwerin_1/Schwerin1_BPP1.txt", 18),
        ("vector/instances/Triplet_instances_multidim/Falkenauer/classF_60_3_0.vbp", 20),
        // Some sizes below zero: column generation handles negative demand.
        ("vector/instances/Triplet_instances_multidim/Caprara/classC_60_3_0.vbp", 20),
        ("vector/instances/Panigrahy_instances_multidim/class1/class1_20_3_0.vbp", 6),
        ("vector/instances/Panigrahy_instances_multidim/class2/class2_20_3_0.vbp", 13),
    ])
    func solvedToProvenOptimality(path: String, optimum: Int) throws {
        let problem = try Self.read(Self.root + "/" + path)
        let outcome = Planner.plan(problem, options: PlanOptions(timeLimit: 10))
        #expect(outcome.hostsUsed == optimum)
        #expect(outcome.status == .optimal)
        #expect(outcome.lowerBound.hosts == optimum)
        #expect(throws: Never.self) { try ValidatedPlan(outcome, for: problem) }
    }

    /// BPPLIB `.txt` (n, capacity, weights) or vector `.vbp` (dimensions, capacities, n,
    /// then sizes and a multiplicity per line): one host per item.
    static func read(_ path: String) throws -> PlacementProblem {
        let numbers = try String(contentsOfFile: path, encoding: .utf8).split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
        var capacity: [Double], items: [[Double]] = []
        if path.hasSuffix(".vbp") {
            let d = Int(numbers[0])
            capacity = Array(numbers[1...d])
            var k = d + 2
            for _ in 0..<Int(numbers[d + 1]) {
                items += Array(repeating: Array(numbers[k..<(k + d)]), count: Int(numbers[k + d]))
                k += d + 1
            }
        } else {
            capacity = [numbers[1]]
            items = numbers[2..<(2 + Int(numbers[0]))].map { [$0] }
        }
        let n = items.count
        let resources = capacity.indices.map { Resource.counted("d\($0 + 1)") }
        var caps: [Double] = []
        for _ in 0..<n { caps += capacity }
        return PlacementProblem(hosts: (0..<n).map { VMHost(id: "b\($0)", cpuCores: 1, cpuMHzPerCore: 1, memoryMB: 0) },
                                vms: (0..<n).map { VM(id: "i\($0)", vcpus: 1, memoryMB: 0) }, resources: resources,
                                headroom: Headroom(), buckets: 1, capacity: caps, rawCapacity: caps,
                                demand: items.flatMap { $0 }, mhzPerVCPU: 1, notes: [])
    }
}
