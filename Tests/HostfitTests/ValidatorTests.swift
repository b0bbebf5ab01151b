import Testing
@testable import Hostfit

@Suite("Plan validator")
struct ValidatorTests {
    let problem: PlacementProblem = {
        let hosts = try! HostInventoryFile.read(Support.fixture("rules-hosts.csv"))
        let vms = try! VMInventoryFile.read(Support.fixture("rules-vms.csv"))
        return PlacementProblem(inventory: Inventory(hosts: hosts, vms: vms), headroom: Headroom())
    }()

    func rules(_ entries: [(String, String)]) -> [Violation.Rule] {
        PlanValidator.violations(of: Placement(entries.map { Placement.Entry(vm: $0.0, host: $0.1) }), in: problem).map(\.rule)
    }

    @Test func aValidPlanHasNoViolations() {
        #expect(rules([("v1", "big"), ("v2", "big"), ("v3", "small"), ("v4", "small")]).isEmpty)
    }

    @Test func eachRuleIsCaughtByName() {
        #expect(rules([("nobody", "big")]) == [.knownIDs])
        #expect(rules([("v1", "nowhere")]) == [.knownIDs])
        #expect(rules([("v3", "big"), ("v3", "small")]) == [.placedOnce])
        #expect(rules([("v3", "broken")]) == [.hostState])
        #expect(rules([("v3", "small"), ("v4", "small"), ("v1", "big"), ("v2", "small")]).contains(.maxVMs))
        // small has no GPU: a VM that needs one breaks capacity on res_gpu.
        #expect(rules([("v1", "small")]) == [.capacity])
        // 400 GB of memory on a 64 GB host.
        #expect(rules([("huge", "big")]).allSatisfy { $0 == .capacity })
    }

    @Test func capacityUsesHeadroom() {
        // Four VMs of 1,000 MHz on 8 x 2,000 MHz at 80% fit; with cpu=5% (800 MHz) they do not.
        let tight = PlacementProblem(inventory: Inventory(hosts: problem.hosts, vms: problem.vms), headroom: try! Headroom(parsing: "cpu=5"))
        let placement = Placement([Placement.Entry(vm: "v3", host: "small")])
        #expect(PlanValidator.violations(of: placement, in: problem).isEmpty)
        let violations = PlanValidator.violations(of: placement, in: tight)
        #expect(violations.map(\.rule) == [.capacity])
        #expect(violations.first?.message == "host 'small' needs 1000 MHz cpu, has 800 MHz cpu (5% of 16000 MHz cpu)")
    }
}

/// What a change broke is judged by rule and subject, not by how a message reads: the
/// same overload with other numbers is the same violation, a worse one counts as added.
@Suite("Violations a change adds")
struct AddedViolationTests {
    let hosts = [VMHost(id: "h1", cpuCores: 4, cpuMHzPerCore: 1000, memoryMB: 8192), VMHost(id: "h2", cpuCores: 4, cpuMHzPerCore: 1000, memoryMB: 8192)]

    func violations(_ vms: [VM]) -> [Violation] {
        let problem = PlacementProblem(inventory: Inventory(hosts: hosts, vms: vms), headroom: try! Headroom(parsing: "cpu=100,memory=100"))
        return PlanValidator.violations(of: Placement(vms.compactMap { vm in vm.currentHost.map { Placement.Entry(vm: vm.id, host: $0) } }), in: problem)
    }

    @Test func aWorseOverloadIsAddedAnUnchangedOneIsNot() {
        // h1 is already over on memory (a stricter headroom on restart, say): 10 GB on 8.
        let standing = [VM(id: "a", vcpus: 1, memoryMB: 10240, currentHost: "h1")]
        let before = Set(violations(standing))
        #expect(before.map(\.rule) == [.capacity])
        // A VM onto the other host: the overload on h1 is unchanged, nothing is added.
        let elsewhere = violations(standing + [VM(id: "b", vcpus: 1, memoryMB: 1024, currentHost: "h2")])
        #expect(elsewhere.added(since: before).isEmpty)
        // A VM onto h1: the same rule on the same subject, its message with other numbers,
        // but worse: added.
        let worse = violations(standing + [VM(id: "c", vcpus: 1, memoryMB: 1024, currentHost: "h1")])
        #expect(worse.count == 1 && worse[0] == before.first!, "same rule, same subject")
        #expect(worse[0].message != before.first!.message)
        #expect(worse.added(since: before).map(\.subject) == ["host 'h1' memory"])
        // A lighter load on the same host is no worse: not added.
        let lighter = violations([VM(id: "a", vcpus: 1, memoryMB: 9000, currentHost: "h1")])
        #expect(lighter.added(since: before).isEmpty)
        // Another host over is another violation, whatever the first.
        let second = violations(standing + [VM(id: "d", vcpus: 1, memoryMB: 9000, currentHost: "h2")])
        #expect(second.added(since: before).map(\.subject) == ["host 'h2' memory"])
    }
}
