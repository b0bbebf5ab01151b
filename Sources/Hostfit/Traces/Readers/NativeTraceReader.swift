/// Hostfit's own trace formats, comma-separated with a header:
/// - long: `timestamp,entity,metric,value`, one measurement per row;
/// - wide: `timestamp,entity,` then one column per metric (cpu_mhz, cpu_pct, memory_mb,
///   disk_iops, disk_mbps, net_mbps). Columns it does not know are ignored (and said so).
/// Timestamps: epoch seconds (or milliseconds) or ISO 8601 dates, UTC unless they say.
enum NativeTraceReader {
    static func readLong(_ file: TraceFile, into c: TraceCollector) throws(InputError) {
        var fields = FieldSplitter(separator: 0x2C)
        var header = true
        var entities = EntityCache()
        try file.forEachLine { line, number in
            if header { header = false; return }
            guard !line.isEmpty else { return }
            c.issues.rows += 1
            fields.split(line)
            guard fields.count >= 4 else { c.issues.bad(line: number, "too few fields", detail: "\(fields.count) of 4"); return }
            guard let (time, entity) = timeAndEntity(fields, line, number, c, &entities) else { return }
            guard let metric = Metric(name: fields.text(2, in: line)) else {
                c.issues.bad(line: number, "unknown metric", detail: fields.text(2, in: line)); return
            }
            guard let value = c.demandValue(fields.number(3, in: line), line: number, column: "value") else { return }
            c.add(entity: entity, time: time, metric: metric, value: value)
        }
    }

    static func readWide(_ file: TraceFile, into c: TraceCollector) throws(InputError) {
        var fields = FieldSplitter(separator: 0x2C)
        var columns: [(index: Int, metric: Metric)] = []
        var names: [String] = []
        var header = true
        var entities = EntityCache()
        try file.forEachLine { line, number in
            fields.split(line)
            if header {
                header = false
                names = (0..<fields.count).map { fields.text($0, in: line).lowercased() }
                columns = names.enumerated().dropFirst(2).compactMap { i, name in Metric(name: name).map { (i, $0) } }
                let unknown = names.dropFirst(2).filter { Metric(name: $0) == nil }
                if !unknown.isEmpty { c.issues.skipped["columns not read: " + unknown.joined(separator: ", ")] = 1 }
                return
            }
            guard !line.isEmpty else { return }
            c.issues.rows += 1
            guard fields.count >= 2 else { c.issues.bad(line: number, "too few fields", detail: "\(fields.count) of \(names.count)"); return }
            guard let (time, entity) = timeAndEntity(fields, line, number, c, &entities) else { return }
            for (i, metric) in columns where i < fields.count && !fields.isEmpty(i) {
                guard let value = c.demandValue(fields.number(i, in: line), line: number, column: names[i]) else { continue }
                c.add(entity: entity, time: time, metric: metric, value: value)
            }
        }
    }

    /// Columns 0 and 1 of both native formats: the time and the entity, or nil (counted as bad).
    private static func timeAndEntity(_ fields: FieldSplitter, _ line: UnsafeBufferPointer<UInt8>, _ number: Int,
                                      _ c: TraceCollector, _ entities: inout EntityCache) -> (Int64, Int)? {
        guard let time = TimestampParser.parse(fields.bytes(0, in: line)) else {
            c.issues.bad(line: number, "unreadable timestamp", detail: fields.text(0, in: line))
            return nil
        }
        let entityBytes = fields.bytes(1, in: line)
        guard !entityBytes.isEmpty else { c.issues.bad(line: number, "empty entity"); return nil }
        return (time, entities.entity(entityBytes, in: c))
    }
}
