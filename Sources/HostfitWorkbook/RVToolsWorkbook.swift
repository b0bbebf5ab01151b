import Foundation
import Hostfit

/// An RVTools .xlsx workbook as inventories: its vHost sheet as hosts, its vInfo sheet as
/// VMs (read as `RVToolsFile` reads their CSV exports), and measured use where the workbook
/// has it: vCPU's `Overall` (MHz) as CPU demand and vMemory's `Consumed` (MB, what the host
/// backs; `Active`, a sampled estimate, runs lower) as memory demand.
public enum RVToolsWorkbook {
    public static func hosts(_ path: String) throws(InputError) -> InputRead<VMHost> {
        try hosts(XLSXWorkbook(contentsOf: path))
    }

    public static func hosts(_ book: XLSXWorkbook) throws(InputError) -> InputRead<VMHost> {
        try RVToolsFile.hosts(try table(book, "vHost"))
    }

    public static func vms(_ path: String, includePoweredOff: Bool = false) throws(InputError) -> InputRead<VM> {
        try vms(XLSXWorkbook(contentsOf: path), includePoweredOff: includePoweredOff)
    }

    public static func vms(_ book: XLSXWorkbook, includePoweredOff: Bool = false) throws(InputError) -> InputRead<VM> {
        let path = book.path
        var read = try RVToolsFile.vms(try table(book, "vInfo"), includePoweredOff: includePoweredOff)
        let cpu = try measure(book, sheet: "vCPU", column: "overall")
        let memory = try measure(book, sheet: "vMemory", column: "consumed")
        var measured = 0
        for k in read.items.indices {
            let id = read.items[k].id
            if let mhz = cpu[id] { read.items[k].measured[.cpu] = mhz }
            if let mb = memory[id] { read.items[k].measured[.memory] = mb }
            if cpu[id] != nil || memory[id] != nil { measured += 1 }
        }
        // The vInfo note about allocations only is not true of a workbook with use.
        read.notes.removeAll { $0.contains("vInfo gives allocations only") }
        let sources = [cpu.isEmpty ? nil : "vCPU Overall MHz", memory.isEmpty ? nil : "vMemory Consumed MB"].compactMap { $0 }
        read.notes.append(sources.isEmpty
            ? "\(path): no vCPU or vMemory sheet: allocations (vCPUs, memory) are planned"
            : "\(path): measured use for \(measured) of \(read.items.count) VMs from \(sources.joined(separator: " and ")) (a snapshot of the export's moment, not a peak: traces give a time-aware plan)")
        read.format = "RVTools workbook"
        return read
    }

    static func table(_ book: XLSXWorkbook, _ sheet: String) throws(InputError) -> CSVTable {
        guard let text = try book.csv(of: sheet) else {
            throw InputError(file: book.path, "has no \(sheet) sheet (it has \(book.sheetNames.joined(separator: ", ")))")
        }
        return try CSVTable(data: Data(text.utf8), file: "\(book.path)[\(sheet)]")
    }

    /// A sheet's numeric `column` by VM name; empty when the sheet or the column is absent.
    static func measure(_ book: XLSXWorkbook, sheet: String, column: String) throws(InputError) -> [String: Double] {
        guard book.sheetNames.contains(where: { $0.lowercased() == sheet.lowercased() }) else { return [:] }
        let table = try table(book, sheet)
        guard table.column("vm") != nil, table.column(column) != nil else { return [:] }
        var values: [String: Double] = [:]
        for row in try table.rows() {
            guard let vm = row.text("vm"), let value = try row.number(column) else { continue }
            values[vm] = values[vm] ?? value
        }
        return values
    }
}
