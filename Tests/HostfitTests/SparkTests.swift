import Foundation
import Testing
@testable import Hostfit

/// `--spark local[2]` on the real pyspark of the checkout's venv (which `make test` fills):
/// the same profiles.csv, byte for byte, as one process, for files cut by entity and for
/// files cut by time (Azure's layout, regrouped by a shuffle), through a task that dies.
@Suite("hostfit on Spark", .serialized)
struct SparkTests {
    typealias Run = CLITests.Run

    /// Why Spark cannot run here (said, and the test skipped), or nil.
    static let missing: String? = {
        let python = Support.packageRoot.appendingPathComponent(".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else { return "no .venv (make test makes it)" }
        let check = Process()
        check.executableURL = URL(fileURLWithPath: python)
        check.arguments = ["-c", "import pyspark, shutil, sys; sys.exit(0 if shutil.which('java') else 1)"]
        check.standardError = FileHandle.nullDevice
        guard (try? check.run()) != nil else { return "cannot run \(python)" }
        check.waitUntilExit()
        return check.terminationStatus == 0 ? nil : "pyspark or java is missing (make test installs them)"
    }()

    static func skipped(_ test: String) -> Bool {
        guard let missing else { return false }
        print("SparkTests.\(test): skipped: \(missing)")
        return true
    }

    func hostfit(_ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        let dir = Support.temporaryDirectory()
        let out = dir + "/stdout", err = dir + "/stderr"
        FileManager.default.createFile(atPath: out, contents: nil)
        FileManager.default.createFile(atPath: err, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLITests.binary)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        try process.run()
        process.waitUntilExit()
        return Run(code: process.terminationStatus, stdout: try String(contentsOfFile: out, encoding: .utf8), stderr: try String(contentsOfFile: err, encoding: .utf8))
    }

    /// Profiles `traces` in one process and on Spark; both files' bytes.
    func bothWays(_ traces: [String], _ options: [String] = [], environment: [String: String] = [:]) throws -> (one: Data, spark: Data, run: Run) {
        let dir = Support.temporaryDirectory()
        let given = traces.flatMap { ["--traces", $0] } + options
        let one = try hostfit(["profile"] + given + ["--out", dir + "/one.csv"])
        #expect(one.code == 0, "\(one.stderr)")
        let spark = try hostfit(["profile", "--spark", "local[2]"] + given + ["--out", dir + "/spark.csv"], environment: environment)
        #expect(spark.code == 0, "\(spark.stderr)")
        return (try Data(contentsOf: URL(fileURLWithPath: dir + "/one.csv")), (try? Data(contentsOf: URL(fileURLWithPath: dir + "/spark.csv"))) ?? Data(), spark)
    }

    @Test func filesOfWholeEntitiesGiveTheSameProfilesAsOneProcess() throws {
        guard !Self.skipped(#function) else { return }
        let (one, spark, run) = try bothWays([Support.sampleData + "/traces"])
        #expect(!one.isEmpty && one == spark)
        #expect(run.stdout.contains("Profiled 48 entities (192 resource profiles) on Spark local[2]"), "\(run.stdout)")
        // The tasks' notes are summed as one process gives them.
        #expect(run.stderr.contains("note: skipped 12924 rows with no CPU provisioned"), "\(run.stderr)")
    }

    /// A folder given as a URL (file:// here, hdfs:// on a cluster) is fetched by Spark's
    /// readers; a pattern the shell did not expand is expanded by hostfit.
    @Test func urlsAndPatternsNameTheSameFiles() throws {
        guard !Self.skipped(#function) else { return }
        let a = Support.temporaryDirectory() + "/a", b = Support.temporaryDirectory() + "/b"
        for dir in [a, b] { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        let traces = try FileManager.default.contentsOfDirectory(atPath: Support.sampleData + "/traces").sorted()
        for (k, name) in traces.prefix(12).enumerated() {
            try FileManager.default.copyItem(atPath: Support.sampleData + "/traces/" + name, toPath: (k < 6 ? a : b) + "/" + name)
        }
        let dir = Support.temporaryDirectory()
        let one = try hostfit(["profile", "--traces", a, "--traces", b, "--out", dir + "/one.csv"])
        let spark = try hostfit(["profile", "--spark", "local[2]", "--traces", "file://" + a, "--traces", b + "/*.csv.gz", "--out", dir + "/spark.csv"])
        #expect(one.code == 0 && spark.code == 0, "\(spark.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/one.csv")) == Data(contentsOf: URL(fileURLWithPath: dir + "/spark.csv")))
        let entities = one.stdout.split(separator: " ").dropFirst().first.map(String.init) ?? "?"
        #expect(spark.stdout.hasPrefix("Profiled \(entities) entities"), "\(one.stdout) \(spark.stdout)")
    }

    /// With SPARK_HOME, the job goes through its spark-submit (pyspark's own here).
    @Test func sparkSubmitFromSparkHomeGivesTheSameProfiles() throws {
        guard !Self.skipped(#function) else { return }
        let venv = Support.packageRoot.appendingPathComponent(".venv").path
        let site = try #require(try FileManager.default.contentsOfDirectory(atPath: venv + "/lib").first { $0.hasPrefix("python") })
        let home = "\(venv)/lib/\(site)/site-packages/pyspark"
        let (one, spark, run) = try bothWays([Support.sampleData + "/traces"], environment: ["SPARK_HOME": home, "PYSPARK_PYTHON": venv + "/bin/python"])
        #expect(!one.isEmpty && one == spark)
        #expect(!run.stderr.contains(" INFO "), "Spark's log is kept to errors: \(run.stderr.prefix(500))")
    }

    /// Azure's layout: three files of a day each, every VM in each, and the sizes in vmtable.
    static func azureLayout() -> String {
        let dir = Support.temporaryDirectory() + "/azure"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var rng = SeededGenerator(seed: 11)
        // VM ids as the dataset gives them: base64, with + and /.
        let vms: [String] = (0..<24).map { (k: Int) -> String in
            let bytes: [UInt8] = (0..<32).map { (i: Int) -> UInt8 in UInt8((i * 37 + k * 101) % 256) }
            return Data(bytes).base64EncodedString()
        }
        for day in 0..<3 {
            var text = ""
            for t in stride(from: day * 86_400, to: (day + 1) * 86_400, by: 300) {
                for vm in vms where rng.next() % 50 != 0 {
                    let avg = Double(rng.next() % 9_000_000) / 100_000 + 1
                    text += "\(t),\(vm),\(avg / 2),\(min(100, avg * 1.5)),\(avg)\n"
                }
            }
            try? text.write(toFile: "\(dir)/vm_cpu_readings-file-\(day + 1)-of-3.csv", atomically: true, encoding: .utf8)
        }
        let cores = [1, 2, 4, 8], memoryGB = [1.75, 3.5, 7, 14]
        var table = ""
        for (k, vm) in vms.enumerated() {
            table += "\(vm),\(vms[(k + 1) % 24]),\(vms[(k + 2) % 24]),0,259200,99,10,50,Interactive,\(cores[k % 4]),\(memoryGB[k % 4])\n"
        }
        try? table.write(toFile: "\(dir)/vmtable.csv", atomically: true, encoding: .utf8)
        return dir
    }

    @Test func filesCutByTimeAreRegroupedByEntityThroughATaskThatDies() throws {
        guard !Self.skipped(#function) else { return }
        let marker = Support.temporaryDirectory() + "/died"
        let (one, spark, run) = try bothWays([Self.azureLayout()], ["--core-mhz", "2400"], environment: ["HOSTFIT_SPARK_FAIL_ONCE": marker])
        #expect(!one.isEmpty && one == spark)
        #expect(run.stdout.contains("24 entities") && run.stdout.contains("after a shuffle by entity"), "\(run.stdout)")
        // A task died in each stage, and Spark ran it again.
        let died = (try? String(contentsOfFile: marker, encoding: .utf8)) ?? ""
        #expect(died.split(separator: "\n").count >= 2, "\(died)")
    }

    @Test func parquetSamplesGiveTheProfilesOfTheSameRowsAsCSV() throws {
        guard !Self.skipped(#function) else { return }
        let dir = Support.temporaryDirectory()
        let one = try hostfit(["profile", "--traces", Support.fixture("parquet-long/long.csv.gz"), "--out", dir + "/one.csv"])
        let spark = try hostfit(["profile", "--spark", "local[2]", "--traces", Support.fixture("parquet-long/long.parquet"), "--out", dir + "/spark.csv"])
        #expect(one.code == 0 && spark.code == 0, "\(spark.stderr)")
        let a = try Data(contentsOf: URL(fileURLWithPath: dir + "/one.csv")), b = try Data(contentsOf: URL(fileURLWithPath: dir + "/spark.csv"))
        #expect(!a.isEmpty && a == b)
        // Without Spark a Parquet file is named for what it is.
        let part = try #require(try FileManager.default.contentsOfDirectory(atPath: Support.fixture("parquet-long/long.parquet")).first)
        let alone = try hostfit(["profile", "--traces", Support.fixture("parquet-long/long.parquet/\(part)"), "--out", dir + "/x.csv"])
        #expect(alone.code == 2 && alone.stderr.contains("a Parquet file") && alone.stderr.contains("--spark"), "\(alone.stderr)")
    }

    @Test func theBitbrainsMonthGivesTheSameProfiles() throws {
        guard !Self.skipped(#function) else { return }
        let month = Support.sharedData + "/traces/bitbrains-rnd/2013-7"
        guard FileManager.default.fileExists(atPath: month) else {
            print("SparkTests.theBitbrainsMonthGivesTheSameProfiles: skipped: ../shared/data is not beside the checkout")
            return
        }
        let (one, spark, _) = try bothWays([month])
        #expect(one.count > 1_000_000 && one == spark)
    }

    @Test func eachClusterGetsThePlanHostfitPlanAloneGivesIt() throws {
        guard !Self.skipped(#function) else { return }
        let dir = Support.temporaryDirectory()
        var rng = SeededGenerator(seed: 5)
        let clusters = [("alpha", 6, 60), ("beta", 4, 30), ("gamma", 8, 90)]
        var hosts = "host,cluster,cpu_cores,cpu_mhz,memory_mb,cost\n", vms = "vm,vcpus,memory_mb,cluster,cpu_mhz,memory_used_mb\n"
        var own: [String: (hosts: String, vms: String)] = [:]
        for (name, hostCount, vmCount) in clusters {
            var h = "host,cluster,cpu_cores,cpu_mhz,memory_mb,cost\n", v = "vm,vcpus,memory_mb,cluster,cpu_mhz,memory_used_mb\n"
            for k in 0..<hostCount { h += "\(name)-h\(k),\(name),32,2400,262144,10000\n" }
            for k in 0..<vmCount {
                let vcpus = [2, 4, 8][Int(rng.next() % 3)]
                v += "\(name)-vm\(k),\(vcpus),\(vcpus * 4096),\(name),\(vcpus * Int(300 + rng.next() % 1200)),\(vcpus * Int(1000 + rng.next() % 3000))\n"
            }
            hosts += h.split(separator: "\n").dropFirst().joined(separator: "\n") + "\n"
            vms += v.split(separator: "\n").dropFirst().joined(separator: "\n") + "\n"
            own[name] = (Support.file("\(name)-hosts.csv", h), Support.file("\(name)-vms.csv", v))
        }
        let hostsFile = Support.file("hosts.csv", hosts), vmsFile = Support.file("vms.csv", vms)
        let run = try hostfit(["plan", "--spark", "local[2]", "--hosts", hostsFile, "--vms", vmsFile, "--seed", "7", "--out", dir + "/plan"])
        #expect(run.code == 0 && run.stdout.contains("Planned 3 clusters") && run.stdout.contains("hostfit check: valid"), "\(run.stdout)\n\(run.stderr)")
        let joined = try String(contentsOfFile: dir + "/plan/placements.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        for (name, files) in own.sorted(by: { $0.key < $1.key }) {
            let alone = try hostfit(["plan", "--hosts", files.hosts, "--vms", files.vms, "--seed", "7", "--out", dir + "/\(name)"])
            #expect(alone.code == 0, "\(alone.stderr)")
            let rows = try String(contentsOfFile: dir + "/\(name)/placements.csv", encoding: .utf8).split(separator: "\n").dropFirst()
            #expect(Array(rows) == joined.filter { $0.hasPrefix(name + "-") }, "\(name)")
        }
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/plan/summary.json"))) as? [String: Any])
        #expect((summary["clusters"] as? [[String: Any]])?.map { $0["cluster"] as? String } == ["alpha", "beta", "gamma"])
        #expect(summary["vms_placed"] as? Int == 180 && summary["status"] as? String != nil)
        // The joined plan is valid on the whole inventory, checked again here.
        let check = try hostfit(["check", "--hosts", hostsFile, "--vms", vmsFile, "--plan", dir + "/plan/placements.csv"])
        #expect(check.code == 0, "\(check.stdout)")
    }

    /// The dataset's own sample files (../shared): 100 VMs' readings and a vmtable of other
    /// VMs, so their sizes come from a --vms inventory of the readings' VMs.
    @Test func theAzureSampleGivesTheSameProfilesAfterTheShuffle() throws {
        guard !Self.skipped(#function) else { return }
        let azure = Support.sharedData + "/formats/azure"
        guard FileManager.default.fileExists(atPath: azure) else {
            print("SparkTests.theAzureSampleGivesTheSameProfilesAfterTheShuffle: skipped: ../shared/data is not beside the checkout")
            return
        }
        let read = try TraceLoader.read([azure + "/vm_cpu_readings-file-1-of-125.csv.gz"], scheme: .hourOfWeek)
        let ids = read.collector.names.sorted()
        #expect(ids.count == 100)
        let vms = Support.file("azure-vms.csv", "vm,vcpus,memory_mb\n" + ids.enumerated().map { "\($1),\([2, 4][$0 % 2]),8192\n" }.joined())
        let (one, spark, run) = try bothWays([azure], ["--vms", vms, "--core-mhz", "2400"])
        #expect(!one.isEmpty && one == spark)
        #expect(run.stdout.contains("100 entities") && run.stdout.contains("after a shuffle by entity"), "\(run.stdout)")
    }

    @Test func aBadFileFailsTheJobWithItsLine() throws {
        guard !Self.skipped(#function) else { return }
        let dir = Support.temporaryDirectory() + "/traces"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Support.sampleData + "/traces/rnd-1.csv.gz", toPath: dir + "/rnd-1.csv.gz")
        try "timestamp,entity,metric,value\n1700000000,a,cpu_mhz,100\n1700000300,a,cpu_mhz,lots\n".write(toFile: dir + "/bad.csv", atomically: true, encoding: .utf8)
        let run = try hostfit(["profile", "--spark", "local[2]", "--traces", dir, "--strict", "--out", Support.temporaryDirectory() + "/p.csv"])
        #expect(run.code == 2 && run.stderr.contains("bad.csv:3"), "\(run.code) \(run.stderr)")
    }
}
