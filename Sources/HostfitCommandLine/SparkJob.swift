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

    /// What the driver is told: the files to spread (or the clusters to plan), the options
    /// every task repeats, and where the joined result goes.
    struct Job: Encodable {
        var command: String
        var master: String
        var hostfit: String
        var files: [String] = []
        /// The native long layout as Parquet (files or folders of parts), which Spark reads.
        var parquet: [String] = []
        /// Trace files or folders on the cluster's file system (hdfs://, s3a://, file://),
        /// which Spark fetches into the work folder first.
        var remote: [String] = []
        var cut: Cut = .entity
        var clusters: [Cluster] = []
        var taskArguments: [String]
        /// plan: what `hostfit check` is given to judge the joined plan on the whole inventory.
        var checkArguments: [String] = []
        var out: String
        /// `out` as the user gave it, for what the job prints.
        var outShown: String
        enum CodingKeys: String, CodingKey {
            case command, master, hostfit, files, parquet, remote, cut, clusters, taskArguments = "task_arguments", checkArguments = "check_arguments", out
            case outShown = "out_shown"
        }
    }

    /// One cluster's part of the inventory, as files a task plans from.
    struct Cluster: Encodable {
        var name: String
        var hosts: String
        var vms: String
        var vmCount: Int
        enum CodingKeys: String, CodingKey { case name, hosts, vms, vmCount = "vm_count" }
    }

    /// `arguments` without the options named in `dropping` (and their values), and the
    /// values of those, by name.
    static func split(_ arguments: [String], dropping: Set<String>) -> (passed: [String], dropped: [String: String]) {
        var passed: [String] = [], dropped: [String: String] = [:]
        var k = 0
        while k < arguments.count {
            let argument = arguments[k]
            let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
            if dropping.contains(name) {
                let value = argument.contains("=") ? String(argument.split(separator: "=", maxSplits: 1)[1]) : (k + 1 < arguments.count ? arguments[k + 1] : "")
                dropped[name] = value
                k += argument.contains("=") ? 1 : 2
                continue
            }
            passed.append(argument)
            k += 1
        }
        return (passed, dropped)
    }

    /// The files a shell pattern (`traces/*.csv.gz`) names, sorted.
    static func expand(_ pattern: String) -> [String] {
        var matches = glob_t()
        defer { globfree(&matches) }
        guard glob(pattern, 0, nil, &matches) == 0 else { return [] }
        return (0..<Int(matches.gl_pathc)).compactMap { matches.gl_pathv[$0].map { String(cString: $0) } }.sorted()
    }

    /// A Parquet file, or a folder of Parquet parts (as Spark writes them).
    static func isParquet(_ path: String) -> Bool {
        if path.lowercased().hasSuffix(".parquet") { return true }
        let parts = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return parts.contains { $0.hasSuffix(".parquet") } && !parts.contains { !$0.hasSuffix(".parquet") && !$0.hasPrefix(".") && !$0.hasPrefix("_") }
    }

    package static func profile(master: String, cut: Cut?, arguments: [String], traces given: [String]) throws {
        // A URL is the cluster's to read; a pattern the shell did not expand is expanded here.
        let remote = given.filter { $0.contains("://") }
        var traces: [String] = []
        for path in given where !path.contains("://") {
            if !FileManager.default.fileExists(atPath: path), path.contains(where: { "*?[".contains($0) }) {
                let found = expand(path)
                guard !found.isEmpty else { throw CLIFailure(code: 2, message: "\(path): matches no file") }
                traces += found
            } else {
                traces.append(path)
            }
        }
        let parquet = traces.filter(isParquet)
        if let missing = parquet.first(where: { !FileManager.default.fileExists(atPath: $0) }) { throw CLIFailure(code: 2, message: "\(missing): no such file or folder") }
        let files = try reportingInputErrors { try TraceLoader.files(traces.filter { !isParquet($0) }) }
        let remoteParquet = remote.filter { $0.lowercased().hasSuffix(".parquet") }
        guard !files.isEmpty || !parquet.isEmpty || !remote.isEmpty else {
            throw CLIFailure(code: 2, message: "\(given.joined(separator: ", ")): holds no trace file of a format Hostfit reads")
        }
        let (passed, dropped) = split(arguments, dropping: ["--spark", "--cut", "--out", "--traces"])
        let out = dropped["--out"]
        // Azure's readings are cut by time, every VM in every file.
        // Parquet rows come in any order: they are regrouped by entity like files cut by time.
        let named = files + remote
        let layout = !parquet.isEmpty || !remoteParquet.isEmpty ? .time
            : cut ?? (named.contains { ($0 as NSString).lastPathComponent.hasPrefix("vm_cpu_readings") } ? .time : .entity)
        if !parquet.isEmpty || !remoteParquet.isEmpty, cut == .entity { throw CLIFailure(code: 2, message: "--cut entity: Parquet samples are regrouped by entity whatever the files; leave --cut out") }
        let job = Job(command: "profile", master: master, hostfit: selfPath(), files: files.map(absolute), parquet: parquet.map(absolute) + remoteParquet,
                      remote: remote.filter { !remoteParquet.contains($0) }, cut: layout,
                      taskArguments: passed.map(absoluteIfFile), out: absolute(out ?? "profiles.csv"), outShown: out ?? "profiles.csv")
        try run(job)
    }

    /// Cuts the inventory by cluster (a VM's own, else its host's) into files, one task each.
    package static func plan(master: String, hosts: InputRead<VMHost>, vms: InputRead<VM>, vmsFile: String, arguments: [String], out: String) throws {
        let clusterOf = Dictionary(hosts.items.map { ($0.id, $0.cluster) }, uniquingKeysWith: { a, _ in a })
        var byCluster: [String: [VM]] = [:]
        for vm in vms.items {
            guard let cluster = vm.cluster ?? vm.currentHost.flatMap({ clusterOf[$0] }) else {
                throw CLIFailure(code: 2, message: "\(vmsFile):\(vms.lines[vm.id] ?? 0): vm '\(vm.id)' names no cluster and runs on no host of --hosts: --spark plans cluster by cluster (give its cluster)")
            }
            byCluster[cluster, default: []].append(vm)
        }
        let hostsOf = Dictionary(grouping: hosts.items, by: \.cluster)
        if let (cluster, _) = byCluster.first(where: { hostsOf[$0.key] == nil }) {
            throw CLIFailure(code: 2, message: "\(vmsFile): cluster '\(cluster)' has VMs but no host in --hosts")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hostfit-spark-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var clusters: [Cluster] = []
        for (k, name) in Set(hostsOf.keys).sorted().enumerated() {
            let dir = "\(folder)/cluster-\(k)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let clusterVMs = byCluster[name] ?? []
            try InventoryFiles.hostsCSV(hostsOf[name]!).write(toFile: dir + "/hosts.csv", atomically: true, encoding: .utf8)
            try InventoryFiles.vmsCSV(clusterVMs).write(toFile: dir + "/vms.csv", atomically: true, encoding: .utf8)
            clusters.append(Cluster(name: name, hosts: dir + "/hosts.csv", vms: dir + "/vms.csv", vmCount: clusterVMs.count))
        }
        let (passed, dropped) = split(arguments, dropping: ["--spark", "--out", "--hosts", "--vms"])
        let inventory = ["--hosts", absolute(dropped["--hosts"] ?? ""), "--vms", absolute(dropped["--vms"] ?? "")]
        // check judges on the whole inventory, with the plan's own settings but not its solver's.
        let (checked, _) = split(passed, dropping: ["--solver", "--effort", "--time-limit", "--seed", "--comfort", "--packing", "--objective"])
        try run(Job(command: "plan", master: master, hostfit: selfPath(), clusters: clusters, taskArguments: passed.map(absoluteIfFile),
                    checkArguments: inventory + checked.map(absoluteIfFile), out: absolute(out), outShown: out), folder: folder)
    }

    /// A relative path among the options, made absolute for tasks that run elsewhere.
    static func absoluteIfFile(_ argument: String) -> String {
        !argument.hasPrefix("-") && FileManager.default.fileExists(atPath: argument) ? absolute(argument) : argument
    }

    static func run(_ job: Job, folder given: String? = nil) throws {
        let driver = try driverPath()
        let folder = given ?? FileManager.default.temporaryDirectory.appendingPathComponent("hostfit-spark-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { if given == nil { try? FileManager.default.removeItem(atPath: folder) } }
        let jobFile = folder + "/job.json"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(job).write(to: URL(fileURLWithPath: jobFile))
        let process = Process()
        var environment = ProcessInfo.processInfo.environment
        // Spark's own log at errors only: its start-up says much and tells a user nothing.
        let quiet = folder + "/log4j2.properties"
        try Self.log4j.write(toFile: quiet, atomically: true, encoding: .utf8)
        if let home = environment["SPARK_HOME"], FileManager.default.isExecutableFile(atPath: home + "/bin/spark-submit") {
            process.executableURL = URL(fileURLWithPath: home + "/bin/spark-submit")
            process.arguments = ["--master", job.master, "--driver-java-options", "-Dlog4j2.configurationFile=file:\(quiet)",
                                 "--conf", "spark.ui.showConsoleProgress=false", driver, jobFile]
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

    static let log4j = """
        rootLogger.level = error
        rootLogger.appenderRef.stderr.ref = console
        appender.console.type = Console
        appender.console.name = console
        appender.console.target = SYSTEM_ERR
        appender.console.layout.type = PatternLayout
        appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n

        """

    /// This binary, which the tasks run.
    static func selfPath() -> String { Terminal.executable ?? absolute(CommandLine.arguments[0]) }

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
