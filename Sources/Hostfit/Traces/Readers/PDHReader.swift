/// Windows perfmon/typeperf logs and VMware esxtop batch output: PDH-CSV 4.0, a header
/// `"(PDH-CSV 4.0) (zone)(bias)"` then one column per counter path `\\HOST\Object(instance)\Counter`,
/// one row per sample. Each host in the counter paths is an entity.
///
/// Counters read (others are ignored):
/// - CPU %: `Processor(_Total)\% Processor Time` (or `Processor Information`), esxtop's
///   `Physical Cpu(_Total)\% Util Time` (or `% Processor Time`); cores = the numbered instances.
/// - memory: `Memory\Committed Bytes`, else `Process(_Total)\Private Bytes`; esxtop's
///   `Memory\Machine MBytes` minus `Memory\Free MBytes`.
/// - disk: `PhysicalDisk(_Total)` or `LogicalDisk(_Total)` `\Disk Transfers/sec` and `\Disk Bytes/sec`.
/// - network: `Network Interface(*)\Bytes Total/sec`, summed over interfaces.
///
/// esxtop extracts with only per-CPU columns (`Physical Cpu(0)`, `Physical Cpu(1)`, no
/// `_Total`) give their mean; esxtop's `Memory\NonKernel MBytes` is memory used when
/// machine and free memory are absent.
///
/// perfmon writes the system code page, not UTF-8: a file that is not UTF-8 is read as
/// Windows-1251 (Cyrillic) when its header reads as Russian there, else as Windows-1252,
/// and said so. Localized counter names are mapped where the set is known: German
/// (`Prozessor(_Total)\Prozessorzeit (%)`, `Speicher\Zugesicherte verwendete Bytes`) and
/// Russian (`Процессор(_Total)\% загруженности процессора`, `Память\Байт выделенной
/// виртуальной памяти`).
///
/// Quirks handled: timestamps are local time, made UTC with the header's bias (minutes west
/// of UTC, Windows' convention); a blank first sample (`" "`) is a missing value, not bad
/// data; esxtop files re-saved by a spreadsheet carry the time of day only: days are then
/// counted from 1970-01-01 (a new one when the clock steps back more than 12 hours) and said so.
enum PDHReader {
    private enum Role {
        case cpu(esxtop: Bool, util: Bool), cpuCore(util: Bool), committedBytes, privateBytes, machineMB, freeMB, nonKernelMB
        case diskIOPS(physical: Bool), diskBytes(physical: Bool), netBytes
    }

    private struct Column {
        var index: Int
        var host: Int
        var role: Role
    }

    static func read(_ file: TraceFile, into c: TraceCollector) throws(InputError) {
        var fields = FieldSplitter(separator: 0x2C)
        var columns: [Column] = []
        var hosts: [String] = []
        var bias: Int64 = 0
        var header = true
        var undated = 0, day: Int64 = 0, lastSecondOfDay: Int64 = -1
        var blank = 0
        var slashOrder = SlashDateOrder.monthFirst, orderDecided = false
        // nil: UTF-8 (or ASCII); else the code page every line is transcoded from.
        var codePage: String.Encoding? = nil
        var decided = false
        func process(_ line: UnsafeBufferPointer<UInt8>, _ number: Int) throws(InputError) {
            guard !line.isEmpty else { return }
            fields.split(line)
            if header {
                header = false
                let first = fields.text(0, in: line)
                bias = Self.bias(first)
                (columns, hosts) = Self.columns(fields, line, c)
                if columns.isEmpty {
                    let why = Self.noPlannedCounter(fields, line)
                    c.issues.unplannable = why
                    c.issues.skipped["files with no counter Hostfit plans on (\(why))"] = 1
                }
                return
            }
            c.issues.rows += 1
            let stamp = fields.bytes(0, in: line)
            if !orderDecided {
                orderDecided = true
                if TimestampParser.slashParts(stamp) != nil, let decided = try SlashDateOrder.decide(file.path, column: 0, separator: 0x2C) {
                    slashOrder = decided.order
                    if let note = decided.note { c.issues.notes.append(note) }
                }
            }
            var time: Int64
            if let t = TimestampParser.parse(stamp, defaultOffset: -bias * 60, slashOrder: slashOrder) {
                time = t
            } else if let seconds = Self.timeOfDay(stamp) {
                // Only a time of day: a new day starts when the clock goes back past midnight
                // (a step back of minutes is repeated or reordered data, not a new day).
                if lastSecondOfDay - seconds > 43_200 { day += 1 }
                lastSecondOfDay = seconds
                time = day * 86_400 + seconds + bias * 60
                undated += 1
            } else {
                c.issues.bad(line: number, "unreadable timestamp", detail: fields.text(0, in: line)); return
            }
            var cpu = [Double?](repeating: nil, count: hosts.count)
            var cpuUtil = cpu, committed = cpu, privateBytes = cpu, machine = cpu, free = cpu, nonKernel = cpu, iops = cpu, bytes = cpu
            var coreSum = [Double](repeating: 0, count: hosts.count), coreCount = [Int](repeating: 0, count: hosts.count)
            var coreUtilSum = coreSum, coreUtilCount = coreCount
            var net = [Double](repeating: 0, count: hosts.count)
            var sawNet = [Bool](repeating: false, count: hosts.count)
            for column in columns where column.index < fields.count {
                let cell = fields.bytes(column.index, in: line)
                if cell.isEmpty || cell.allSatisfy({ $0 == 0x20 }) { blank += 1; continue }
                guard let value = c.demandValue(NumberParser.parse(cell), line: number, column: "column \(column.index + 1)") else { continue }
                let h = column.host
                switch column.role {
                case .cpu(_, let util): if util { cpuUtil[h] = value } else { cpu[h] = value }
                case .cpuCore(let util):
                    if util { coreUtilSum[h] += value; coreUtilCount[h] += 1 } else { coreSum[h] += value; coreCount[h] += 1 }
                case .committedBytes: committed[h] = value
                case .privateBytes: privateBytes[h] = value
                case .machineMB: machine[h] = value
                case .freeMB: free[h] = value
                case .nonKernelMB: nonKernel[h] = value
                case .diskIOPS: iops[h] = value
                case .diskBytes: bytes[h] = value
                case .netBytes: net[h] += value; sawNet[h] = true
                }
            }
            for h in hosts.indices {
                let e = c.entity(hosts[h])
                let coreMean = coreUtilCount[h] > 0 ? coreUtilSum[h] / Double(coreUtilCount[h]) : coreCount[h] > 0 ? coreSum[h] / Double(coreCount[h]) : nil
                if let v = cpuUtil[h] ?? cpu[h] ?? coreMean { c.add(entity: e, time: time, metric: .cpuPercent, value: min(v, 100)) }
                if let v = committed[h] ?? privateBytes[h] { c.add(entity: e, time: time, metric: .memoryMB, value: v / 1_048_576) }
                else if let m = machine[h], let f = free[h] { c.add(entity: e, time: time, metric: .memoryMB, value: max(0, m - f)) }
                else if let v = nonKernel[h] { c.add(entity: e, time: time, metric: .memoryMB, value: v) }
                if let v = iops[h] { c.add(entity: e, time: time, metric: .diskIOPS, value: v) }
                if let v = bytes[h] { c.add(entity: e, time: time, metric: .diskMBps, value: v / 1_048_576) }
                if sawNet[h] { c.add(entity: e, time: time, metric: .netMbps, value: net[h] * 8 / 1_000_000) }
            }
        }
        try file.forEachLine { line, number throws(InputError) in
            if !decided {
                decided = true
                if String(validating: line, as: UTF8.self) == nil {
                    let cyrillic = String(data: Data(line), encoding: .windowsCP1251).map(Self.readsAsRussian) ?? false
                    codePage = cyrillic ? .windowsCP1251 : .windowsCP1252
                    c.issues.notes.append("not UTF-8: read as \(cyrillic ? "Windows-1251 (Cyrillic)" : "Windows-1252 (Western)"), the code page perfmon writes")
                }
            }
            guard let codePage, String(validating: line, as: UTF8.self) == nil else { return try process(line, number) }
            guard let text = String(data: Data(line), encoding: codePage) else { return try process(line, number) }
            var utf8 = Array(text.utf8)
            try utf8.withUnsafeMutableBufferPointer { buffer throws(InputError) in try process(UnsafeBufferPointer(buffer), number) }
        }
        if undated > 0 { c.issues.notes.append("\(undated) timestamps carry a time of day but no date (re-saved by a spreadsheet?): days counted from 1970-01-01, so hour-of-week buckets are not real weekdays") }
        if blank > 0 { c.issues.skipped["blank counter values (perfmon leaves the first sample of rates empty)", default: 0] += blank }
    }

    /// Whether a header decoded as Windows-1251 reads as Russian counter names.
    static func readsAsRussian(_ text: String) -> Bool {
        let lower = text.lowercased()
        return ["процессор", "память", "сетевой", "физический диск", "логический диск"].contains { lower.contains($0) }
    }

    /// Localized object and counter names, as the English ones they stand for.
    static let localizedNames: [String: String] = [
        // German
        "prozessor": "processor", "prozessorinformationen": "processor information", "prozessorzeit (%)": "% processor time",
        "speicher": "memory", "zugesicherte verwendete bytes": "committed bytes",
        "prozess": "process", "private bytes": "private bytes",
        // Russian
        "процессор": "processor", "% загруженности процессора": "% processor time", "сведения о процессоре": "processor information",
        "память": "memory", "байт выделенной виртуальной памяти": "committed bytes",
        "процесс": "process", "монопольно используемых байт": "private bytes",
    ]

    /// What a log without a planned counter holds, and the counters it needs.
    static func noPlannedCounter(_ fields: FieldSplitter, _ line: UnsafeBufferPointer<UInt8>) -> String {
        // Counters by object and counter, instances counted: `Process(*)\% Processor Time (12 instances)`.
        var order: [String] = [], instances: [String: Int] = [:]
        for k in 1..<max(fields.count, 1) {
            let path = fields.text(k, in: line)
            guard path.hasPrefix("\\\\") else { continue }
            let parts = path.dropFirst(2).split(separator: "\\", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            var object = String(parts[1])
            if let open = object.firstIndex(of: "("), object.hasSuffix(")") { object = String(object[..<open]) + "(*)" }
            let key = "\\\(object)\\\(parts[2])"
            if instances[key] == nil { order.append(key) }
            instances[key, default: 0] += 1
        }
        let shown = order.prefix(3).map { key in instances[key]! > 1 ? "\(key) (\(instances[key]!) instances)" : key }
        let found = order.isEmpty ? "no counter paths (\\\\HOST\\Object(instance)\\Counter)"
            : "\(instances.values.reduce(0, +)) counters, none Hostfit plans on: " + shown.joined(separator: ", ") + (order.count > 3 ? " and \(order.count - 3) more" : "")
        let perProcess = order.contains { $0.lowercased().hasPrefix("\\process(") } ? " (per-process counters do not add up to what the machine uses)" : ""
        return "holds \(found)\(perProcess); Hostfit needs \\Processor(_Total)\\% Processor Time for CPU (or Processor Information(_Total), or esxtop's Physical Cpu(_Total)\\% Util Time) and \\Memory\\Committed Bytes for memory, e.g. typeperf \"\\Processor(_Total)\\% Processor Time\" \"\\Memory\\Committed Bytes\" -si 60 -o host.csv"
    }

    /// Minutes west of UTC from `(PDH-CSV 4.0) (Eastern Daylight Time)(240)`.
    static func bias(_ header: String) -> Int64 {
        guard let open = header.lastIndex(of: "("), let close = header.lastIndex(of: ")"), open < close else { return 0 }
        return Int64(header[header.index(after: open)..<close].trimmingCharacters(in: .whitespaces)) ?? 0
    }

    /// `HH:MM:SS[.fff]` as seconds of the day.
    static func timeOfDay(_ s: UnsafeBufferPointer<UInt8>) -> Int64? {
        let text = String(decoding: s, as: UTF8.self)
        let parts = text.split(separator: ":")
        guard parts.count == 3, let h = Int64(parts[0]), let m = Int64(parts[1]),
              let sec = Double(parts[2]), (0..<24).contains(h), (0..<60).contains(m), sec >= 0, sec < 61 else { return nil }
        return h * 3600 + m * 60 + Int64(sec)
    }

    private static func columns(_ fields: FieldSplitter, _ line: UnsafeBufferPointer<UInt8>, _ c: TraceCollector) -> ([Column], [String]) {
        var hosts: [String] = [], hostIndex: [String: Int] = [:]
        var columns: [Column] = []
        var cores: [String: Set<String>] = [:]
        var perCore: [(Int, String, Role)] = []
        for k in 1..<fields.count {
            let path = fields.text(k, in: line)
            // \\HOST\Object(instance)\Counter
            guard path.hasPrefix("\\\\") else { continue }
            let parts = path.dropFirst(2).split(separator: "\\", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            let host = String(parts[0]), object = parts[1].lowercased(), localCounter = parts[2].lowercased()
            var name = object, instance = ""
            if let open = object.firstIndex(of: "("), object.hasSuffix(")") {
                name = String(object[..<open])
                instance = String(object[object.index(after: open)..<object.index(before: object.endIndex)])
            }
            name = localizedNames[name] ?? name
            let counter = localizedNames[localCounter] ?? localCounter
            let isCPU = name == "processor" || name == "processor information" || name == "physical cpu"
            if isCPU && !instance.isEmpty && instance.allSatisfy({ $0.isNumber || $0 == "," }) { cores[host, default: []].insert(instance) }
            let role: Role?
            switch (name, instance, counter) {
            case ("processor", "_total", "% processor time"), ("processor information", "_total", "% processor time"):
                role = .cpu(esxtop: false, util: false)
            case ("physical cpu", "_total", "% util time"): role = .cpu(esxtop: true, util: true)
            case ("physical cpu", "_total", "% processor time"): role = .cpu(esxtop: true, util: false)
            case ("memory", "", "committed bytes"): role = .committedBytes
            case ("process", "_total", "private bytes"): role = .privateBytes
            case ("memory", "", "machine mbytes"): role = .machineMB
            case ("memory", "", "free mbytes"): role = .freeMB
            case ("memory", "", "nonkernel mbytes"): role = .nonKernelMB
            case ("physicaldisk", "_total", "disk transfers/sec"): role = .diskIOPS(physical: true)
            case ("logicaldisk", "_total", "disk transfers/sec"): role = .diskIOPS(physical: false)
            case ("physicaldisk", "_total", "disk bytes/sec"): role = .diskBytes(physical: true)
            case ("logicaldisk", "_total", "disk bytes/sec"): role = .diskBytes(physical: false)
            case ("network interface", _, "bytes total/sec") where instance != "_total": role = .netBytes
            default: role = nil
            }
            if role == nil, name == "physical cpu", instance.allSatisfy(\.isNumber), !instance.isEmpty {
                if counter == "% util time" { perCore.append((k, host, .cpuCore(util: true))) }
                if counter == "% processor time" { perCore.append((k, host, .cpuCore(util: false))) }
            }
            guard let role else { continue }
            if hostIndex[host] == nil { hostIndex[host] = hosts.count; hosts.append(host) }
            columns.append(Column(index: k, host: hostIndex[host]!, role: role))
        }
        // Per-CPU columns count only for hosts without a total (esxtop extracts of some CPUs).
        let withTotal = Set(columns.compactMap { column -> Int? in if case .cpu = column.role { column.host } else { nil } })
        for (k, host, role) in perCore {
            if hostIndex[host] == nil { hostIndex[host] = hosts.count; hosts.append(host) }
            guard !withTotal.contains(hostIndex[host]!) else { continue }
            columns.append(Column(index: k, host: hostIndex[host]!, role: role))
        }
        // Physical and logical disk totals both present: keep the physical ones.
        let physical = Set(columns.compactMap { column -> Int? in
            switch column.role { case .diskIOPS(true), .diskBytes(true): column.host; default: nil }
        })
        columns.removeAll { column in
            switch column.role { case .diskIOPS(false), .diskBytes(false): physical.contains(column.host); default: false }
        }
        for host in hosts { if let n = cores[host]?.count, n > 0 { c.allocate(host, EntityAllocation(cores: n)) } }
        return (columns, hosts)
    }
}

import Foundation
