import Foundation
import Testing

/// What a newcomer meets first: `hostfit serve` where only the planner is built, and the
/// runner that keeps the manual's examples true.
@Suite("First contact")
struct FirstContactTests {
    struct Run { var code: Int32; var stdout: String; var stderr: String }

    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(code: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Beside hostfit-serve, `hostfit serve` is the service (its help, its version); alone,
    /// it says how to build the service and exits 2.
    @Test func serveRunsTheServiceProgramOrSaysHowToBuildIt() throws {
        let help = try Self.run(CLITests.binary, ["serve", "--help"])
        #expect(help.code == 0 && help.stdout.contains("USAGE: hostfit serve --db <file>") && help.stdout.contains("--vcpu-ratio"))
        let alone = Support.temporaryDirectory() + "/hostfit"
        try FileManager.default.copyItem(atPath: CLITests.binary, toPath: alone)
        let missing = try Self.run(alone, ["serve", "--db", "x.sqlite"], environment: ["PATH": "/usr/bin:/bin"])
        #expect(missing.code == 2)
        #expect(missing.stderr.contains("the service is its own program, hostfit-serve, and it is not built here"))
        #expect(missing.stderr.contains("make serve"))
    }

    /// The doc runner fails a page whose output is not what the command prints, and passes
    /// one that is (durations and `[..]` aside).
    @Test func theDocRunnerFailsAPageThatNoLongerHolds() throws {
        let good = Support.file("good.md", """
            ```console
            $ hostfit --version
            [..].[..]
            $ hostfit plan --hosts nowhere.csv --out x
            hostfit: nowhere.csv: no such file
            ```
            """)
        let bad = Support.file("bad.md", """
            ```console
            $ hostfit --version
            0.0.1
            ```
            """)
        let runner = Support.packageRoot.appendingPathComponent("tools/run_doctests.py").path
        let passing = try Self.run("/usr/bin/env", ["python3", runner, "--hostfit", CLITests.binary, good])
        #expect(passing.code == 0, "\(passing.stdout)")
        #expect(passing.stdout.contains("2 passed, 0 failed"))
        let failing = try Self.run("/usr/bin/env", ["python3", runner, "--hostfit", CLITests.binary, bad])
        #expect(failing.code == 1)
        #expect(failing.stdout.contains("FAIL") && failing.stdout.contains("0 passed, 1 failed"))
    }
}
