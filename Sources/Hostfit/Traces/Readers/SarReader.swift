/// Linux sysstat as `sadf -d` writes it: `# hostname;interval;timestamp;...` then one row
/// per sample (per CPU, device or interface), `;`-separated, timestamps in UTC.
///
/// - CPU (`-u -P ALL`): the all-CPU row (CPU -1) gives 100 - %idle; the numbered CPUs give
///   the core count.
/// - memory (`-r`): kbmemused (sysstat 11.5 and later count it without buffers and cache).
/// - disk (`-d`): tps summed over devices as IOPS; rkB/s + wkB/s (or rd_sec/s + wr_sec/s in
///   512-byte sectors, as older sysstat writes) as MB/s.
/// - network (`-n DEV`): rxkB/s + txkB/s summed over interfaces other than lo.
/// Other reports (load, paging, swap) are not demand and are skipped.
enum SarReader {
    private enum Kind { case cpu, memory, disk, network, other }

    static func read(_ file: TraceFile, into c: TraceCollector) throws(InputError) {
        var fields = FieldSplitter(separator: 0x3B)
        var column: [String: Int] = [:]
        var kind = Kind.other
        var header = true
        var cores: [String: Set<Int64>] = [:]
        // Rows of one timestamp add up (devices, interfaces) before they become samples.
        var pendingTime: [Int: Int64] = [:]
        var pending: [Int: (a: Double, b: Double)] = [:]

        func flush(_ e: Int) {
            guard let time = pendingTime[e], let sums = pending[e] else { return }
            switch kind {
            case .disk:
                c.add(entity: e, time: time, metric: .diskIOPS, value: sums.a)
                c.add(entity: e, time: time, metric: .diskMBps, value: sums.b)
            case .network:
                c.add(entity: e, time: time, metric: .netMbps, value: sums.a)
            default: break
            }
            pending[e] = nil
            pendingTime[e] = nil
        }

        try file.forEachLine { line, number throws(InputError) in
            guard !line.isEmpty else { return }
            fields.split(line)
            if header {
                header = false
                for k in 0..<fields.count {
                    var name = fields.text(k, in: line).lowercased()
                    if k == 0, name.hasPrefix("#") { name = name.dropFirst().trimmingCharacters(in: .whitespaces) }
                    column[name] = k
                }
                if column["%idle"] != nil && column["cpu"] != nil { kind = .cpu }
                else if column["kbmemused"] != nil { kind = .memory }
                else if column["dev"] != nil && column["tps"] != nil { kind = .disk }
                else if column["iface"] != nil && column["rxkb/s"] != nil { kind = .network }
                if kind == .other { c.issues.skipped["sar reports that are not demand (load, paging, swap...)"] = 1 }
                guard column["hostname"] != nil, column["timestamp"] != nil else {
                    throw InputError(file: file.displayName, line: number, "sar header without hostname and timestamp columns")
                }
                return
            }
            if fields.count > 0 && fields.bytes(0, in: line).first == 0x23 { return }  // a repeated header
            guard kind != .other else { return }
            c.issues.rows += 1
            let host = fields.text(column["hostname"]!, in: line)
            guard let time = TimestampParser.parse(fields.bytes(column["timestamp"]!, in: line)) else {
                c.issues.bad(line: number, "unreadable timestamp", detail: fields.text(column["timestamp"]!, in: line)); return
            }
            let e = c.entity(host)
            func value(_ name: String) -> Double? {
                guard let k = column[name], k < fields.count else { return nil }
                return c.demandValue(fields.number(k, in: line), line: number, column: name)
            }
            switch kind {
            case .cpu:
                guard let id = fields.integer(column["cpu"]!, in: line) else {
                    if fields.text(column["cpu"]!, in: line).lowercased() == "all", let idle = value("%idle") {
                        c.add(entity: e, time: time, metric: .cpuPercent, value: max(0, 100 - idle))
                    }
                    return
                }
                if id >= 0 { cores[host, default: []].insert(id); return }
                guard let idle = value("%idle") else { return }
                c.add(entity: e, time: time, metric: .cpuPercent, value: max(0, 100 - idle))
            case .memory:
                guard let used = value("kbmemused") else { return }
                c.add(entity: e, time: time, metric: .memoryMB, value: used / 1024)
            case .disk, .network:
                if pendingTime[e] != time { flush(e); pendingTime[e] = time; pending[e] = (0, 0) }
                if kind == .disk {
                    guard let tps = value("tps") else { return }
                    let mb: Double
                    if let r = value("rkb/s"), let w = value("wkb/s") { mb = (r + w) / 1024 }
                    else if let r = value("rd_sec/s"), let w = value("wr_sec/s") { mb = (r + w) * 512 / 1_048_576 }
                    else { mb = 0 }
                    pending[e]!.a += tps
                    pending[e]!.b += mb
                } else {
                    guard fields.text(column["iface"]!, in: line) != "lo", let rx = value("rxkb/s"), let tx = value("txkb/s") else { return }
                    pending[e]!.a += (rx + tx) * 8 * 1024 / 1_000_000
                }
            case .other:
                break
            }
        }
        for e in Array(pendingTime.keys) { flush(e) }
        for (host, ids) in cores { c.allocate(host, EntityAllocation(cores: ids.count)) }
    }
}

import Foundation
