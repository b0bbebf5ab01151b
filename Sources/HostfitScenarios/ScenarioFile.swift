import Foundation
import Hostfit
import Yams

/// Reads scenarios.yaml: a `base` (the inventory every scenario starts from, paths relative
/// to the file) and a list of `scenarios`, each a name, an optional `from`, and changes in
/// the order written. Every error names the file and line.
///
///     base: {hosts: hosts.csv, vms: vms.csv, models: models.csv, traces: traces/, headroom: "cpu=80,memory=90"}
///     (and licences: licences.csv, prices for the licences hosts and VMs name)
///     scenarios:
///       - name: today
///       - name: n+1
///         from: today
///         reserve: 1
public enum ScenarioFile {
    public static let changeKeys = ["add_vms", "remove_vms", "fail_hosts", "drain_hosts", "add_hosts", "buy", "replace_model", "growth",
                                    "headroom", "sizing", "percentile", "vcpu_ratio", "memory_ratio", "reserve", "right_size",
                                    "host_overhead"]
    static let baseKeys = ["hosts", "vms", "models", "traces", "headroom", "sizing", "percentile", "vcpu_ratio", "memory_ratio", "reserve", "core_mhz", "licences"]

    public struct Contents: Sendable {
        public var base: ScenarioBase
        public var scenarios: [Scenario]
        public var coreMHz: Double?
    }

    public static func read(_ path: String) throws(InputError) -> Contents {
        guard let data = FileManager.default.contents(atPath: path) else { throw InputError(file: path, "cannot be read") }
        guard let text = String(data: data, encoding: .utf8) else { throw InputError(file: path, "is not UTF-8 text") }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw InputError(file: path, line: line(of: error), "not valid YAML: \(problem(of: error))")
        } catch {
            throw InputError(file: path, "not valid YAML: \(error)")
        }
        let reader = Reader(file: path, folder: (path as NSString).deletingLastPathComponent)
        guard let root, let top = root.mapping else { throw InputError(file: path, line: 1, "expected a mapping with base: and scenarios:") }
        try reader.onlyKeys(top, ["base", "scenarios"], what: "the top level")
        guard let baseNode = top["base"] else { throw InputError(file: path, line: 1, "no base: (the hosts and VMs every scenario starts from)") }
        let (base, coreMHz) = try reader.base(baseNode)
        guard let list = top["scenarios"], let items = list.sequence, !items.isEmpty else {
            throw InputError(file: path, line: top["scenarios"].map(reader.line) ?? 1, "scenarios: must be a list of at least one scenario")
        }
        var scenarios: [Scenario] = []
        var names = Set<String>()
        for item in items {
            let scenario = try reader.scenario(item)
            guard names.insert(scenario.name).inserted else {
                throw InputError(file: path, line: scenario.line, "a second scenario named '\(scenario.name)'")
            }
            scenarios.append(scenario)
        }
        return Contents(base: base, scenarios: scenarios, coreMHz: coreMHz)
    }

    static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: nil
        }
    }

    static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): problem
        default: "\(error)"
        }
    }

    struct Reader {
        let file: String
        let folder: String

        func line(_ node: Node) -> Int { node.mark?.line ?? 0 }
        func fail(_ node: Node, _ message: String) -> InputError { InputError(file: file, line: line(node), message) }

        func onlyKeys(_ mapping: Node.Mapping, _ known: [String], what: String) throws(InputError) {
            for (key, _) in mapping {
                guard let name = key.string, known.contains(name) else {
                    let name = key.string ?? "?"
                    throw fail(key, "unknown key '\(name)' in \(what)\(NameSuggestion.hint(for: name, among: known)); known: \(known.joined(separator: ", "))")
                }
            }
        }

        func string(_ node: Node, _ what: String) throws(InputError) -> String {
            guard node.scalar != nil, let s = node.string, !s.isEmpty else { throw fail(node, "\(what) must be a text") }
            return s
        }

        func number(_ node: Node, _ what: String) throws(InputError) -> Double {
            guard node.scalar != nil, let s = node.string, let x = Double(s.replacingOccurrences(of: "%", with: "")), x.isFinite else {
                throw fail(node, "\(what) must be a number")
            }
            return x
        }

        func integer(_ node: Node, _ what: String) throws(InputError) -> Int {
            guard node.scalar != nil, let s = node.string, let k = Int(s) else { throw fail(node, "\(what) must be a whole number") }
            return k
        }

        func strings(_ node: Node, _ what: String) throws(InputError) -> [String] {
            if node.scalar != nil { return [try string(node, what)] }
            guard let items = node.sequence else { throw fail(node, "\(what) must be a name or a list of names") }
            var out: [String] = []
            for item in items { out.append(try string(item, what)) }
            return out
        }

        func path(_ relative: String) -> String {
            relative.hasPrefix("/") ? relative : (folder as NSString).appendingPathComponent(relative)
        }

        func sizing(_ node: Node) throws(InputError) -> DemandSizing {
            let text = try string(node, "sizing")
            guard let sizing = DemandSizing(rawValue: text) else {
                let all = ["history", "profile", "percentile", "peak", "allocation"]
                throw fail(node, "sizing '\(text)' is not one of \(all.joined(separator: ", "))\(NameSuggestion.hint(for: text, among: all))")
            }
            return sizing
        }

        func base(_ node: Node) throws(InputError) -> (ScenarioBase, Double?) {
            guard let m = node.mapping else { throw fail(node, "base: must be a mapping (hosts:, vms:, ...)") }
            try onlyKeys(m, ScenarioFile.baseKeys, what: "base")
            guard m["hosts"] != nil || m["models"] != nil else { throw fail(node, "base: needs hosts: (or models: to buy every host)") }
            var paths: [(role: String, path: String)] = []
            var hosts: [VMHost] = [], catalog: [VMHost] = [], vms: [VM] = []
            var hostReads: [LicenceCheck.Source<VMHost>] = []
            if let h = m["hosts"] {
                let p = path(try string(h, "hosts")); paths.append(("hosts", p))
                let read = try HostInventoryFile.load(p)
                hosts = read.items
                hostReads.append(LicenceCheck.Source(read, file: p))
            }
            if let c = m["models"] {
                let p = path(try string(c, "models")); paths.append(("models", p))
                let read = try HostInventoryFile.loadCatalog(p)
                catalog = read.items
                hostReads.append(LicenceCheck.Source(read, file: p))
            }
            var licences: (read: InputRead<Licence>, file: String)?
            if let l = m["licences"] {
                let p = path(try string(l, "licences")); paths.append(("licences", p))
                licences = (try LicenceFile.load(p), p)
            }
            var traces: [String] = []
            if let t = m["traces"] {
                traces = try strings(t, "traces").map(path)
                for (k, p) in traces.enumerated() {
                    guard FileManager.default.fileExists(atPath: p) else { throw fail(t, "traces: \(p) does not exist") }
                    paths.append(("traces", traces[k]))
                }
            }
            if let v = m["vms"] {
                let p = path(try string(v, "vms")); paths.append(("vms", p))
                let read = try VMInventoryFile.load(p)
                vms = InventoryCheck.reconcile(read, vmFile: p, hosts: hosts, hostFile: paths.first { $0.role == "hosts" }?.path ?? "").vms
                _ = try LicenceCheck.check(licences: licences?.read, licencesFile: licences?.file, hosts: hostReads, vms: LicenceCheck.Source(read, file: p))
            } else {
                throw fail(node, "base: needs vms: (what-if scenarios change an inventory)")
            }
            var rules = PlacementRules()
            if let r = m["vcpu_ratio"] { rules.vcpusPerCore = try number(r, "vcpu_ratio") }
            if let r = m["memory_ratio"] { rules.memoryRatio = try number(r, "memory_ratio") }
            if let r = m["reserve"] { rules.reserve = try integer(r, "reserve") }
            rules.licences = licences?.read.items ?? []
            let base = ScenarioBase(hosts: hosts, catalog: catalog, vms: vms, traces: traces,
                                    headroom: try m["headroom"].map { (n: Node) throws(InputError) in try string(n, "headroom") },
                                    sizing: try m["sizing"].map(sizing) ?? .history,
                                    percentile: try m["percentile"].map { (n: Node) throws(InputError) in try number(n, "percentile") } ?? 95,
                                    rules: rules, paths: paths)
            return (base, try m["core_mhz"].map { (n: Node) throws(InputError) in try number(n, "core_mhz") })
        }

        func scenario(_ node: Node) throws(InputError) -> Scenario {
            guard let m = node.mapping else { throw fail(node, "each scenario must be a mapping with name: and its changes") }
            try onlyKeys(m, ["name", "from", "description"] + ScenarioFile.changeKeys, what: "a scenario")
            guard let nameNode = m["name"] else { throw fail(node, "a scenario needs a name:") }
            var scenario = Scenario(name: try string(nameNode, "name"), from: try m["from"].map { (n: Node) throws(InputError) in try string(n, "from") },
                                    line: line(node))
            for (key, value) in m {
                guard let name = key.string, ScenarioFile.changeKeys.contains(name) else { continue }
                scenario.changes.append(Located(try change(name, value), line: line(key)))
            }
            return scenario
        }

        func change(_ key: String, _ node: Node) throws(InputError) -> ScenarioChange {
            func fields(_ known: [String]) throws(InputError) -> Node.Mapping {
                guard let m = node.mapping else { throw fail(node, "\(key): must be a mapping of \(known.joined(separator: ", "))") }
                try onlyKeys(m, known, what: key)
                return m
            }
            func required(_ m: Node.Mapping, _ name: String) throws(InputError) -> Node {
                guard let n = m[name] else { throw fail(node, "\(key): needs \(name):") }
                return n
            }
            switch key {
            case "add_vms":
                let m = try fields(["like", "count", "prefix", "file"])
                if let f = m["file"] {
                    let p = path(try string(f, "file"))
                    return .addVMs(try VMInventoryFile.load(p).items)
                }
                let like = try string(try required(m, "like"), "like")
                let count = try integer(try required(m, "count"), "count")
                guard count > 0 else { throw fail(node, "add_vms: count must be at least 1") }
                return .addVMsLike(like: like, count: count, prefix: try m["prefix"].map { (n: Node) throws(InputError) in try string(n, "prefix") } ?? "\(like)-copy")
            case "remove_vms": return .removeVMs(try strings(node, key))
            case "fail_hosts": return .failHosts(try strings(node, key))
            case "drain_hosts": return .drainHosts(try strings(node, key))
            case "add_hosts":
                let m = try fields(["model", "count"])
                let count = try integer(try required(m, "count"), "count")
                guard count > 0 else { throw fail(node, "add_hosts: count must be at least 1") }
                return .addHosts(model: try string(try required(m, "model"), "model"), count: count)
            case "buy":
                if node.bool == true { return .buy(models: []) }
                return .buy(models: try strings(node, key))
            case "replace_model":
                let m = try fields(["from", "to"])
                return .replaceModel(from: try string(try required(m, "from"), "from"), to: try string(try required(m, "to"), "to"))
            case "growth":
                let m = try fields(["percent_per_year", "trend", "months"])
                let months = try m["months"].map { (n: Node) throws(InputError) in try number(n, "months") } ?? 12
                guard months >= 0 else { throw fail(node, "growth: months must be 0 or more") }
                if let trend = m["trend"] {
                    guard m["percent_per_year"] == nil else { throw fail(node, "growth: give percent_per_year or trend: true, not both") }
                    guard trend.bool == true else { throw fail(trend, "growth: trend must be true (each VM grows on its own trend), or left out") }
                    return .trendGrowth(months: months)
                }
                guard let rateNode = m["percent_per_year"] else { throw fail(node, "growth: needs percent_per_year: (or trend: true, each VM on its own trend)") }
                let rate = try number(rateNode, "percent_per_year")
                guard rate > -100 else { throw fail(node, "growth of \(Resource.number(rate))% a year: demand cannot fall by 100% or more") }
                return .growth(percentPerYear: rate, months: months)
            case "headroom": return .headroom(try string(node, key))
            case "sizing": return .sizing(try sizing(node))
            case "percentile": return .percentile(try number(node, key))
            case "vcpu_ratio": return .vcpuRatio(node.null != nil ? nil : try number(node, key))
            case "memory_ratio": return .memoryRatio(node.null != nil ? nil : try number(node, key))
            case "reserve": return .reserve(try integer(node, key))
            case "host_overhead":
                let m = try fields(["memory_mb", "cpu_pct"])
                let memory = try m["memory_mb"].map { (n: Node) throws(InputError) in try number(n, "memory_mb") } ?? 0
                let cpu = try m["cpu_pct"].map { (n: Node) throws(InputError) in try number(n, "cpu_pct") } ?? 0
                guard memory >= 0, cpu >= 0, cpu < 100 else { throw fail(node, "host_overhead: memory_mb must be 0 or more and cpu_pct 0 to under 100") }
                return .hostOverhead(memoryMB: memory, cpuPercent: cpu)
            default:  // right_size
                if let on = node.bool {
                    guard on else { throw fail(node, "right_size: false changes nothing: leave it out") }
                    return .rightSize(powerOffIdle: false)
                }
                let m = try fields(["power_off_idle"])
                return .rightSize(powerOffIdle: m["power_off_idle"]?.bool ?? false)
            }
        }
    }
}
