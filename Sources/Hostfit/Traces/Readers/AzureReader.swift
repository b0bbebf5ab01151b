/// Azure public dataset v1 (Cortez et al., "Resource Central", SOSP 2017), no headers:
/// - vm_cpu_readings: `timestamp, vm id, min CPU, max CPU, avg CPU` every five minutes; the
///   average is the sample. Timestamps count seconds from the trace's start, whose weekday
///   the dataset does not give: days are counted from 1970-01-01.
/// - vmtable: `vm id, subscription, deployment, created, deleted, max CPU, avg CPU, p95 max
///   CPU, category, cores, memory GB`: the allocation of each VM. Bucketed sizes (">24")
///   count as their bound.
enum AzureReader {
    static func readReadings(_ file: TraceFile, into c: TraceCollector) throws(InputError) {
        c.issues.notes.append("Azure timestamps count from the trace's start: days counted from 1970-01-01, weekdays not known")
        var rows = SampleRows(fields: NumericRow(separator: 0x2C, capacity: 8), timestamp: .seconds, minimumFields: 5, expectedFields: 5,
                              emptyEntity: "empty VM id")
        try rows.read(file, into: c) { row, line, number, time, entity in
            guard let average = c.demandValue(row.number(4), line: number, column: "avg CPU") else { return }
            c.add(entity: entity, time: time, metric: .cpuPercent, value: min(average, 100))
        }
    }

    static func readVMTable(_ file: TraceFile, into c: TraceCollector) throws(InputError) {
        var fields = FieldSplitter(separator: 0x2C)
        try file.forEachLine { line, number throws(InputError) in
            guard !line.isEmpty else { return }
            fields.split(line)
            guard fields.count >= 11 else { c.issues.bad(line: number, "too few fields", detail: "\(fields.count) of 11"); return }
            func size(_ k: Int) -> Double? {
                var text = fields.text(k, in: line)
                if text.hasPrefix(">") { text.removeFirst() }
                return Double(text).flatMap { $0 > 0 && $0.isFinite ? $0 : nil }
            }
            c.allocate(fields.text(0, in: line), EntityAllocation(cores: size(9).map { Int($0.rounded(.up)) }, memoryMB: size(10).map { $0 * 1024 }))
        }
    }
}
