import Foundation

/// The service's OpenAPI 3.0 document (openapi.json, beside this target's sources): the one
/// contract. The server sends it as it is at /openapi.json, the client (HostfitClient) is
/// generated from it, schemathesis and `ContractTests` check the routes against it.
public enum OpenAPIDocument {
    static let name = "openapi.json"

    /// Where a build or an install keeps it: SwiftPM's resource bundle beside the program, or
    /// `share/hostfit` beside its `bin` (`make install`).
    static var candidates: [URL] {
        let exe = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        let dir = exe.deletingLastPathComponent()
        return [dir.appendingPathComponent("Hostfit_HostfitService.resources/\(name)"),
                dir.deletingLastPathComponent().appendingPathComponent("share/hostfit/\(name)")]
    }

    /// The document's bytes, or why they cannot be found.
    public static func load() throws -> Data {
        for url in candidates { if let data = try? Data(contentsOf: url) { return data } }
        throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey:
            "\(name) is not beside the program (looked in \(candidates.map(\.path).joined(separator: ", "))): install with make install"])
    }
}
