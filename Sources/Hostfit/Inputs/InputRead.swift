/// What an inventory file gave: its items, the format it was read as, the line of each item
/// (for messages that point back into the file), and what the user should be told.
/// What a CSV file looks like, when it is not what it was given as ("--hosts vms.csv"):
/// the flag it belongs to, so the error says where to give it.
enum InputKind {
    static func guess(_ table: CSVTable) -> (what: String, flag: String)? {
        let has = { (names: [String]) in names.allSatisfy { table.column($0) != nil } }
        if has(["vm", "vcpus", "memory_mb"]) { return ("a VM inventory (vms.csv)", "--vms") }
        if has(["licence", "per", "price"]) { return ("a licence price list (licences.csv)", "--licences") }
        if has(["vm", "powerstate", "cpus"]) { return ("an RVTools vInfo export", "--vms") }
        if has(["host", "cpu_cores", "memory_mb"]) { return ("a host inventory (hosts.csv)", "--hosts") }
        if has(["host", "# cores", "# memory"]) { return ("an RVTools vHost export", "--hosts") }
        if HyperVFile.isHostTable(table) { return ("a Hyper-V Get-VMHost export", "--hosts") }
        if HyperVFile.isVMTable(table) { return ("a Hyper-V Get-VM export", "--vms") }
        if let first = table.header.first, first.contains("pdh-csv") || first == "timestamp" { return ("a performance trace", "--traces") }
        return nil
    }

    /// A missing-columns error that says what the file is instead, when it can tell.
    static func check(_ table: CSVTable, is expected: String, required: [String]) throws(InputError) {
        guard required.contains(where: { table.column($0) == nil }), let other = guess(table), !other.what.hasPrefix(expected) else { return }
        throw InputError(file: table.file, line: table.headerLine, "this looks like \(other.what), not \(expected): give it as \(other.flag)")
    }
}

public struct InputRead<Item: Sendable>: Sendable {
    public var items: [Item]
    /// "hosts.csv", "RVTools vHost", ...
    public var format: String
    /// The line each item came from, by id.
    public var lines: [String: Int]
    /// Sentences a user understands: what was detected, skipped, or looks wrong.
    public var notes: [String]

    public init(items: [Item], format: String, lines: [String: Int] = [:], notes: [String] = []) {
        self.items = items
        self.format = format
        self.lines = lines
        self.notes = notes
    }
}
