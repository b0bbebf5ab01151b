import Foundation
import Testing
@testable import Hostfit

/// Each plan has its own stop and its own GLPK trace: nothing is shared by the process.
@Suite("Plan control")
struct PlanControlTests {
    /// Scholl's "hard" shape: 3-4 VMs of 20-35% of a host, where bounds and plans meet late,
    /// so a plan runs until its limit or its stop.
    static func hardProblem(seed: UInt64) -> PlacementProblem {
        var rng = SeededGenerator(seed: seed)
        return Support.binPacking(capacity: 100_000, weights: (0..<160).map { _ in Double(Int.random(in: 20_000...35_000, using: &rng)) })
    }

    @Test func stoppingOnePlanLeavesTheOtherRunning() async throws {
        var stopped = PlanOptions(solver: .auto, timeLimit: 60)
        stopped.improve = false
        var free = PlanOptions(solver: .auto, timeLimit: 3)
        free.improve = false
        let a = Self.hardProblem(seed: 7), b = Self.hardProblem(seed: 7)
        let stop = stopped.stop
        async let first = Task.detached { Planner.plan(a, options: stopped) }.value
        async let second = Task.detached { Planner.plan(b, options: free) }.value
        try await Task.sleep(for: .milliseconds(700))
        stop.requestStop()
        let (one, other) = await (first, second)
        // Within seconds, not at its 60 s limit (a debug build under the whole parallel suite
        // took 13.5 s once: a GLPK solve or pricing round ends before the stop is seen).
        #expect(one.seconds < 25, "the stopped plan ends within seconds, not at its 60 s limit")
        #expect(one.notes.contains { $0.code == .stopped })
        #expect(one.assignment.placedCount == a.vmCount, "a stopped plan keeps its best plan so far")
        #expect(!other.notes.contains { $0.code == .stopped }, "the other plan was not stopped")
        // A plan started after the stop runs as usual: the stop belonged to one plan only.
        let later = Planner.plan(b, options: free)
        #expect(!later.notes.contains { $0.code == .stopped })
        #expect(later.hostsUsed == other.hostsUsed || later.seconds > 1)
    }

    @Test func glpkTraceGoesToTheCallerOnly() {
        // Five VMs of 4 on hosts of 10: the bounds say 2, the optimum is 3. Anti-affinity
        // between two of them keeps column generation out, so GLPK's ILP proves it.
        let hosts = (0..<5).map { VMHost(id: "b\($0)", cpuCores: 1, cpuMHzPerCore: 1, memoryMB: 10) }
        let vms = (0..<5).map { VM(id: "i\($0)", vcpus: 1, memoryMB: 4, antiAffinity: $0 < 2 ? ["apart"] : [], measured: [.cpu: 0]) }
        let problem = PlacementProblem(inventory: Inventory(hosts: hosts, vms: vms), headroom: try! Headroom(parsing: "memory=100"))
        let lines = LockedLines()
        var traced = PlanOptions(solver: .ilp, timeLimit: 5)
        traced.glpkTrace = { lines.append($0) }
        let outcome = Planner.plan(problem, options: traced)
        #expect(outcome.provenance.steps.contains(.ilp))
        #expect(outcome.status == .optimal && outcome.hostsUsed == 3)
        let seen = lines.all.joined()
        #expect(seen.contains("INTEGER OPTIMAL SOLUTION FOUND") || seen.contains("Integer optimization begins"), "GLPK's log reached the trace: \(seen.prefix(300))")
        // Without a trace nothing is collected (and nothing printed: the CLI tests read stderr).
        let count = lines.all.count
        var silent = traced
        silent.glpkTrace = nil
        _ = Planner.plan(problem, options: silent)
        #expect(lines.all.count == count)
    }
}

/// Lines collected from another thread.
final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}
