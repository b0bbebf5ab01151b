import Foundation
import Hostfit

/// Bin-packing benchmark instances through the planner, in-process: BPPLIB one-dimensional
/// (`.txt`: n, capacity, weights) and vector packing (`.vbp`: dimensions, capacities, n,
/// then each item's sizes and multiplicity). Instances are split over `jobs` child
/// processes (GLPK runs one solve per process at a time); each instance gets `limit` seconds.
enum BinPacking {
    struct Instance {
        var name: String
        var family: String
        var capacity: [Double]
        var items: [[Double]]
    }

    struct Outcome {
        var name: String, family: String
        var items: Int, hosts: Int, bound: Int, status: String, seconds: Double, valid: Bool
        var line: String { "\(name)\t\(family)\t\(items)\t\(hosts)\t\(bound)\t\(status)\t\(String(format: "%.3f", seconds))\t\(valid ? 1 : 0)" }
        init(name: String, family: String, items: Int, hosts: Int, bound: Int, status: String, seconds: Double, valid: Bool) {
            self.name = name; self.family = family; self.items = items; self.hosts = hosts
            self.bound = bound; self.status = status; self.seconds = seconds; self.valid = valid
        }
        init?(line: Substring) {
            let f = line.split(separator: "\t").map(String.init)
            guard f.count == 8, let items = Int(f[2]), let hosts = Int(f[3]), let bound = Int(f[4]), let seconds = Double(f[6]) else { return nil }
            self.init(name: f[0], family: f[1], items: items, hosts: hosts, bound: bound, status: f[5], seconds: seconds, valid: f[7] == "1")
        }
    }

    /// Every instance file under the roots, in name order.
    static func files(under roots: [String]) -> [String] {
        var found: [String] = []
        for root in roots {
            guard let walker = FileManager.default.enumerator(atPath: root) else { continue }
            for case let path as String in walker where path.hasSuffix(".vbp") || (path.hasSuffix(".txt") && path.contains("_")) {
                let full = root + "/" + path
                if !path.contains("LICENSE") && !path.contains("PROVENANCE") { found.append(full) }
            }
        }
        return found.sorted()
    }

    static func family(of path: String) -> String {
        let parts = path.split(separator: "/").map(String.init)
        if path.hasSuffix(".vbp") {
            // .../Panigrahy_instances_multidim/class4/class4_120_5_3.vbp: class and dimensions.
            let name = parts.last!.dropLast(4).split(separator: "_")
            let set = parts.first { $0.hasSuffix("_instances_multidim") }?.replacingOccurrences(of: "_instances_multidim", with: "") ?? "vector"
            return name.count >= 3 ? "\(set) \(name[0]) d\(name[2])" : set
        }
        for known in ["Falkenauer_T", "Falkenauer_U", "Scholl_1", "Scholl_2", "Scholl_3", "Waescher", "Schwerin_1", "Schwerin_2"]
        where parts.contains(known) || parts.dropLast().contains(where: { $0 == known }) { return known }
        return parts.count >= 2 ? parts[parts.count - 2] : "bpplib"
    }

    static func read(_ path: String) throws -> Instance {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let numbers = text.split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
        let name = String(path.split(separator: "/").last!.split(separator: ".").first!)
        func need(_ k: Int) throws { if numbers.count < k { throw BenchError("\(path): \(numbers.count) numbers, expected at least \(k)") } }
        try need(2)
        if path.hasSuffix(".vbp") {
            let d = Int(numbers[0])
            try need(d + 2)
            let capacity = Array(numbers[1...d])
            let n = Int(numbers[d + 1])
            var items: [[Double]] = []
            var k = d + 2
            try need(d + 2 + n * (d + 1))
            for _ in 0..<n {
                let size = Array(numbers[k..<(k + d)])
                let copies = Int(numbers[k + d])
                items += Array(repeating: size, count: copies)
                k += d + 1
            }
            return Instance(name: name, family: family(of: path), capacity: capacity, items: items)
        }
        let n = Int(numbers[0])
        try need(2 + n)
        return Instance(name: name, family: family(of: path), capacity: [numbers[1]], items: numbers[2..<(2 + n)].map { [$0] })
    }

    /// One host per item (never short of hosts), capacity as given, no headroom.
    static func problem(_ instance: Instance) -> PlacementProblem {
        let D = instance.capacity.count, n = instance.items.count
        let resources = (0..<D).map { Resource.counted("d\($0 + 1)") }
        let hosts = (0..<n).map { VMHost(id: "b\($0 + 1)", cpuCores: 1, cpuMHzPerCore: 1, memoryMB: 0) }
        let vms = (0..<n).map { VM(id: "i\($0 + 1)", vcpus: 1, memoryMB: 0) }
        var capacity = [Double]()
        for _ in 0..<n { capacity += instance.capacity }
        return PlacementProblem(hosts: hosts, vms: vms, resources: resources, headroom: Headroom(), buckets: 1,
                                capacity: capacity, rawCapacity: capacity, demand: instance.items.flatMap { $0 },
                                mhzPerVCPU: 1, notes: [])
    }

    static func solve(_ path: String, limit: Double) throws -> Outcome {
        let instance = try read(path)
        let problem = problem(instance)
        // HOSTFIT_BENCH_EFFORT: a work budget (as --effort takes it) instead of half the limit.
        let effort = ProcessInfo.processInfo.environment["HOSTFIT_BENCH_EFFORT"].flatMap { Effort($0) }
        var options = PlanOptions(solver: .auto, timeLimit: limit, effort: effort)
        if ProcessInfo.processInfo.environment["HOSTFIT_GLPK_TRACE"] != nil {
            options.glpkTrace = { FileHandle.standardError.write(Data($0.utf8)) }
        }
        options.improve = false  // balance means nothing here; keep the limit for the search
        let outcome = Planner.plan(problem, options: options)
        if ProcessInfo.processInfo.environment["HOSTFIT_BENCH_VERBOSE"] != nil {
            let phases = zip(outcome.phases, outcome.work.phases).map {
                "\($0.phase.rawValue) \(String(format: "%.2f s, %.2f ref s", $0.seconds, $1.units / 1e6))"
            }.joined(separator: ", ") + (outcome.work.stoppedByClock ? " (clock)" : "")
            FileHandle.standardError.write(Data("\(instance.name): \(outcome.hostsUsed) hosts, bound \(outcome.lowerBound.hosts) (\(outcome.lowerBound.method.rawValue)), \(outcome.solver); \(phases)\n  \(outcome.notes.map(\.message).joined(separator: "\n  "))\n".utf8))
        }
        let valid = (try? ValidatedPlan(outcome, for: problem)) != nil && outcome.assignment.placedCount == problem.vmCount
        return Outcome(name: instance.name, family: instance.family, items: instance.items.count, hosts: outcome.hostsUsed,
                       bound: outcome.lowerBound.hosts, status: outcome.status.rawValue, seconds: outcome.seconds, valid: valid)
    }

    /// Known optima (and the best published heuristic, for vector sets) by instance name,
    /// from each root or a folder above it (so that a subset, such as the triplets, has them).
    static func reference(_ roots: [String]) -> [String: (optimum: Int?, bestHeuristic: Int?)] {
        var table: [String: (optimum: Int?, bestHeuristic: Int?)] = [:]
        let folders = roots.flatMap { root in
            (0..<4).map { up in (0..<up).reduce(URL(fileURLWithPath: root).standardizedFileURL) { url, _ in url.deletingLastPathComponent() }.path }
        }
        for root in Array(Set(folders)) {
            let bounds = root + "/Bounds.txt"
            if let text = try? String(contentsOfFile: bounds, encoding: .utf8) {
                for line in text.split(whereSeparator: \.isNewline) {
                    let f = line.split(whereSeparator: { $0 == "\t" || $0 == " " })
                    if f.count == 3, let lb = Int(f[1]), let ub = Int(f[2]) { table[String(f[0])] = (lb == ub ? lb : nil, nil) }
                }
            }
            for summary in ["Panigrahy_summary_known.csv", "Triplet_summary_known.csv"] {
                guard let text = try? String(contentsOfFile: root + "/results/" + summary, encoding: .utf8) else { continue }
                for line in text.split(whereSeparator: \.isNewline).dropFirst() {
                    let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                    guard f.count >= 4 else { continue }
                    table[f[0]] = (Int(f[2]).flatMap { $0 > 0 ? $0 : nil }, Int(f[3]))  // -1: optimum unknown
                }
            }
        }
        return table
    }

    static func run(roots: [String], limit: Double, jobs: Int, every: Int) throws {
        var files = files(under: roots)
        if every > 1 { files = files.enumerated().filter { $0.offset % every == 0 }.map(\.element) }
        guard !files.isEmpty else { throw BenchError("no instances under \(roots.joined(separator: ", "))") }
        let start = Date()
        let me = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        var shards: [(Process, URL)] = []
        for j in 0..<jobs {
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("hostfit-bench-\(getpid())-\(j).tsv")
            _ = FileManager.default.createFile(atPath: out.path, contents: nil)
            let process = Process()
            process.executableURL = me
            process.arguments = ["binpacking-shard", String(limit)] + files.enumerated().filter { $0.offset % jobs == j }.map(\.element)
            process.standardOutput = try FileHandle(forWritingTo: out)
            try process.run()
            shards.append((process, out))
        }
        var outcomes: [Outcome] = []
        for (process, out) in shards {
            process.waitUntilExit()
            let text = try String(contentsOf: out, encoding: .utf8)
            outcomes += text.split(separator: "\n").compactMap { Outcome(line: $0) }
            try? FileManager.default.removeItem(at: out)
        }
        let wall = Date().timeIntervalSince(start)
        report(outcomes, reference: reference(roots), expected: files.count, wall: wall, limit: limit, jobs: jobs)
    }

    static func shard(limit: Double, files: [String]) throws {
        for path in files {
            let outcome = try solve(path, limit: limit)
            FileHandle.standardOutput.write(Data((outcome.line + "\n").utf8))
        }
    }

    static func report(_ outcomes: [Outcome], reference: [String: (optimum: Int?, bestHeuristic: Int?)], expected: Int,
                       wall: Double, limit: Double, jobs: Int) {
        let families = Dictionary(grouping: outcomes, by: \.family)
        print("\(outcomes.count) of \(expected) instances, \(Resource.number(limit)) s limit each, \(jobs) at a time, \(String(format: "%.0f", wall)) s in all")
        print("family                   n  proven  =opt  gap-opt  gap-best  >best  <best  mean s  max s  invalid")
        var all: [Outcome] = []
        for (family, list) in families.sorted(by: { $0.key < $1.key }) {
            all += list
            print(line(family, list, reference))
        }
        print(line("all", all, reference))
        if outcomes.count < expected { print("MISSING: \(expected - outcomes.count) instances gave no result (a crash?)") }
    }

    /// proven: share proven optimal; =opt: share at the known optimum; gap-opt: mean
    /// (hosts - optimum) / optimum; gap-best and >best / <best: against the best published heuristic.
    static func line(_ family: String, _ list: [Outcome], _ reference: [String: (optimum: Int?, bestHeuristic: Int?)]) -> String {
        let proven = list.count { $0.status == "optimal" }
        var atOptimum = 0, withOptimum = 0, gapOpt = 0.0, gapBest = 0.0, withBest = 0, worse = 0, better = 0
        for o in list {
            if let opt = reference[o.name]?.optimum {
                withOptimum += 1
                if o.hosts == opt { atOptimum += 1 }
                gapOpt += Double(o.hosts - opt) / Double(opt)
            }
            if let best = reference[o.name]?.bestHeuristic {
                withBest += 1
                gapBest += Double(o.hosts - best) / Double(best)
                if o.hosts > best { worse += 1 } else if o.hosts < best { better += 1 }
            }
        }
        func pct(_ a: Int, _ b: Int) -> String { b == 0 ? "-" : String(format: "%.1f%%", 100 * Double(a) / Double(b)) }
        func mean(_ x: Double, _ k: Int) -> String { k == 0 ? "-" : String(format: "%.2f%%", 100 * x / Double(k)) }
        let seconds = list.map(\.seconds)
        return family.padding(toLength: 22, withPad: " ", startingAt: 0)
            + String(format: "%5d", list.count)
            + pct(proven, list.count).leftPad(8) + pct(atOptimum, withOptimum).leftPad(7)
            + mean(gapOpt, withOptimum).leftPad(9) + mean(gapBest, withBest).leftPad(10)
            + (withBest == 0 ? "-" : String(worse)).leftPad(7) + (withBest == 0 ? "-" : String(better)).leftPad(7)
            + String(format: "%8.2f", seconds.reduce(0, +) / Double(max(seconds.count, 1))) + String(format: "%7.2f", seconds.max() ?? 0)
            + String(list.count { !$0.valid }).leftPad(9)
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension String {
    func leftPad(_ width: Int) -> String { count >= width ? " " + self : String(repeating: " ", count: width - count) + self }
}
