/// Reads a `placements.csv` (`vm,host`, one row per placed VM), as `hostfit plan` writes
/// it or as a person edited it. Ids are not resolved here: the validator judges them.
public enum PlacementFile {
    public static func read(_ path: String) throws(InputError) -> Placement {
        let table = try CSVTable(contentsOf: path)
        try table.requireColumns(["vm", "host"])
        var entries: [Placement.Entry] = []
        for row in try table.rows() {
            entries.append(Placement.Entry(vm: try row.requiredText("vm"), host: try row.requiredText("host"), line: row.line))
        }
        return Placement(entries)
    }
}
