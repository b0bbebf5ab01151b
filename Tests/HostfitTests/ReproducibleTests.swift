import Foundation
import Synchronization
import Testing
@testable import Hostfit

/// A plan is a function of its inputs, options and seed: its phases stop on counted work,
/// not on the clock, so a second run, one with both cores busy with something else, and one
/// on a slower build all give the same plan. The time limit is only a safety cap, and a plan
/// it cut short says so.
@Suite("Reproducible plans")
struct ReproducibleTests {
    /// 2,000 VMs over four six-hour buckets, two resources: CPU that peaks at some time of
    /// the day, and flat memory, on 250 hosts of two sizes. (Small in buckets: a debug build
    /// plans it some 40 times slower than a release build.)
    static func generated(seed: UInt64 = 7) -> PlacementProblem {
        var rng = SeededGenerator(seed: seed)
        let buckets = 4, vmCount = 2_000, hostCount = 250
        var demand: [Double] = []
        for _ in 0..<vmCount {
            let base = Double.random(in: 1...8, using: &rng), swing = Double.random(in: 0...6, using: &rng)
            let peak = Double(Int.random(in: 0..<buckets, using: &rng))
            demand += (0..<buckets).map { b in base + swing * max(0, cos((Double(b) - peak) / Double(buckets) * 2 * .pi)) }
            demand += [Double](repeating: Double(Int.random(in: 2...64, using: &rng)), count: buckets)
        }
        let big = (0..<hostCount).map { $0 % 3 == 0 }
        let capacity: [Double] = big.flatMap { (b: Bool) -> [Double] in b ? [96, 768] : [64, 512] }
        return PlacementProblem(hosts: (0..<hostCount).map { VMHost(id: "h\($0)", cpuCores: big[$0] ? 96 : 64, cpuMHzPerCore: 1, memoryMB: 0) },
                                vms: (0..<vmCount).map { VM(id: "v\($0)", vcpus: 4, memoryMB: 0) },
                                resources: [Resource.counted("cpu"), Resource.counted("memory")], headroom: Headroom(), buckets: buckets,
                                capacity: capacity, rawCapacity: capacity, demand: demand, mhzPerVCPU: 1, notes: [])
    }

    /// Keeps every core busy until stopped: the load another process would put on the machine.
    final class Load: Sendable {
        private let running = Atomic<Bool>(true)
        init() {
            for _ in 0..<max(2, ProcessInfo.processInfo.activeProcessorCount) {
                Thread.detachNewThread { [self] in
                    var x = 1.0
                    while running.load(ordering: .relaxed) { for _ in 0..<10_000 { x = x * 1.000001 + 1e-9 } }
                    _ = x
                }
            }
        }
        func stop() { running.store(false, ordering: .relaxed) }
    }

    /// A small effort (a debug build does the same work some 40 times slower) and a generous cap.
    static func options(_ solver: SolverChoice) -> PlanOptions {
        PlanOptions(solver: solver, timeLimit: 600, effort: Effort(seconds: 0.01), seed: 3)
    }

    /// The same plan twice (a debug build, some 40 times slower than the release build the
    /// work units were measured on, stands for a slow machine; SampleData's test adds load), with GLPK's phases
    /// (auto: column generation and the ILP as the problem allows) and without; and more
    /// effort never gives a worse plan (each phase only replaces the plan with a better one).
    @Test(arguments: [SolverChoice.heuristic, .auto])
    func theGeneratedEstatePlansTheSameTwice(solver: SolverChoice) throws {
        let problem = Self.generated()
        let first = Planner.plan(problem, options: Self.options(solver))
        let second = Planner.plan(problem, options: Self.options(solver))
        #expect(first.assignment == second.assignment)
        #expect(first.work.units == second.work.units)
        #expect(!first.work.stoppedByClock && !second.work.stoppedByClock)
        // Phases stop between steps; one step (a GLPK solve, the even repack) may overshoot.
        #expect(first.work.units > 0 && first.work.units <= 0.01e6 + 50_000)
        #expect(first.assignment.placedCount == problem.vmCount)
        #expect(throws: Never.self) { try ValidatedPlan(first, for: problem) }
        guard solver == .auto else { return }
        var options = Self.options(.auto)
        options.effort = Effort(seconds: 0.03)
        let longer = Planner.plan(problem, options: options)
        #expect(longer.hostsUsed <= first.hostsUsed)
        #expect(longer.work.units >= first.work.units)
    }

    /// SampleData's history (50 VMs, five-minute buckets) with the CLI's defaults but a small
    /// effort: the same placement twice, the second under load.
    /// The same samples cut into three files (read by two workers) or in one: the same
    /// profiles, to the last digit. (Summing in another order, or a median interval of the
    /// first values each worker saw, used to move means and expected samples.)
    @Test func profilesDoNotDependOnHowTheFilesAreCut() throws {
        let cut = SparkTests.azureLayout()
        let whole = Support.temporaryDirectory()
        var rows = ""
        for day in 1...3 { rows += try String(contentsOfFile: "\(cut)/vm_cpu_readings-file-\(day)-of-3.csv", encoding: .utf8) }
        try rows.write(toFile: whole + "/vm_cpu_readings-all.csv", atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: cut + "/vmtable.csv", toPath: whole + "/vmtable.csv")
        func profiles(_ folder: String) throws -> String {
            let read = try TraceLoader.read([folder], scheme: .hourOfWeek)
            return ProfileReport.csv(ProfileBuilder.build(read, options: ProfileBuilder.Options(coreMHz: 2400)))
        }
        let a = try profiles(cut), b = try profiles(whole)
        #expect(a.split(separator: "\n").count == 25 && a == b)
    }

    @Test func sampleDataPlansTheSameUnderLoad() throws {
        let sample = Support.sampleData
        let vms = try VMInventoryFile.read(sample + "/vms.csv")
        let demand = try TracedDemand.read([sample + "/traces"], inventory: vms)
        let problem = try PlacementProblem(hosts: try HostInventoryFile.read(sample + "/hosts.csv"), vms: vms, demand: demand,
                                           headroom: try Headroom(parsing: "cpu=80,memory=90"))
        let options = Self.options(.auto)
        let first = try ValidatedPlan(Planner.plan(problem, options: options), for: problem)
        let load = Load()
        let second = try ValidatedPlan(Planner.plan(problem, options: options), for: problem)
        load.stop()
        #expect(first.placement == second.placement)
        #expect(PlanReport(first).hostsCSV() == PlanReport(second).hostsCSV())
        var a = PlanReport(first).summary, b = PlanReport(second).summary
        #expect(a.stoppedByTimeLimit == false)
        a.runTimeS = 0
        b.runTimeS = 0
        #expect(a == b)
    }

    /// The cap still holds: an effort far beyond the time limit stops on the clock, and the
    /// plan says that another machine may plan differently.
    @Test func aPlanTheClockCutShortSaysSo() throws {
        let problem = LargeNeighbourhoodSearchTests.planted(seed: 5, hosts: 30, perHost: 6, buckets: 24)
        let options = PlanOptions(solver: .auto, timeLimit: 0.5, effort: Effort(seconds: 1_000), seed: 3)
        let started = ContinuousClock.now
        let outcome = Planner.plan(problem, options: options)
        #expect(started.duration(to: .now) < .seconds(5))
        #expect(outcome.work.stoppedByClock)
        let plan = try ValidatedPlan(outcome, for: problem)
        #expect(PlanReport(plan).summary.headline.contains("stopped by the time limit: another machine may plan differently"))
    }

    @Test func effortReadsPresetsAndNumbers() {
        #expect(Effort("quick") == .quick && Effort("Thorough") == .thorough)
        #expect(Effort("2.5")?.seconds == 2.5)
        #expect(Effort("0") == nil && Effort("-1") == nil && Effort("fast") == nil && Effort("nan") == nil)
        #expect(Effort.standard(timeLimit: 60) == .normal && Effort.standard(timeLimit: 5).seconds == 4)
        #expect(Effort.standardTimeLimit(for: nil) == 60 && Effort.standardTimeLimit(for: .thorough) == 160)
    }
}
