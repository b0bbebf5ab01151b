import Foundation
@testable import Hostfit
@testable import HostfitService

enum Support {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func fixture(_ name: String) -> String {
        packageRoot.appendingPathComponent("Tests/HostfitTests/Fixtures/\(name)").path
    }

    static var sampleData: String { packageRoot.appendingPathComponent("SampleData").path }

    /// ../shared/data beside the clone; absent on a user's machine.
    static let sharedData = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data").path
    static var hasSharedData: Bool { FileManager.default.fileExists(atPath: sharedData) }

    /// A fresh empty folder under the system's temporary folder.
    static func temporaryDirectory() -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hostfit-tests-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// Writes `contents` to a new file named `name` and returns its path.
    static func file(_ name: String, _ contents: String) -> String {
        let path = (temporaryDirectory() as NSString).appendingPathComponent(name)
        try! Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func file(_ name: String, bytes: [UInt8]) -> String {
        let path = (temporaryDirectory() as NSString).appendingPathComponent(name)
        try! Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The problem of a one-dimensional bin-packing instance: bins as hosts with memory
    /// `capacity`, items as VMs with memory demand, no CPU demand, memory headroom 100%.
    static func binPacking(capacity: Double, weights: [Double], bins: Int? = nil) -> PlacementProblem {
        let hosts = (0..<(bins ?? weights.count)).map { VMHost(id: "b\($0 + 1)", cpuCores: 1, cpuMHzPerCore: 1, memoryMB: capacity) }
        let vms = weights.enumerated().map { VM(id: "i\($0.offset + 1)", vcpus: 1, memoryMB: $0.element, measured: [.cpu: 0]) }
        return PlacementProblem(inventory: Inventory(hosts: hosts, vms: vms), headroom: try! Headroom(parsing: "memory=100"))
    }

    /// The problem of a vector-packing instance: one counted resource per dimension, hosts of
    /// `capacity` in each, one VM per size vector (sizes may be below zero).
    static func vectorPacking(capacity: Double, sizes: [[Double]], bins: Int? = nil) -> PlacementProblem {
        let dimensions = sizes.first?.count ?? 1, hosts = bins ?? sizes.count
        let resources = (0..<dimensions).map { Resource.counted("d\($0 + 1)") }
        let capacities = [Double](repeating: capacity, count: dimensions * hosts)
        return PlacementProblem(hosts: (0..<hosts).map { VMHost(id: "b\($0)", cpuCores: 1, cpuMHzPerCore: 1, memoryMB: 0) },
                                vms: sizes.indices.map { VM(id: "i\($0)", vcpus: 1, memoryMB: 0) },
                                resources: resources, headroom: Headroom(), buckets: 1, capacity: capacities,
                                rawCapacity: capacities, demand: sizes.flatMap { $0 }, mhzPerVCPU: 1, notes: [])
    }

    /// Random 2-resource instances with a mix of host sizes, some hosts not active.
    static func randomProblem(seed: UInt64, vms vmCount: Int, hosts hostCount: Int) -> PlacementProblem {
        var rng = SeededGenerator(seed: seed)
        let hosts = (0..<hostCount).map { h in
            VMHost(id: "h\(h)", cpuCores: [8, 16, 32].randomElement(using: &rng)!, cpuMHzPerCore: 2000,
                 memoryMB: [32768, 65536, 131072].randomElement(using: &rng)!,
                 maxVMs: Int.random(in: 0..<5, using: &rng) == 0 ? Int.random(in: 1...6, using: &rng) : nil,
                 state: Int.random(in: 0..<8, using: &rng) == 0 ? .maintenance : .active)
        }
        let vms = (0..<vmCount).map { v in
            VM(id: "v\(v)", vcpus: Int.random(in: 1...8, using: &rng), memoryMB: 4096,
               measured: [.cpu: Double(Int.random(in: 100...30000, using: &rng)), .memory: Double(Int.random(in: 512...70000, using: &rng))])
        }
        return PlacementProblem(inventory: Inventory(hosts: hosts, vms: vms), headroom: Headroom())
    }

    /// The most VMs a plain greedy packer places (each rule on its own, no improvement).
    static func greedyPlaced(_ problem: PlacementProblem) -> Int {
        PackingRule.allCases.map { FirstFitDecreasing.solve(problem, rule: $0).placedCount }.max() ?? 0
    }
}

/// A desk call's outcome as the service answers it: its status and JSON body (what the
/// HTTP layer makes of a result or a `DeskError`).
struct DeskAnswer {
    var status: Int
    var body: String
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:] }

    static func of<T: Encodable>(_ status: Int = 200, _ call: () async throws(DeskError) -> T) async -> DeskAnswer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        do {
            let value = try await call()
            return DeskAnswer(status: status, body: String(decoding: try! encoder.encode(value), as: UTF8.self))
        } catch {
            let body = ["error": error.message, "field": error.field, "vm": error.vm, "rule": error.rule?.rawValue].compactMapValues { $0 }
            return DeskAnswer(status: Int(error.status.code), body: String(decoding: try! encoder.encode(body), as: UTF8.self))
        }
    }
}
