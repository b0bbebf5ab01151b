/// Alibaba cluster trace 2018, no headers (its schema.txt names the columns):
/// - machine_usage: `machine id, time, cpu %, memory %, memory bandwidth, mkpi, net in,
///   net out, disk io %`: CPU and memory percentages are read; the network and disk columns
///   are normalized to [0, 100] with no unit to undo, so they are not demand Hostfit can plan.
/// - machine_meta: `machine id, time, failure domain 1, failure domain 2, cpu count, memory
///   (normalized), status`: the core count of each machine.
/// Times count seconds from the trace's start: days counted from 1970-01-01.
enum AlibabaReader {
    static func readUsage(_ file: TraceFile, into c: TraceCollector) throws(InputError) {
        c.issues.notes.append("Alibaba times count from the trace's start: days counted from 1970-01-01; network and disk columns are normalized and not read")
        var rows = SampleRows(fields: NumericRow(separator: 0x2C, capacity: 12), timeColumn: 1, entityColumn: 0, timestamp: .seconds,
                              minimumFields: 4, expectedFields: 9, emptyEntity: "empty machine id")
        try rows.read(file, into: c) { row, line, number, time, entity in
            if let cpu = c.demandValue(row.number(2), line: number, column: "cpu_util_percent") {
                c.add(entity: entity, time: time, metric: .cpuPercent, value: min(cpu, 100))
            }
            if !row.bytes(3, in: line).isEmpty, let memory = c.demandValue(row.number(3), line: number, column: "mem_util_percent") {
                c.add(entity: entity, time: time, metric: .memoryPercent, value: min(memory, 100))
            }
        }
    }

    static func readMeta(_ file: TraceFile, into c: TraceCollector) throws(InputError) {
        var fields = FieldSplitter(separator: 0x2C)
        try file.forEachLine { line, number throws(InputError) in
            guard !line.isEmpty else { return }
            fields.split(line)
            guard fields.count >= 7 else { c.issues.bad(line: number, "too few fields", detail: "\(fields.count) of 7"); return }
            if let cores = fields.integer(4, in: line), cores > 0 { c.allocate(fields.text(0, in: line), EntityAllocation(cores: Int(cores))) }
        }
    }
}
