/// Reads licences.csv: `licence, per` (`core`, `socket` or `host`), `min_per_host` (units
/// counted at least, empty for none) and `price` (of one unit). VMs name what they need in
/// vms.csv's `licences` column, hosts what they carry (their hypervisor) in hosts.csv's or
/// the catalog's, `a;b` for several.
public enum LicenceFile {
    public static let knownColumns = ["licence", "per", "min_per_host", "price"]

    public static func load(_ path: String) throws(InputError) -> InputRead<Licence> {
        try parse(CSVTable(contentsOf: path))
    }

    public static func parse(_ table: CSVTable) throws(InputError) -> InputRead<Licence> {
        try InputKind.check(table, is: "a licence price list", required: ["licence", "per", "price"])
        try table.requireColumns(["licence", "per", "price"])
        var licences: [Licence] = [], lines: [String: Int] = [:]
        for row in try table.rows() {
            let name = try row.requiredText("licence")
            if let first = lines[name] { throw row.error("duplicate licence '\(name)' (first on line \(first))") }
            lines[name] = row.line
            let raw = try row.requiredText("per")
            guard let per = Licence.Unit(rawValue: raw.lowercased()) else {
                throw row.error("per '\(raw)' is not one of \(Licence.Unit.allCases.map(\.rawValue).joined(separator: ", ")): what one price unit counts on a host")
            }
            let minimum = try row.integer("min_per_host") ?? 0
            let price = try row.requiredNumber("price")
            licences.append(Licence(name: name, per: per, minimumPerHost: minimum, price: price))
        }
        guard !licences.isEmpty else {
            throw InputError(file: table.file, line: table.headerLine, "no licences: the file has a header and nothing else")
        }
        return InputRead(items: licences, format: "licences.csv", lines: lines, notes: table.readingNotes(known: knownColumns))
    }
}
