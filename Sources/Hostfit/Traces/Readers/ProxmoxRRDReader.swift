import Foundation

/// Proxmox VE's `rrddata` of a guest or a node (`pvesh get /nodes/N/qemu/ID/rrddata
/// --timeframe week --output-format json`, or the API's `{"data": [...]}`): one row per
/// interval with `time` and averages over it. The file holds one entity, which the export
/// does not name: the file's name is the entity (`web-1.json` is web-1).
/// - `cpu` is a share of `maxcpu` (which, with `maxmem`, is the allocation);
/// - `mem` (a node's `memused`) is bytes in use;
/// - `netin` + `netout` and `diskread` + `diskwrite` are bytes a second.
/// Rows of a stopped guest carry only sizes, and give no samples.
enum ProxmoxRRDReader {
    static func looksLike(_ head: String) -> Bool {
        head.contains("\"time\"") && (head.contains("\"maxcpu\"") || head.contains("\"maxmem\"") || head.contains("\"memtotal\""))
            && !head.contains("\"resultType\"") && !head.contains("\"metric\"")
    }

    static func read(_ file: TraceFile, into c: TraceCollector) throws(InputError) {
        let root = try file.json(expected: "a Proxmox rrddata answer")
        guard let rows = (root as? [[String: Any]]) ?? ((root as? [String: Any])?["data"] as? [[String: Any]]) else {
            throw InputError(file: file.path, line: 1, TraceFormat.notATrace)
        }
        let name = file.stem
        let e = c.entity(name)
        var cores: Double?, memory: Double?
        var samples = 0
        c.issues.rows = rows.count
        c.issues.notes.append("\(file.path): Proxmox rrddata names no guest: its samples are '\(name)', from the file's name")
        for (k, row) in rows.enumerated() {
            guard let time = JSONDocument.number(row["time"]) else { c.issues.bad(line: k + 1, "a row without time", detail: "row \(k + 1)"); continue }
            let t = Int64(time)
            if let n = JSONDocument.number(row["maxcpu"]), n > 0 { cores = max(cores ?? 0, n) }
            if let m = JSONDocument.number(row["maxmem"] ?? row["memtotal"]), m > 0 { memory = max(memory ?? 0, m / 1_048_576) }
            func add(_ metric: Metric, _ value: Double?) {
                guard let value else { return }
                guard value.isFinite, value >= 0 else { c.issues.bad(line: k + 1, "not a demand (0 or more)", detail: metric.name); return }
                c.add(entity: e, time: t, metric: metric, value: value)
                samples += 1
            }
            add(.cpuPercent, JSONDocument.number(row["cpu"]).map { min(100, $0 * 100) })
            add(.memoryMB, JSONDocument.number(row["mem"] ?? row["memused"]).map { $0 / 1_048_576 })
            let net = [row["netin"], row["netout"]].compactMap(JSONDocument.number)
            add(.netMbps, net.isEmpty ? nil : net.reduce(0, +) * 8 / 1_000_000)
            let disk = [row["diskread"], row["diskwrite"]].compactMap(JSONDocument.number)
            add(.diskMBps, disk.isEmpty ? nil : disk.reduce(0, +) / 1_048_576)
        }
        c.allocate(name, EntityAllocation(cores: cores.map { Int($0.rounded(.up)) }, memoryMB: memory))
        if samples == 0, !rows.isEmpty {
            throw InputError(file: file.path, line: 1, "rrddata with sizes only (maxcpu, maxmem) and no cpu, mem, net or disk: the guest was not running in that timeframe")
        }
    }
}
