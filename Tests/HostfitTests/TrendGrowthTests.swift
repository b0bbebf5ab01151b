import Foundation
import Testing
@testable import Hostfit

/// Growth by each VM's own trend: only significant rises count, and none outgrows its VM.
@Suite("Trend growth")
struct TrendGrowthTests {
    @Test func mannKendallTellsARiseFromNoise() throws {
        // Strictly rising, n = 10: S = 45, Var(S) = 10·9·25/18 = 125, Z = (45 − 1)/√125.
        let z = try #require(TrendFit.mannKendallZ((0..<10).map(Double.init)))
        #expect(abs(z - 44 / 125.0.squareRoot()) < 1e-12)
        var random = SeededGenerator(seed: 17)
        let rising = (0..<21).map { Double($0) * 2 + Double.random(in: -6...6, using: &random) }
        let noise = (0..<21).map { _ in Double.random(in: 0...40, using: &random) }
        #expect(try #require(TrendFit.mannKendallZ(rising)) > DemandTrends.significance)
        #expect(try #require(TrendFit.mannKendallZ(rising.reversed())) < -DemandTrends.significance)
        #expect(abs(try #require(TrendFit.mannKendallZ(noise))) < DemandTrends.significance)
        #expect(TrendFit.mannKendallZ([3, 3, 3, 3]) == 0)
        #expect(TrendFit.mannKendallZ([1, 2]) == nil)
    }

    static func problem() -> PlacementProblem {
        let hosts = [VMHost(id: "h1", cpuCores: 8, cpuMHzPerCore: 2000, memoryMB: 65536)]
        let vms = ["a", "b", "c"].map { VM(id: $0, vcpus: 2, memoryMB: 4096, measured: [.cpu: 1000, .memory: 2000]) }
        return PlacementProblem(inventory: Inventory(hosts: hosts, vms: vms), headroom: Headroom())
    }

    static let trends = DemandTrends(rising: ["a": [.cpu: .init(perDay: 100, days: 20), .memory: .init(perDay: 100, days: 20)]],
                                     judged: ["a", "b"], mhzPerVCPU: ["a": 2000], longestDays: 20)

    func demand(_ p: PlacementProblem, _ v: Int, _ resource: Resource) -> Double {
        let r = p.resources.firstIndex(of: resource)!
        return p.demand[(v * p.resources.count + r) * p.buckets]
    }

    /// Linear by the day; "b" (judged, no rise) and "c" (too little history) stay put.
    @Test func risingVMsGrowLinearlyAndTheRestStay() {
        let grown = Self.problem().grown(by: Self.trends, months: 0.5)
        let days = 0.5 * 365.25 / 12
        #expect(abs(demand(grown.problem, 0, .cpu) - (1000 + 100 * days)) < 1e-6)
        #expect(abs(demand(grown.problem, 0, .memory) - (2000 + 100 * days)) < 1e-6)
        for v in 1...2 {
            #expect(demand(grown.problem, v, .cpu) == 1000)
            #expect(demand(grown.problem, v, .memory) == 2000)
        }
        #expect(grown.grown == 1 && grown.unjudged == 1)
        #expect(grown.note.contains("1 have under 14 days"))
        #expect(grown.problem.notes.contains(grown.note))
    }

    /// A VM cannot outgrow its vCPUs or its memory without a resize: the trend stops there.
    @Test func growthStopsAtTheAllocation() {
        let grown = Self.problem().grown(by: Self.trends, months: 24).problem
        #expect(demand(grown, 0, .cpu) == 2 * 2000)
        #expect(demand(grown, 0, .memory) == 4096)
        let note = Self.problem().grown(by: Self.trends, months: 24).note
        #expect(note.contains("20 days of history extrapolated 24 months"), "\(note)")
    }

    /// `plan --trend-months` needs traces to fit trends on, and says so.
    @Test func trendMonthsWithoutTracesIsAnError() throws {
        let run = try CLITests().hostfit("plan", "--hosts", Support.sampleData + "/hosts.csv", "--vms", Support.sampleData + "/vms.csv",
                                         "--trend-months", "3", "--out", Support.temporaryDirectory() + "/p")
        #expect(run.code == 2)
        #expect(run.stderr.contains("--trend-months needs --traces or --profiles"), "\(run.stderr)")
    }
}
