import ArgumentParser
import Foundation
import Hostfit

/// `--spark MASTER`: hands a command to the PySpark driver that ships with Hostfit
/// (Sources/Distributed/hostfit_spark.py, installed under share/hostfit), whose tasks run
/// this same binary on their share. Spark comes from SPARK_HOME's spark-submit where set,
/// else from a Python with pyspark (HOSTFIT_PYTHON, the checkout's .venv, or python3).
package enum SparkJob {
    package enum Cut: String, ExpressibleByArgument, Codable, Sendable {
        case entity, time
    }

    /// What the driver is told: the files to spread, the options every task repeats, and
    /// where the joined result goes.
    struct Job: Encodable {
        var command: String
        var master: String
        var hostfit: String
        var files: [String]
        var cut: Cut
        var taskArguments: [String]
        var out: String
        enum CodingKeys: String, CodingKey { case command, master, hostfit, files, cut, taskArguments = "task_arguments", out }
    }

    /// Options the driver sets itself, per task; the rest pass through to every task.
    static let driverOptions: Set<String> = ["--spark", "--cut", "--out", "--traces"]

    package static func profile(master: String, cut: Cut?, arguments: [String], traces: [String]) throws {
        let files = try reportingInputErrors { try TraceLoader.files(traces) }
        guard !files.isEmpty else { throw CLIFailure(code: 2, message: "\(traces.joined(separator: ", ")): holds no trace file of a format Hostfit reads") }
        var passed: [String] = [], out: String?
        var k = 0
        while k < arguments.count {
            let argument = arguments[k]
            let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
            if driverOptions.contains(name) {
                let value = argument.contains("=") ? String(argument.split(separator: "=", maxSplits: 1)[1]) : (k + 1 < arguments.count ? arguments[k + 1] : "")
                if name == "--out" { out = value }
                k += argument.contains("=") ? 1 : 2
                continue
            }
            passed.append(argument)
            k += 1
        }
        // Azure's readings are cut by time, every VM in every file.
        let layout = cut ?? (files.contains { ($0 as NSString).lastPathComponent.hasPrefix("vm_cpu_readings") } ? .time : .entity)
        let job = Job(command: "profile", master: master, hostfit: selfPath(), files: files.map(absolute), cut: layout,
                      taskArguments: passed, out: absolute(out ?? "profiles.csv"))
        try run(job)
    }

    static func run(_ job: Job) throws {
        let driver = try driverPath()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hostfit-spark-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let jobFile = folder + "/job.json"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(job).write(to: URL(fileURLWithPath: jobFile))
        let process = Process()
        var environment = ProcessInfo.processInfo.environment
        if let home = environment["SPARK_HOME"], FileManager.default.isExecutableFile(atPath: home + "/bin/spark-submit") {
            process.executableURL = URL(fileURLWithPath: home + "/bin/spark-submit")
            process.arguments = ["--master", job.master, driver, jobFile]
        } else {
            process.executableURL = URL(fileURLWithPath: pythonPath())
            process.arguments = [driver, jobFile]
        }
        environment["HOSTFIT_SPARK_WORK"] = folder
        process.environment = environment
        do { try process.run() } catch {
            throw CLIFailure(code: 2, message: "--spark: cannot start \(process.executableURL?.path ?? "spark"): \(error.localizedDescription)")
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ExitCode(process.terminationStatus) }
    }

    /// This binary, which the tasks run.
    static func selfPath() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? absolute(CommandLine.arguments[0])
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") || path.contains("://") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    /// HOSTFIT_SPARK_DRIVER, else share/hostfit beside the binary's prefix, else the checkout
    /// the binary was built in.
    static func driverPath() throws -> String {
        if let given = ProcessInfo.processInfo.environment["HOSTFIT_SPARK_DRIVER"] { return given }
        var folder = (selfPath() as NSString).deletingLastPathComponent
        let installed = ((folder as NSString).deletingLastPathComponent as NSString).appendingPathComponent("share/hostfit/hostfit_spark.py")
        if FileManager.default.fileExists(atPath: installed) { return installed }
        while folder != "/" && !folder.isEmpty {
            let candidate = folder + "/Sources/Distributed/hostfit_spark.py"
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            folder = (folder as NSString).deletingLastPathComponent
        }
        throw CLIFailure(code: 2, message: "--spark: the Spark driver hostfit_spark.py is not installed (make install puts it in share/hostfit; or set HOSTFIT_SPARK_DRIVER)")
    }

    /// HOSTFIT_PYTHON, else the checkout's .venv (which `make` fills with pyspark), else python3.
    static func pythonPath() -> String {
        if let given = ProcessInfo.processInfo.environment["HOSTFIT_PYTHON"] { return given }
        var folder = (selfPath() as NSString).deletingLastPathComponent
        while folder != "/" && !folder.isEmpty {
            if FileManager.default.isExecutableFile(atPath: folder + "/.venv/bin/python") { return folder + "/.venv/bin/python" }
            folder = (folder as NSString).deletingLastPathComponent
        }
        return "/usr/bin/python3"
    }
}
