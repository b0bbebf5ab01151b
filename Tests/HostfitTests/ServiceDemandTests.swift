import Foundation
import Testing
@testable import Hostfit
@testable import HostfitService

/// How the service turns VMs into demand: an inventory that states no CPU use is planned on
/// allocated vCPUs (as the CLI plans it), VMs with traces on their hourly profiles; both
/// survive a restart, and VMs that state their use are still held to it.
@Suite("Service demand")
struct ServiceDemandTests {
    let hosts = [VMHost(id: "h0", cpuCores: 8, cpuMHzPerCore: 2000, memoryMB: 262_144),
                 VMHost(id: "h1", cpuCores: 8, cpuMHzPerCore: 2000, memoryMB: 262_144)]

    func json(_ answer: DeskAnswer) -> [String: Any] { answer.json }

    @Test func theChoiceFollowsTheFlagThenTheStoreThenTheVMs() {
        let busy = (0..<17).map { VM(id: "v\($0)", vcpus: 2, memoryMB: 1024, currentHost: "h0") }
        let auto = ServiceDemand.choose(given: nil, stored: nil, vms: busy, hosts: hosts)
        #expect(auto.cpu == .allocated(vcpusPerCore: 4.3), "34 vCPUs on 8 cores run on h0 today")
        #expect(auto.note.contains("'h0'"))
        let calm = Array(busy.prefix(4))
        #expect(ServiceDemand.choose(given: nil, stored: nil, vms: calm, hosts: hosts).cpu == .allocated(vcpusPerCore: 4))
        var measured = calm
        measured[0].measured[.cpu] = 500
        #expect(ServiceDemand.choose(given: nil, stored: nil, vms: measured, hosts: hosts).cpu == .used)
        #expect(ServiceDemand.choose(given: nil, stored: nil, vms: [], hosts: hosts).cpu == .used)
        #expect(ServiceDemand.choose(given: nil, stored: .allocated(vcpusPerCore: 6), vms: measured, hosts: hosts).cpu == .allocated(vcpusPerCore: 6))
        #expect(ServiceDemand.choose(given: .some(nil), stored: .allocated(vcpusPerCore: 6), vms: busy, hosts: hosts).cpu == .used)
        #expect(ServiceDemand.choose(given: 8, stored: nil, vms: measured, hosts: hosts).cpu == .allocated(vcpusPerCore: 8))
        #expect(ServiceDemand.CPU(stored: ServiceDemand.CPU.allocated(vcpusPerCore: 4.3).stored) == .allocated(vcpusPerCore: 4.3))
        #expect(ServiceDemand.CPU(stored: "allocated:-1") == nil)
    }

    @Test func allocatedVCPUsFillCoresAtTheRatioAndSurviveARestart() async throws {
        let path = "\(Support.temporaryDirectory())/sizing.sqlite"
        let desk = try PlacementDesk(store: try ServiceStore(path: path))
        #expect(await DeskAnswer.of() { () async throws(DeskError) in try await desk.putHosts(hosts.map(HostRecord.init)) }.status == 200)
        // An inventory of allocations only: one VM of 8 vCPUs runs on h0.
        let file = InputRead(items: [VM(id: "old", vcpus: 8, memoryMB: 4096, currentHost: "h0")], format: "vms.csv")
        let note = try await desk.chooseCPU(given: nil, startingWith: file)
        #expect(note.contains("at most 4 per core"))
        #expect(await DeskAnswer.of() { () async throws(DeskError) in try await desk.putVMs(file) }.status == 200)
        // 2 hosts x 8 cores x 4 = 64 vCPUs; 8 are taken: 14 VMs of 4 fit, not 15. Counted as
        // busy cores (4 x 2,000 MHz each), only 2 per host would.
        for k in 0..<14 {
            let answer = await DeskAnswer.of(201) { () async throws(DeskError) in try await desk.place([VMRecord(VM(id: "n\(k)", vcpus: 4, memoryMB: 2048))], idempotencyKey: nil) }
            #expect(answer.status == 201, "\(k): \(answer.body)")
        }
        let refused = await DeskAnswer.of(201) { () async throws(DeskError) in try await desk.place([VMRecord(VM(id: "n14", vcpus: 4, memoryMB: 2048))], idempotencyKey: nil) }
        #expect(refused.status == 409)
        #expect((json(refused)["error"] as? String ?? "").contains("vcpu"), "\(refused.body)")
        #expect(json(refused)["rule"] as? String != nil)
        // A VM that states its use is held to it as well: 20,000 MHz is more than a host has.
        #expect(await DeskAnswer.of() { () async throws(DeskError) in try await desk.release("n0") }.status == 200)
        let hungry = await DeskAnswer.of(201) { () async throws(DeskError) in try await desk.place([VMRecord(VM(id: "hot", vcpus: 1, memoryMB: 1024, measured: [.cpu: 20_000]))], idempotencyKey: nil) }
        #expect(hungry.status == 409, "\(hungry.body)")

        // Restarted on the same store, with a VM stating CPU use in it: still on allocations.
        let again = try PlacementDesk(store: try ServiceStore(path: path))
        #expect(await again.demand.cpu == .allocated(vcpusPerCore: 4))
        #expect(try await again.chooseCPU(given: nil, startingWith: nil).contains("as this store was started"))
        #expect(again.counts().placed == 14)
        #expect(await DeskAnswer.of(201) { () async throws(DeskError) in try await again.place([VMRecord(VM(id: "n0", vcpus: 4, memoryMB: 2048))], idempotencyKey: nil) }.status == 201)
        #expect(await DeskAnswer.of(201) { () async throws(DeskError) in try await again.place([VMRecord(VM(id: "n15", vcpus: 4, memoryMB: 2048))], idempotencyKey: nil) }.status == 409)
    }

    /// The same inventory on a store that plans CPU as used is refused, and says what to do.
    @Test func usedCPURefusesAnAllocationInventoryWithAHint() async throws {
        let desk = try PlacementDesk(store: try ServiceStore(path: "\(Support.temporaryDirectory())/used.sqlite"))
        #expect(await DeskAnswer.of() { () async throws(DeskError) in try await desk.putHosts(hosts.map(HostRecord.init)) }.status == 200)
        let file = InputRead(items: (0..<3).map { VM(id: "v\($0)", vcpus: 8, memoryMB: 4096, currentHost: "h0") }, format: "vms.csv")
        _ = try await desk.chooseCPU(given: .some(nil), startingWith: file)
        let answer = await DeskAnswer.of() { () async throws(DeskError) in try await desk.putVMs(file) }
        #expect(answer.status == 409)
        #expect((json(answer)["error"] as? String ?? "").contains("--vcpu-ratio"), "\(answer.body)")
    }

    /// Two VMs busy at different hours share a host their summed peaks would not fit; a
    /// third, static one must fit in every hour; the profiles survive a restart.
    @Test func profiledVMsShareAHostTheirPeaksWouldNot() async throws {
        let path = "\(Support.temporaryDirectory())/profiles.sqlite"
        let desk = try PlacementDesk(store: try ServiceStore(path: path), headroom: try Headroom(parsing: "cpu=100,memory=100"), goal: .consolidate)
        #expect(await DeskAnswer.of() { () async throws(DeskError) in try await desk.putHosts([HostRecord(VMHost(id: "h0", cpuCores: 10, cpuMHzPerCore: 1000, memoryMB: 65536))]) }.status == 200)
        func day(_ busy: Range<Int>, _ high: Double, _ low: Double) -> [Double] { (0..<24).map { busy.contains($0) ? high : low } }
        let profiles = ["day": ServiceProfile(scheme: .hourOfDay, series: [.cpu: day(8..<20, 7000, 1000)]),
                        "night": ServiceProfile(scheme: .hourOfDay, series: [.cpu: day(8..<20, 1000, 7000)])]
        let file = InputRead(items: [VM(id: "day", vcpus: 8, memoryMB: 1024, currentHost: "h0", measured: [.cpu: 7000]),
                                     VM(id: "night", vcpus: 8, memoryMB: 1024, currentHost: "h0", measured: [.cpu: 7000])], format: "vms.csv")
        _ = try await desk.chooseCPU(given: nil, startingWith: file, profiled: Set(profiles.keys))
        // On their peaks (14,000 MHz of 10,000) they could not run together; hour by hour they peak at 8,000.
        let loaded = await DeskAnswer.of() { () async throws(DeskError) in try await desk.putVMs(file, profiles: profiles) }
        #expect(loaded.status == 200, "\(loaded.body)")
        #expect(desk.counts().buckets == 24)
        #expect(await DeskAnswer.of(201) { () async throws(DeskError) in try await desk.place([VMRecord(VM(id: "s1", vcpus: 1, memoryMB: 1024, measured: [.cpu: 2000]))], idempotencyKey: nil) }.status == 201)
        let over = await DeskAnswer.of(201) { () async throws(DeskError) in try await desk.place([VMRecord(VM(id: "s2", vcpus: 1, memoryMB: 1024, measured: [.cpu: 1]))], idempotencyKey: nil) }
        #expect(over.status == 409, "every hour is full: \(over.body)")
        #expect((json(over)["error"] as? String ?? "").contains(":00"), "the refusal names the hour: \(over.body)")

        let again = try PlacementDesk(store: try ServiceStore(path: path), headroom: try Headroom(parsing: "cpu=100,memory=100"))
        #expect(again.counts().profiled == 2)
        #expect(await DeskAnswer.of(201) { () async throws(DeskError) in try await again.place([VMRecord(VM(id: "s2", vcpus: 1, memoryMB: 1024, measured: [.cpu: 1]))], idempotencyKey: nil) }.status == 409)
        #expect(await DeskAnswer.of() { () async throws(DeskError) in try await again.release("s1") }.status == 200)
        #expect(await DeskAnswer.of(201) { () async throws(DeskError) in try await again.place([VMRecord(VM(id: "s2", vcpus: 1, memoryMB: 1024, measured: [.cpu: 1500]))], idempotencyKey: nil) }.status == 201)
        // Deleting a VM drops its profile: what is left is held to the profiles that remain.
        #expect(await DeskAnswer.of() { () async throws(DeskError) in try await again.deleteVM("night") }.status == 200)
        #expect(again.counts().profiled == 1)
        #expect(await DeskAnswer.of(201) { () async throws(DeskError) in try await again.place([VMRecord(VM(id: "s3", vcpus: 1, memoryMB: 1024, measured: [.cpu: 1500]))], idempotencyKey: nil) }.status == 201)
    }

    /// Profiles whose placement breaks a rule are refused, and nothing of them is kept.
    @Test func profilesThatBreakThePlacementAreRefused() async throws {
        let desk = try PlacementDesk(store: try ServiceStore(path: "\(Support.temporaryDirectory())/refused.sqlite"), headroom: try Headroom(parsing: "cpu=100,memory=100"))
        #expect(await DeskAnswer.of() { () async throws(DeskError) in try await desk.putHosts([HostRecord(VMHost(id: "h0", cpuCores: 10, cpuMHzPerCore: 1000, memoryMB: 65536))]) }.status == 200)
        let file = InputRead(items: [VM(id: "a", vcpus: 2, memoryMB: 1024, currentHost: "h0", measured: [.cpu: 3000]),
                                     VM(id: "b", vcpus: 2, memoryMB: 1024, currentHost: "h0", measured: [.cpu: 3000])], format: "vms.csv")
        #expect(await DeskAnswer.of() { () async throws(DeskError) in try await desk.putVMs(file) }.status == 200)
        let both = [Double](repeating: 6000, count: 168)
        let answer = await DeskAnswer.of() { () async throws(DeskError) in try await desk.putProfiles(["a": ServiceProfile(scheme: .hourOfWeek, series: [.cpu: both]),
                                             "b": ServiceProfile(scheme: .hourOfWeek, series: [.cpu: both])]) }
        #expect(answer.status == 409, "\(answer.body)")
        #expect(desk.counts().profiled == 0)
        #expect(desk.counts().buckets == 1)
    }

    /// An empty store leaves CPU sizing to its first VMs: a refused request settles nothing,
    /// the first one that lands settles it for good.
    @Test func theFirstVMsOfAnEmptyStoreSettleTheSizing() async throws {
        let path = "\(Support.temporaryDirectory())/first.sqlite"
        let desk = try PlacementDesk(store: try ServiceStore(path: path))
        #expect(await DeskAnswer.of() { () async throws(DeskError) in try await desk.putHosts(hosts.map(HostRecord.init)) }.status == 200)
        #expect(try await desk.chooseCPU(given: nil, startingWith: nil).contains("left to the first VMs"))
        #expect(desk.counts().cpu == "undecided")
        let huge = await DeskAnswer.of(201) { () async throws(DeskError) in try await desk.place([VMRecord(VM(id: "huge", vcpus: 64, memoryMB: 1024))], idempotencyKey: nil) }
        #expect(huge.status == 409)
        #expect(desk.counts().cpu == "undecided")
        // Rated as it would be placed: 7 vCPUs fit at 4:1 on 8 cores; as 7 busy cores they pass 80%.
        let rated = json(await DeskAnswer.of() { () async throws(DeskError) in try await desk.rate(VMRecord(VM(id: "f", vcpus: 7, memoryMB: 1024))) })
        #expect(((rated["ratings"] as? [[String: Any]])?.first?["stars"] as? Double ?? 0) > 0, "\(rated)")
        #expect(desk.counts().cpu == "undecided")
        #expect(await DeskAnswer.of(201) { () async throws(DeskError) in try await desk.place([VMRecord(VM(id: "f", vcpus: 7, memoryMB: 1024))], idempotencyKey: nil) }.status == 201)
        #expect(desk.counts().cpu == "allocated")
        let again = try PlacementDesk(store: try ServiceStore(path: path))
        #expect(await again.demand.cpu == .allocated(vcpusPerCore: 4))
    }
}
