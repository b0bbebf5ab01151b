/// PlanetLab/CoMon CPU traces as CloudSim ships them: no header, one file per VM (the file
/// name is the VM), one CPU percentage a line, 288 lines five minutes apart from midnight
/// UTC of the day the folder is named after (`20110303`). CloudSim runs each as a one-core
/// VM, and so does Hostfit unless the VM inventory says otherwise.
enum PlanetLabReader {
    static func read(_ file: TraceFile, into c: TraceCollector) throws(InputError) {
        let name = file.stem
        let e = c.entity(name)
        let folder = file.path.split(separator: "/").dropLast().last.map(String.init) ?? ""
        var start: Int64 = 0
        if folder.count == 8, let y = Int(folder.prefix(4)), let m = Int(folder.dropFirst(4).prefix(2)), let d = Int(folder.suffix(2)),
           (1...12).contains(m), (1...31).contains(d) {
            start = TimestampParser.daysFromCivil(y, m, d) * 86_400
        } else {
            c.issues.notes.append("the folder is not named after a date (YYYYMMDD): samples counted from 1970-01-01")
        }
        var index: Int64 = 0
        try file.forEachLine { line, number throws(InputError) in
            guard !line.isEmpty else { return }
            c.issues.rows += 1
            defer { index += 1 }
            guard let value = c.demandValue(NumberParser.parse(line), line: number, column: "CPU %") else { return }
            c.add(entity: e, time: start + index * 300, metric: .cpuPercent, value: min(value, 100))
        }
        c.allocate(name, EntityAllocation(cores: 1))
    }
}
