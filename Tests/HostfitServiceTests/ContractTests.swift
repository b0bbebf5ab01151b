import Foundation
import Hostfit
@testable import HostfitService
import Hummingbird
import Testing

/// The OpenAPI document is the one contract: every route the server has is in it, every
/// operation in it is a route, and the committed client was generated from it as it is.
enum Contract {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let path = root.appendingPathComponent("Sources/HostfitService/openapi.json").path

    static func document() throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }
}

@Suite("Service contract")
struct ContractTests {
    @Test func everyRouteIsInTheDocumentAndEveryOperationIsARoute() async throws {
        let store = try ServiceStore(path: FileManager.default.temporaryDirectory.appendingPathComponent("contract-\(UUID().uuidString).sqlite").path)
        let desk = try PlacementDesk(store: store)
        let router = HostfitServer.router(desk: desk, configuration: ServiceConfiguration(), jobs: PlanJobs(), advice: try RebalanceJobs(desk: desk),
                                          document: try Contract.document())
        let served = Set(router.routes.map { route in
            // Hummingbird's ":id" is OpenAPI's "{id}".
            let path = route.path.description.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
            return "\(route.method.rawValue) /\(path)"
        })
        let document = try JSONSerialization.jsonObject(with: try Contract.document()) as! [String: Any]
        let paths = document["paths"] as! [String: [String: Any]]
        let documented = Set(paths.flatMap { path, item in item.keys.filter { $0 != "parameters" }.map { "\($0.uppercased()) \(path)" } })
        #expect(served.subtracting(documented).isEmpty, "served, not documented: \(served.subtracting(documented).sorted())")
        #expect(documented.subtracting(served).isEmpty, "documented, not served: \(documented.subtracting(served).sorted())")
        // Every operation is named: the client's methods are.
        for (path, item) in paths {
            for (method, operation) in item where method != "parameters" {
                #expect((operation as? [String: Any])?["operationId"] != nil, "\(method) \(path)")
            }
        }
    }

    @Test func theCommittedClientWasGeneratedFromThisDocument() throws {
        let recorded = try String(contentsOf: Contract.root.appendingPathComponent("Sources/HostfitClient/Generated/openapi.sha256"), encoding: .utf8)
        let sum = Process()
        sum.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        sum.arguments = [Contract.path]
        let out = Pipe()
        sum.standardOutput = out
        try sum.run()
        sum.waitUntilExit()
        let digest = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: " ").first.map(String.init)
        #expect(digest == recorded.trimmingCharacters(in: .whitespacesAndNewlines),
                "openapi.json changed since the client was generated: run tools/generate-client.sh and commit Sources/HostfitClient/Generated")
    }
}
