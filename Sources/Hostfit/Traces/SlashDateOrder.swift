/// Whether a file's slash dates put the month or the day first. perfmon writes month first;
/// a spreadsheet re-saving a file writes its locale's order (`26/03/2015` in most of the
/// world), so the order is decided per file from the whole column, never per row.
enum SlashDateOrder: Sendable, Equatable {
    case monthFirst, dayFirst

    /// The order of the slash dates in `column` (0-based, fields split at `separator`) of
    /// every line after the first, and a sentence saying how it was decided. nil when the
    /// column holds no slash dates. A column that reads only one way (a number above 12 in
    /// one place) is read that way; one that reads both ways is read the way its dates run
    /// from day to day; a column that puts numbers above 12 in both places is an error.
    /// The note is nil where nothing was assumed (month first, as perfmon writes, and some
    /// date proves it).
    static func decide(_ path: String, column: Int, separator: UInt8) throws(InputError) -> (order: SlashDateOrder, note: String?)? {
        let file = try TraceFile(path: path)
        var fields = FieldSplitter(separator: separator)
        var dates: [(first: Int, second: Int, year: Int)] = []
        var dayFirstLine: (Int, String)?, monthFirstLine: (Int, String)?
        try file.forEachLine { line, number throws(InputError) in
            guard number > 1, !line.isEmpty else { return }
            fields.split(line)
            guard column < fields.count, let parts = TimestampParser.slashParts(fields.bytes(column, in: line)) else { return }
            if let last = dates.last, last == parts { return }
            dates.append(parts)
            if parts.first > 12, dayFirstLine == nil { dayFirstLine = (number, fields.text(column, in: line)) }
            if parts.second > 12, monthFirstLine == nil { monthFirstLine = (number, fields.text(column, in: line)) }
        }
        guard let example = dates.first else { return nil }
        let sample = "\(example.first)/\(example.second)/\(example.year)"
        switch (dayFirstLine, monthFirstLine) {
        case let ((dayLine, dayText)?, (monthLine, monthText)?):
            throw InputError(file: path, line: max(dayLine, monthLine),
                             "dates mix day/month and month/day order (line \(dayLine): \(dayText.debugDescription); line \(monthLine): \(monthText.debugDescription)): save the file with one date format")
        case let ((line, text)?, nil):
            return (.dayFirst, "slash dates read as day/month (line \(line): \(text.debugDescription) has no month \(text.split(separator: "/").first ?? ""))")
        case (nil, _?):
            return (.monthFirst, nil)
        case (nil, nil):
            // Both readings are dates: take the one under which the dates run day after day.
            func steps(_ order: SlashDateOrder) -> Int {
                let days = dates.map { d in
                    order == .monthFirst ? TimestampParser.daysFromCivil(d.year, d.first, d.second) : TimestampParser.daysFromCivil(d.year, d.second, d.first)
                }
                return zip(days, days.dropFirst()).count { (1...2).contains($1 - $0) }
            }
            let monthFirst = steps(.monthFirst), dayFirst = steps(.dayFirst)
            if dayFirst > monthFirst {
                return (.dayFirst, "slash dates such as \(sample) read as day/month: the dates then run day after day (\(dayFirst) steps of a day or two, \(monthFirst) as month/day)")
            }
            if monthFirst > dayFirst {
                return (.monthFirst, "slash dates such as \(sample) read as month/day: the dates then run day after day (\(monthFirst) steps of a day or two, \(dayFirst) as day/month)")
            }
            return (.monthFirst, "slash dates such as \(sample) read either way: read as month/day, the order perfmon writes (save the file with ISO dates, YYYY-MM-DD, to be sure)")
        }
    }
}
