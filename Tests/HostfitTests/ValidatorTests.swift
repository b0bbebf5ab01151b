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
