/// Bitbrains GWA-T-12 (the Grid Workloads Archive's fastStorage and Rnd traces): one file
/// per VM, named by its number; fields separated by ";" and a tab.
///
/// Quirks handled: the column headed "Timestamp [ms]" holds Unix seconds; rows with no CPU
/// provisioned (0 cores, 0 MHz: the VM not running) are skipped and counted, not read as
/// idle; memory is in KB, disk and network in KB/s (1 KB = 1,024 bytes).
enum BitbrainsReader {
    static func read(_ file: TraceFile, into c: TraceCollector) throws(InputError) {
        var fields = FieldSplitter(separator: 0x3B)
        var row = NumericRow(separator: 0x3B)
        let name = file.stem
        let entity = c.entity(name)
        var column: [String: Int] = [:]
        var allocation = EntityAllocation()
        var maxCores = 0, maxCapacity = 0.0, maxMemory = 0.0
        var header = true
        var notRunning = 0
        let scheme = c.scheme
        var cpuA = c.newAccumulator(), memA = cpuA, diskA = cpuA, netA = cpuA
        var required: (time: Int, cores: Int, capacity: Int, cpu: Int, memCapacity: Int, mem: Int, diskRead: Int, diskWrite: Int, netIn: Int, netOut: Int) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        try file.forEachLine { line, number throws(InputError) in
            if header {
                fields.split(line)
                header = false
                for k in 0..<fields.count { column[fields.text(k, in: line).lowercased()] = k }
                func find(_ label: String) throws(InputError) -> Int {
                    guard let k = column[label] else { throw InputError(file: file.displayName, line: number, "not a complete Bitbrains header: no '\(label)' column") }
                    return k
                }
                required = (try find("timestamp [ms]"), try find("cpu cores"), try find("cpu capacity provisioned [mhz]"),
                            try find("cpu usage [mhz]"), try find("memory capacity provisioned [kb]"), try find("memory usage [kb]"),
                            try find("disk read throughput [kb/s]"), try find("disk write throughput [kb/s]"),
                            try find("network received throughput [kb/s]"), try find("network transmitted throughput [kb/s]"))
                return
            }
            guard !line.isEmpty else { return }
            c.issues.rows += 1
            row.parse(line)
            guard row.count > required.netOut else { c.issues.bad(line: number, "too few fields", detail: "\(row.count) of \(column.count)"); return }
            guard let stamp = row.number(required.time), stamp >= 0, let time = TimestampParser.epoch(stamp) else {
                c.issues.bad(line: number, "unreadable timestamp", detail: row.text(required.time, in: line)); return
            }
            guard let capacity = c.demandValue(row.number(required.capacity), line: number, column: "CPU capacity provisioned") else { return }
            if capacity == 0 { notRunning += 1; return }
            guard let cpu = c.demandValue(row.number(required.cpu), line: number, column: "CPU usage [MHZ]"),
                  let mem = c.demandValue(row.number(required.mem), line: number, column: "Memory usage [KB]"),
                  let dr = c.demandValue(row.number(required.diskRead), line: number, column: "Disk read throughput"),
                  let dw = c.demandValue(row.number(required.diskWrite), line: number, column: "Disk write throughput"),
                  let ni = c.demandValue(row.number(required.netIn), line: number, column: "Network received throughput"),
                  let no = c.demandValue(row.number(required.netOut), line: number, column: "Network transmitted throughput")
            else { return }
            if let cores = row.number(required.cores), cores > Double(maxCores), cores < 1e6 { maxCores = Int(cores) }
            maxCapacity = max(maxCapacity, capacity)
            if let m = row.number(required.memCapacity), m.isFinite, m > maxMemory { maxMemory = m }
            if !c.period.isAll && !c.period.contains(time) { c.outsidePeriod += 1; return }
            let memory = mem / 1024, disk = (dr + dw) / 1024, net = (ni + no) * 8 * 1024 / 1_000_000
            if c.sink != nil {
                c.add(entity: entity, time: time, metric: .cpuMHz, value: cpu)
                c.add(entity: entity, time: time, metric: .memoryMB, value: memory)
                c.add(entity: entity, time: time, metric: .diskMBps, value: disk)
                c.add(entity: entity, time: time, metric: .netMbps, value: net)
                return
            }
            let bucket = scheme.bucket(time)
            guard cpuA.add(time: time, value: cpu, bucket: bucket) else { return }  // a repeated row
            memA.add(time: time, value: memory, bucket: bucket)
            diskA.add(time: time, value: disk, bucket: bucket)
            netA.add(time: time, value: net, bucket: bucket)
        }
        c.absorb(entity: entity, metric: .cpuMHz, cpuA)
        c.absorb(entity: entity, metric: .memoryMB, memA)
        c.absorb(entity: entity, metric: .diskMBps, diskA)
        c.absorb(entity: entity, metric: .netMbps, netA)
        if notRunning > 0 { c.issues.skipped["rows with no CPU provisioned (VM not running)", default: 0] += notRunning }
        if header { throw InputError(file: file.displayName, "is empty") }
        allocation = EntityAllocation(cores: maxCores > 0 ? maxCores : nil, cpuMHz: maxCapacity > 0 ? maxCapacity : nil,
                                      memoryMB: maxMemory > 0 ? maxMemory / 1024 : nil)
        c.allocate(name, allocation)
    }
}
