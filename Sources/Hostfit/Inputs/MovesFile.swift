/// Reads the moves.csv of an earlier `hostfit rebalance` (`vm,from,to,at`; other columns
/// ignored): what the next round must not undo, and which VMs moved too recently to move.
public enum MovesFile {
    public static func read(_ path: String) throws(InputError) -> [PastMove] {
        let table = try CSVTable(contentsOf: path)
        try table.requireColumns(["vm", "from", "to", "at"])
        var moves: [PastMove] = []
        for row in try table.rows() {
            let at = try row.requiredText("at")
            guard let time = TracePeriod.time(at) else {
                throw InputError(file: path, line: row.line, "at '\(at)' is not a time (2013-07-22T03:00:00Z, or epoch seconds)")
            }
            // Parking moves are part of one move; the VM left `from` all the same.
            moves.append(PastMove(vm: try row.requiredText("vm"), from: try row.requiredText("from"), to: try row.requiredText("to"), at: time))
        }
        return moves
    }
}
