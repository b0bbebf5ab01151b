import Foundation

/// A Prometheus HTTP API `query_range` answer: the whole envelope
/// (`{"status": "success", "data": {"resultType": "matrix", "result": [...]}}`), its `data`,
/// or the bare `result` list; each series `{"metric": {labels}, "values": [[ts, "v"], ...]}`.
///
/// A series is read by its `__name__`:
/// - Hostfit's own names (`cpu_mhz`, `cpu_pct`, `memory_mb`, ...: a recording rule, or
///   `label_replace` on an expression) are taken as they are;
/// - node_exporter: `node_cpu_seconds_total` (per cpu and mode, a counter) becomes the busy
///   share of the machine's CPUs (every mode but idle and iowait, over all modes, between
///   two samples; a counter reset counts from zero, as `rate` does), its CPUs counted from
///   the series; `node_memory_MemTotal_bytes` minus `node_memory_MemAvailable_bytes` is the
///   memory in use;
/// - windows_exporter: `windows_cpu_time_total` as node_cpu (idle mode only), and
///   `windows_cs_physical_memory_bytes` minus `windows_os_physical_memory_free_bytes`;
/// - Proxmox's exporter: `pve_cpu_usage_ratio` (of the guest's vCPUs) and `pve_memory_usage_bytes`;
/// - libvirt's exporter: `libvirt_domain_info_memory_usage_bytes`, and
///   `libvirt_domain_info_cpu_time_seconds_total` (a counter) as a share of the domain's
///   `libvirt_domain_info_virtual_cpus`, which the same answer must hold.
/// The entity is the first label of `vm`, `domain`, `name`, `id`, `instance` (without its
/// port). Other series are counted as skipped, by name.
enum PrometheusReader {
    static let entityLabels = ["vm", "domain", "name", "id", "instance"]

    /// Whether a file's first line can start a query_range answer (JSON).
    static func mayBe(_ firstLine: String) -> Bool {
        let t = firstLine.trimmingCharacters(in: .whitespaces)
        guard let first = t.first, first == "{" || first == "[" else { return false }
        return t.count <= 2 || t.contains("\"resultType\"") || t.contains("\"values\"") || t.contains("\"metric\"") || t.contains("\"status\"")
    }

    private struct Series {
        var labels: [String: String]
        var values: [(time: Int64, value: Double)]
    }

    static func read(_ file: TraceFile, into c: TraceCollector) throws(InputError) {
        let root = try file.json(expected: "a Prometheus query_range answer")
        var result: Any? = root
        if let object = root as? [String: Any] {
            if let status = object["status"] as? String, status != "success" {
                throw InputError(file: file.path, line: 1, "the query failed: status \(status): \(object["error"] as? String ?? "")")
            }
            let inner = (object["data"] as? [String: Any]) ?? object
            if let type = inner["resultType"] as? String, type != "matrix" {
                throw InputError(file: file.path, line: 1, "resultType is \(type): a range query (query_range) answers a matrix, over time")
            }
            result = inner["result"]
        }
        guard let list = result as? [[String: Any]], list.allSatisfy({ $0["metric"] is [String: Any] && $0["values"] is [Any] }) else {
            throw InputError(file: file.path, line: 1, TraceFormat.notATrace)
        }
        var series: [Series] = []
        for (k, item) in list.enumerated() {
            let labels = (item["metric"] as? [String: Any] ?? [:]).compactMapValues { $0 as? String }
            var values: [(Int64, Double)] = []
            for pair in item["values"] as? [Any] ?? [] {
                guard let p = pair as? [Any], p.count == 2, let t = JSONDocument.number(p[0]), let v = JSONDocument.number(p[1]) else {
                    c.issues.bad(line: k + 1, "a value that is not [timestamp, \"number\"]", detail: "series \(k + 1)")
                    continue
                }
                guard v.isFinite else { c.issues.bad(line: k + 1, "not a finite number", detail: "series \(k + 1)"); continue }
                values.append((Int64(t.rounded(.down)), v))
            }
            series.append(Series(labels: labels, values: values))
        }
        c.issues.rows = series.reduce(0) { $0 + $1.values.count }
        try collect(series, into: c, file: file.path)
    }

    private static func entity(_ labels: [String: String], chosen: String?) -> String? {
        for key in chosen.map({ [$0] }) ?? entityLabels {
            guard var value = labels[key], !value.isEmpty else { continue }
            if key == "instance", let colon = value.lastIndex(of: ":"), value[value.index(after: colon)...].allSatisfy(\.isNumber), !value.hasSuffix("]") {
                value = String(value[..<colon])
            }
            return value
        }
        return nil
    }

    private static func collect(_ all: [Series], into c: TraceCollector, file: String) throws(InputError) {
        var cpuModes: [String: [Series]] = [:]  // entity -> node_cpu / windows_cpu series
        var memory: [String: (total: [Int64: Double], free: [Int64: Double])] = [:]
        var idleModes: [String: Set<String>] = [:]
        var skipped: [String: Int] = [:]
        var read = 0
        var domainCPU: [String: [Series]] = [:], domainVCPUs: [String: Double] = [:]
        for s in all {
            let name = s.labels["__name__"] ?? ""
            guard let who = entity(s.labels, chosen: c.entityLabel) else {
                let names = c.entityLabel.map { "'\($0)'" } ?? entityLabels.joined(separator: ", ")
                skipped["without a \(names) label", default: 0] += 1
                c.issues.skipped["series without a \(names) label", default: 0] += s.values.count
                continue
            }
            switch name {
            case "node_cpu_seconds_total", "windows_cpu_time_total":
                cpuModes[who, default: []].append(s)
                idleModes[who] = name == "node_cpu_seconds_total" ? ["idle", "iowait"] : ["idle"]
            case "libvirt_domain_info_cpu_time_seconds_total":
                domainCPU[who, default: []].append(s)
            case "libvirt_domain_info_virtual_cpus":
                if let top = s.values.map(\.value).max(), top >= 1 { domainVCPUs[who] = max(domainVCPUs[who] ?? 0, top) }
            case "node_memory_MemTotal_bytes", "windows_cs_physical_memory_bytes":
                for (t, v) in s.values { memory[who, default: ([:], [:])].total[t] = v }
            case "node_memory_MemAvailable_bytes", "windows_os_physical_memory_free_bytes":
                for (t, v) in s.values { memory[who, default: ([:], [:])].free[t] = v }
            default:
                let metric: Metric?, scale: Double
                switch name {
                case "pve_cpu_usage_ratio": (metric, scale) = (.cpuPercent, 100)
                case "pve_memory_usage_bytes", "libvirt_domain_info_memory_usage_bytes": (metric, scale) = (.memoryMB, 1 / 1_048_576)
                default: (metric, scale) = (Metric(name: name), 1)
                }
                guard let metric else {
                    skipped[name.isEmpty ? "without __name__" : "of \(name)", default: 0] += 1
                    c.issues.skipped[name.isEmpty ? "series without __name__ (name an expression as a Hostfit metric: label_replace or a recording rule)" : "series of \(name)", default: 0] += s.values.count
                    continue
                }
                read += 1
                let e = c.entity(who)
                for (t, v) in s.values where v >= 0 { c.add(entity: e, time: t, metric: metric, value: v * scale) }
            }
        }
        for (who, series) in domainCPU.sorted(by: { $0.key < $1.key }) {
            guard let vcpus = domainVCPUs[who] else {
                skipped["of libvirt_domain_info_cpu_time_seconds_total without libvirt_domain_info_virtual_cpus", default: 0] += series.count
                c.issues.skipped["libvirt CPU time of domains whose libvirt_domain_info_virtual_cpus the answer lacks", default: 0] += series.reduce(0) { $0 + $1.values.count }
                continue
            }
            read += 1
            let e = c.entity(who)
            c.allocate(who, EntityAllocation(cores: Int(vcpus.rounded(.up))))
            for s in series {
                for (a, b) in zip(s.values, s.values.dropFirst()) where b.time > a.time {
                    let seconds = (b.value >= a.value ? b.value - a.value : b.value) / Double(b.time - a.time)
                    c.add(entity: e, time: b.time, metric: .cpuPercent, value: min(100, seconds / vcpus * 100))
                }
            }
        }
        guard read > 0 || !memory.isEmpty || !cpuModes.isEmpty else {
            let said = skipped.sorted { $0.key < $1.key }.map { "\($0.value) series \($0.key)" }.joined(separator: ", ")
            throw InputError(file: file, line: 1, "no series Hostfit reads (\(said.isEmpty ? "the answer is empty" : said)): query CPU and memory (node_cpu_seconds_total, node_memory_*, pve_*, ...) or name an expression as a Hostfit metric (cpu_pct, memory_mb, ...) with a recording rule or label_replace")
        }
        for (who, both) in memory.sorted(by: { $0.key < $1.key }) {
            let e = c.entity(who)
            if let top = both.total.values.max() { c.allocate(who, EntityAllocation(memoryMB: top / 1_048_576)) }
            for (t, total) in both.total.sorted(by: { $0.key < $1.key }) {
                guard let free = both.free[t] else { continue }
                c.add(entity: e, time: t, metric: .memoryMB, value: max(0, total - free) / 1_048_576)
            }
        }
        for (who, series) in cpuModes.sorted(by: { $0.key < $1.key }) {
            let idle = idleModes[who] ?? ["idle"]
            var busy: [Int64: Double] = [:], total: [Int64: Double] = [:]
            var cpus = Set<String>()
            for s in series {
                cpus.insert(s.labels["cpu"] ?? s.labels["core"] ?? "")
                let isIdle = idle.contains(s.labels["mode"] ?? "")
                for (a, b) in zip(s.values, s.values.dropFirst()) where b.time > a.time {
                    // A counter that went down was reset: it counts from zero again.
                    let seconds = (b.value >= a.value ? b.value - a.value : b.value) / Double(b.time - a.time)
                    total[b.time, default: 0] += seconds
                    if !isIdle { busy[b.time, default: 0] += seconds }
                }
            }
            let e = c.entity(who)
            c.allocate(who, EntityAllocation(cores: cpus.count))
            for (t, sum) in total.sorted(by: { $0.key < $1.key }) where sum > 0 {
                c.add(entity: e, time: t, metric: .cpuPercent, value: min(100, (busy[t] ?? 0) / sum * 100))
            }
        }
    }
}
