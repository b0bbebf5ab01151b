import Foundation
import Testing
@testable import Hostfit

/// Prometheus `query_range` answers as traces: the same samples profile to the same numbers
/// as in the native long format; exporters' counters become busy shares; bad answers are
/// refused with the file.
@Suite("Prometheus traces")
struct PrometheusTraceTests {
    /// Two days of 5-minute samples for three VMs: (time, vm, metric, value).
    static func samples() -> [(Int64, String, String, Double)] {
        var rows: [(Int64, String, String, Double)] = []
        let start: Int64 = 1_764_547_200  // Monday 2025-12-01 00:00 UTC
        for k in 0..<(2 * 288) {
            let t = start + Int64(k) * 300
            for (n, vm) in ["web-1", "web-2", "db-1"].enumerated() {
                let hour = Double((k / 12) % 24)
                rows.append((t, vm, "cpu_pct", (10 + Double(n) * 7 + 30 * sin(hour / 24 * 2 * .pi) * sin(hour / 24 * 2 * .pi) + Double(k % 7)).rounded()))
                rows.append((t, vm, "memory_mb", Double(2048 * (n + 1) + (k * 37 + n * 11) % 500)))
            }
        }
        return rows
    }

    /// The samples as a query_range answer, one series per VM and metric (named by a recording rule).
    static func queryRange(_ rows: [(Int64, String, String, Double)], pretty: Bool) throws -> String {
        var series: [String: (labels: [String: String], values: [[Any]])] = [:]
        for (t, vm, metric, v) in rows {
            let key = vm + "|" + metric
            series[key, default: (["__name__": metric, "instance": "\(vm):9177", "job": "guests", "vm": vm, "guest": "kvm-\(vm)"], [])].values.append([t, Resource.number(v)])
        }
        let result = series.keys.sorted().map { ["metric": series[$0]!.labels, "values": series[$0]!.values] as [String: Any] }
        let envelope: [String: Any] = ["status": "success", "data": ["resultType": "matrix", "result": result]]
        return String(decoding: try JSONSerialization.data(withJSONObject: envelope, options: pretty ? [.prettyPrinted, .sortedKeys] : [.sortedKeys]), as: UTF8.self)
    }

    @Test(arguments: [true, false])
    func aQueryRangeProfilesAsTheNativeLongFormat(pretty: Bool) throws {
        let rows = Self.samples()
        let native = Support.file("native.csv", "timestamp,entity,metric,value\n" + rows.map { "\($0.0),\($0.1),\($0.2),\(Resource.number($0.3))" }.joined(separator: "\n") + "\n")
        let prometheus = Support.file("query-range.json", try Self.queryRange(rows, pretty: pretty))
        let dir = Support.temporaryDirectory()
        let a = try CLITests().hostfit("profile", "--traces", native, "--core-mhz", "2000", "--out", dir + "/native.csv")
        let b = try CLITests().hostfit("profile", "--traces", prometheus, "--core-mhz", "2000", "--out", dir + "/prometheus.csv")
        #expect(a.code == 0 && b.code == 0, "\(a.stderr)\(b.stderr)")
        let left = try String(contentsOfFile: dir + "/native.csv", encoding: .utf8), right = try String(contentsOfFile: dir + "/prometheus.csv", encoding: .utf8)
        #expect(left.split(separator: "\n").count == 1 + 3)
        #expect(left == right)
    }

    /// `--label` chooses the label that names entities: by default `vm` wins over the
    /// others; `--label guest` names them by that label.
    @Test func theEntityLabelIsTheOneChosen() throws {
        let prometheus = Support.file("query-range.json", try Self.queryRange(Self.samples(), pretty: false))
        let dir = Support.temporaryDirectory()
        let usual = try CLITests().hostfit("profile", "--traces", prometheus, "--core-mhz", "2000", "--out", dir + "/usual.csv")
        let chosen = try CLITests().hostfit("profile", "--traces", prometheus, "--core-mhz", "2000", "--label", "guest", "--out", dir + "/guest.csv")
        #expect(usual.code == 0 && chosen.code == 0, "\(usual.stderr)\(chosen.stderr)")
        let entities = { (path: String) throws -> Set<String> in Set(try CSVTable(contentsOf: path).rows().map { try $0.requiredText("entity") }) }
        #expect(try entities(dir + "/usual.csv") == ["web-1", "web-2", "db-1"])
        #expect(try entities(dir + "/guest.csv") == ["kvm-web-1", "kvm-web-2", "kvm-db-1"])
        // A label no series has: nothing read, said as such.
        let none = try CLITests().hostfit("profile", "--traces", prometheus, "--label", "pod", "--out", dir + "/none.csv")
        #expect(none.code == 2)
        #expect(none.stderr.contains("'pod'"), "\(none.stderr)")
    }

    /// `profile --prometheus URL --query Q` asks a real HTTP server on loopback (Python's
    /// http.server, answering query_range from a file) and profiles exactly as the file does;
    /// a server that is not there is exit 2 with its address, and nothing is written.
    @Test func aServersAnswerProfilesAsItsFile() throws {
        let rows = Self.samples()
        let root = Support.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: root + "/api/v1", withIntermediateDirectories: true)
        try Data(try Self.queryRange(rows, pretty: false).utf8).write(to: URL(fileURLWithPath: root + "/api/v1/query_range"))
        // The server writes its port to a file (a pipe read here could wait on a server that died).
        let portFile = root + "/port"
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        server.arguments = ["python3", "-c", """
            import http.server, functools, sys, os
            handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
            handler.log_message = lambda *a: None
            s = http.server.HTTPServer(("127.0.0.1", 0), handler)
            open(sys.argv[2] + ".tmp", "w").write(str(s.server_address[1]))
            os.rename(sys.argv[2] + ".tmp", sys.argv[2])
            s.serve_forever()
            """, root, portFile]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        // SIGKILL: Python's server can sit out a SIGTERM in its select loop.
        defer { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() }
        var port = ""
        for _ in 0..<100 where port.isEmpty {
            port = (try? String(contentsOfFile: portFile, encoding: .utf8)) ?? ""
            if port.isEmpty { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(Int(port) != nil, "the server gave no port")
        guard Int(port) != nil else { return }
        let dir = Support.temporaryDirectory()
        let fetched = try CLITests().hostfit("profile", "--prometheus", "http://127.0.0.1:\(port)", "--query", "{job=\"guests\"}",
                                             "--from", "2025-12-01", "--until", "2025-12-03", "--core-mhz", "2000", "--out", dir + "/fetched.csv")
        let file = try CLITests().hostfit("profile", "--traces", root + "/api/v1/query_range", "--core-mhz", "2000", "--out", dir + "/file.csv")
        #expect(fetched.code == 0 && file.code == 0, "\(fetched.stderr)\(file.stderr)")
        // The same answer, fetched or read from its file: the same profiles, byte for byte.
        let fetchedText = try String(contentsOfFile: dir + "/fetched.csv", encoding: .utf8)
        #expect(fetchedText == (try String(contentsOfFile: dir + "/file.csv", encoding: .utf8)))
        #expect(fetchedText.split(separator: "\n").count == 1 + 3)
        let away = try CLITests().hostfit("profile", "--prometheus", "http://127.0.0.1:1", "--query", "up", "--out", dir + "/away.csv")
        #expect(away.code == 2)
        #expect(away.stderr.contains("http://127.0.0.1:1: cannot reach the server"), "\(away.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/away.csv"))
    }

    @Test func nodeExporterCountersBecomeBusyShares() throws {
        // Two CPUs: cpu0 busy 50% in user, cpu1 busy 25% in system and 25% in iowait (not demand).
        var result: [[String: Any]] = []
        let start: Int64 = 1_764_547_200
        func counter(_ cpu: String, _ mode: String, perSecond: Double, resetAt: Int? = nil) -> [String: Any] {
            var value = 1000.0
            let values: [[Any]] = (0..<13).map { k in
                // Reset just after the sample before: it counted from zero since.
                if k == resetAt { value = perSecond * 300 }
                defer { value += perSecond * 300 }
                return [start + Int64(k) * 300, Resource.number(value)]
            }
            return ["metric": ["__name__": "node_cpu_seconds_total", "instance": "pve1:9100", "cpu": cpu, "mode": mode], "values": values]
        }
        result += [counter("0", "user", perSecond: 0.5), counter("0", "idle", perSecond: 0.5, resetAt: 6),
                   counter("1", "system", perSecond: 0.25), counter("1", "iowait", perSecond: 0.25), counter("1", "idle", perSecond: 0.5)]
        let memory = { (name: String, bytes: Double) -> [String: Any] in
            ["metric": ["__name__": name, "instance": "pve1:9100"], "values": (0..<13).map { [start + Int64($0) * 300, Resource.number(bytes)] as [Any] }]
        }
        result += [memory("node_memory_MemTotal_bytes", 64 * 1_073_741_824), memory("node_memory_MemAvailable_bytes", 48 * 1_073_741_824)]
        result.append(["metric": ["__name__": "up", "instance": "pve1:9100"], "values": [[start, "1"]]])
        let path = Support.file("node.json", String(decoding: try JSONSerialization.data(withJSONObject: ["resultType": "matrix", "result": result]), as: UTF8.self))
        let read = try TraceLoader.read([path], scheme: .hourOfDay)
        let set = ProfileBuilder.build(read, options: ProfileBuilder.Options(percentile: 95, coreMHz: 1000))
        let node = try #require(set.profiles.first { $0.entity == "pve1" })
        let cpu = try #require(node.profile(of: .cpu)), mem = try #require(node.profile(of: .memory))
        // 0.75 busy CPU-seconds a second of 2 CPUs (iowait is idle): 37.5%, of 2 x 1000 MHz; across the reset too.
        #expect(abs(cpu.max - 750) < 1e-6 && abs(cpu.mean - 750) < 1e-6, "\(cpu)")
        #expect(abs(mem.max - 16 * 1024) < 1e-6)
        #expect(cpu.samples == 12)
    }

    @Test func libvirtCPUTimeIsAShareOfTheDomainsVCPUs() throws {
        let start: Int64 = 1_764_547_200
        // 1.5 CPU-seconds a second of 4 vCPUs: 37.5%.
        let cpu: [String: Any] = ["metric": ["__name__": "libvirt_domain_info_cpu_time_seconds_total", "domain": "db-1", "instance": "kvm1:9177"],
                                  "values": (0..<13).map { [start + Int64($0) * 300, Resource.number(5000 + 1.5 * 300 * Double($0))] as [Any] }]
        let vcpus: [String: Any] = ["metric": ["__name__": "libvirt_domain_info_virtual_cpus", "domain": "db-1", "instance": "kvm1:9177"],
                                    "values": (0..<13).map { [start + Int64($0) * 300, "4"] as [Any] }]
        let alone: [String: Any] = ["metric": ["__name__": "libvirt_domain_info_cpu_time_seconds_total", "domain": "web-9"], "values": [[start, "1"], [start + 300, "2"]]]
        let path = Support.file("libvirt.json", String(decoding: try JSONSerialization.data(withJSONObject: ["resultType": "matrix", "result": [cpu, vcpus, alone]]), as: UTF8.self))
        let read = try TraceLoader.read([path], scheme: .hourOfDay)
        let set = ProfileBuilder.build(read, options: ProfileBuilder.Options(percentile: 95, coreMHz: 1000))
        let db = try #require(set.profiles.first { $0.entity == "db-1" }?.profile(of: .cpu))
        #expect(abs(db.max - 1500) < 1e-6 && db.samples == 12, "\(db)")
        #expect(!set.profiles.contains { $0.entity == "web-9" })
    }

    @Test func failedOrInstantAnswersAreRefused() throws {
        let failed = Support.file("failed.json", #"{"status":"error","errorType":"bad_data","error":"parse error at char 5"}"#)
        let instant = Support.file("instant.json", #"{"status":"success","data":{"resultType":"vector","result":[]}}"#)
        for (path, message) in [(failed, "the query failed: status error: parse error at char 5"), (instant, "resultType is vector")] {
            let run = try CLITests().hostfit("profile", "--traces", path, "--out", Support.temporaryDirectory() + "/p.csv")
            #expect(run.code == 2 && run.stderr.contains("\(path):1: \(message)"), "\(run.stderr)")
        }
        // A real capture of `up` (9 series; ../shared, MIT): nothing to plan on, and said why.
        let up = Support.packageRoot.appendingPathComponent("../shared/data/formats/prometheus/prometheus-api-client-python_up_201907281200.json").path
        if FileManager.default.fileExists(atPath: up) {
            let run = try CLITests().hostfit("profile", "--traces", up, "--out", Support.temporaryDirectory() + "/up.csv")
            #expect(run.code == 2 && run.stderr.contains(":1: no series Hostfit reads (9 series of up)"), "\(run.stderr)")
        } else {
            print("PrometheusTraceTests: ../shared/data/formats/prometheus is not beside the project: the real capture is not read")
        }
        // A folder's stray JSON that is no answer is passed over; named, it is refused.
        let folder = Support.temporaryDirectory()
        try #"{"owner": "ops"}"#.write(toFile: folder + "/meta.json", atomically: true, encoding: .utf8)
        try "timestamp,entity,metric,value\n1764547200,a,memory_mb,10\n".write(toFile: folder + "/a.csv", atomically: true, encoding: .utf8)
        #expect(try CLITests().hostfit("profile", "--traces", folder, "--core-mhz", "1000", "--out", folder + "/p.csv").code == 0)
        let named = try CLITests().hostfit("profile", "--traces", folder + "/meta.json", "--out", folder + "/q.csv")
        #expect(named.code == 2 && named.stderr.contains("meta.json:1: not a trace format Hostfit reads"), "\(named.stderr)")
    }
}

/// Proxmox VE rrddata: the guest's averages per interval, its name from the file's.
@Suite("Proxmox rrddata traces")
struct ProxmoxRRDTraceTests {
    @Test func aGuestsRRDDataProfilesInItsUnits() throws {
        let start: Int64 = 1_764_547_200
        let rows: [[String: Any]] = (0..<96).map { (k: Int) -> [String: Any] in
            var row: [String: Any] = ["time": start + Int64(k) * 1800, "maxcpu": 4, "maxmem": 8_589_934_592.0, "disk": 0, "maxdisk": 34_359_738_368.0]
            row["cpu"] = k % 48 < 12 ? 0.5 : 0.125
            row["mem"] = 2_147_483_648.0 + Double(k % 4) * 1_048_576
            row["netin"] = 125_000.0
            row["netout"] = 0.0
            row["diskread"] = 1_048_576.0
            row["diskwrite"] = 1_048_576.0
            return row
        }
        let dir = Support.temporaryDirectory()
        let path = dir + "/web-1.json"
        try JSONSerialization.data(withJSONObject: ["data": rows], options: .prettyPrinted).write(to: URL(fileURLWithPath: path))
        let read = try TraceLoader.read([path], scheme: .hourOfDay)
        let set = ProfileBuilder.build(read, options: ProfileBuilder.Options(percentile: 95, coreMHz: 2000))
        let web = try #require(set.profiles.first { $0.entity == "web-1" })
        // 50% of 4 vCPUs at 2000 MHz = 4000 MHz for a quarter of the day, 1000 otherwise.
        #expect(web.profile(of: .cpu)?.max == 4000 && web.profile(of: .cpu)?.p50 == 1000)
        #expect(web.profile(of: .memory)?.max == 2048 + 3 && web.profile(of: .network)?.max == 1)
        #expect(web.profile(of: .diskThroughput)?.max == 2)
        #expect(web.allocation.cores == 4 && web.allocation.memoryMB == 8192)
    }

    @Test func aStoppedGuestsRRDDataSaysSo() throws {
        let path = Support.fixture("proxmox/leap154-rrddata.json")
        let run = try CLITests().hostfit("profile", "--traces", path, "--out", Support.temporaryDirectory() + "/p.csv")
        #expect(run.code == 2 && run.stderr.contains("\(path):1: rrddata with sizes only"), "\(run.stderr)")
    }
}
