import ArgumentParser
import Foundation
import HostfitCommandLine

/// `hostfit serve` runs `hostfit-serve`, the service's own program, with the same
/// arguments: the planner then builds without the HTTP and SQLite stack, and a machine
/// that only plans never compiles it.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve ratings and placements over HTTP on a live inventory kept in SQLite (runs hostfit-serve).",
        discussion: "`hostfit serve --help` shows the service's options.",
        shouldDisplay: true
    )

    @Argument(parsing: .captureForPassthrough, help: "The service's options (hostfit serve --help lists them).")
    var arguments: [String] = []

    static let program = "hostfit-serve"

    func run() throws {
        guard let path = Self.locate() else {
            throw CLIFailure(code: 2, message: """
                serve: the service is its own program, \(Self.program), and it is not built here. \
                Build it with `make serve` (or `swift build -c release --product \(Self.program)`), \
                or install both with `make install`.
                """)
        }
        // exec, not a child: signals, the exit code and the process id stay the service's.
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        execv(path, argv)
        throw CLIFailure(code: 2, message: "serve: cannot run \(path): \(String(cString: strerror(errno)))")
    }

    /// hostfit-serve beside this executable (a build folder, an install prefix), else on PATH.
    static func locate() -> String? {
        var candidates: [String] = []
        if let me = Terminal.executable {
            candidates.append(((me as NSString).deletingLastPathComponent as NSString).appendingPathComponent(program))
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        candidates += path.split(separator: ":").map { ($0 as NSString).appendingPathComponent(program) }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
