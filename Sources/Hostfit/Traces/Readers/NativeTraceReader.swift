/// Hostfit's own trace formats, comma-separated with a header:
/// - long: `timestamp,entity,metric,value`, one measurement per row;
/// - wide: `timestamp,entity,` then one column per metric (cpu_mhz, cpu_pct, memory_mb,
///   disk_iops, disk_mbps, net_mbps). Columns it does not know are ignored (and said so).
/// Timestamps: epoch seconds (or milliseconds) or ISO 8601 dates, UTC unless they say.
enum NativeTraceReader {
    static func readLong(_ file: TraceFile, into c: TraceCollector) throws(InputError) {
        var rows = SampleRows(fields: FieldSplitter(separator: 0x2C), hasHeader: true, minimumFields: 4, expectedFields: 4)
        try rows.read(file, into: c) { fields, line, number, time, entity in
            guard let metric = Metric(name: fields.text(2, in: line)) else {
                c.issues.bad(line: number, "unknown metric", detail: fields.text(2, in: line)); return
            }
            guard let value = c.demandValue(fields.number(3, in: line), line: number, column: "value") else { return }
            c.add(entity: entity, time: time, metric: metric, value: value)
        }
    }

    static func readWide(_ file: TraceFile, into c: TraceCollector) throws(InputError) {
        var columns: [(index: Int, metric: Metric)] = []
        var names: [String] = []
        var rows = SampleRows(fields: FieldSplitter(separator: 0x2C), hasHeader: true, minimumFields: 2, expectedFields: 2)
        try rows.read(file, into: c, header: { fields, line in
            names = (0..<fields.count).map { fields.text($0, in: line).lowercased() }
            columns = names.enumerated().dropFirst(2).compactMap { i, name in Metric(name: name).map { (i, $0) } }
            let unknown = names.dropFirst(2).filter { Metric(name: $0) == nil }
            if !unknown.isEmpty { c.issues.skipped["columns not read: " + unknown.joined(separator: ", ")] = 1 }
        }) { fields, line, number, time, entity in
            for (i, metric) in columns where i < fields.count && !fields.isEmpty(i) {
                guard let value = c.demandValue(fields.number(i, in: line), line: number, column: names[i]) else { continue }
                c.add(entity: entity, time: time, metric: metric, value: value)
            }
        }
    }
}
