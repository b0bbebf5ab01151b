import Foundation

/// A CSV file read whole, each record with the line it starts on.
///
/// RFC 4180 quoting (separators, quotes and line breaks inside quoted fields), a UTF-8
/// byte-order mark, and LF, CRLF or CR-only line ends. Blank lines are skipped. Header
/// names are matched without regard to case or surrounding blanks. The separator is sniffed
/// from the header: `,`, `;` (Excel in most of Europe, where numbers then take a decimal
/// comma) or a tab.
public struct CSVTable: Sendable {
    public struct Record: Sendable {
        public var line: Int
        public var fields: [String]
    }

    public let file: String
    public let headerLine: Int
    /// Lowercased, trimmed.
    public let header: [String]
    public let records: [Record]
    /// The separator found in the header line.
    public let separator: Character
    /// Numbers may use a decimal comma (`1,5`): the separator is `;`.
    public let decimalComma: Bool
    private let index: [String: Int]

    /// What was detected, for a note ("separated by ';', decimal commas"); nil for plain commas.
    public var detectedDialect: String? {
        switch separator {
        case ";": "separated by ';', numbers with decimal commas accepted"
        case "\t": "separated by tabs"
        default: nil
        }
    }

    public init(contentsOf path: String, displayName: String? = nil) throws(InputError) {
        let name = displayName ?? path
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            throw InputError(file: name, exists ? (isDirectory.boolValue ? "is a folder, expected a CSV file" : "cannot be read") : "no such file")
        }
        try self.init(data: data, file: name)
    }

    public init(data: Data, file: String) throws(InputError) {
        self.file = file
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        // Windows PowerShell's Export-Csv starts with its type line ("#TYPE Microsoft...");
        // emptied, so that lines keep their numbers.
        if bytes.starts(with: Array("#TYPE ".utf8)), let end = bytes.firstIndex(of: 0x0A) { bytes.removeSubrange(0..<end) }
        if bytes.contains(0) { throw InputError(file: file, "is not a text file (it contains NUL bytes)") }
        if let bad = Self.firstInvalidUTF8Line(bytes) {
            throw InputError(file: file, line: bad, "is not UTF-8 text (save it as UTF-8 CSV)")
        }
        let separator = Self.sniffSeparator(bytes)
        self.separator = Character(UnicodeScalar(separator))
        self.decimalComma = separator == 0x3B
        var records = Self.parse(bytes, separator: separator)
        guard !records.isEmpty else {
            throw InputError(file: file, "is empty: expected a header line naming the columns")
        }
        let head = records.removeFirst()
        self.headerLine = head.line
        self.header = head.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        self.records = records
        var index: [String: Int] = [:]
        for (i, name) in header.enumerated() where !name.isEmpty {
            if let first = index[name] {
                throw InputError(file: file, line: head.line, "column '\(name)' appears twice (columns \(first + 1) and \(i + 1))")
            }
            index[name] = i
        }
        self.index = index
    }

    public func column(_ name: String) -> Int? { index[name] }

    public func requireColumns(_ names: [String]) throws(InputError) {
        let missing = names.filter { index[$0] == nil }
        guard missing.isEmpty else {
            let list = missing.map { "'\($0)'" }.joined(separator: ", ")
            throw InputError(file: file, line: headerLine,
                             "missing column\(missing.count > 1 ? "s" : "") \(list) (the header has: \(header.joined(separator: ", ")))")
        }
    }

    /// Columns whose name starts with `prefix`, with the rest of the name.
    public func columns(withPrefix prefix: String) -> [(column: Int, suffix: String)] {
        header.enumerated().compactMap { i, name in
            name.hasPrefix(prefix) && name.count > prefix.count ? (i, String(name.dropFirst(prefix.count))) : nil
        }
    }

    private static func firstInvalidUTF8Line(_ bytes: [UInt8]) -> Int? {
        if String(validating: bytes, as: UTF8.self) != nil { return nil }
        // Find the line of the first bad sequence, for the message.
        var line = 1, start = 0
        for (i, b) in bytes.enumerated() where b == 0x0A || i == bytes.count - 1 {
            if String(validating: bytes[start...i], as: UTF8.self) == nil { return line }
            line += 1
            start = i + 1
        }
        return line
    }

    /// The most frequent of `,` `;` and tab outside quotes on the first non-blank line
    /// (a comma on ties: a one-column file has none of them).
    static func sniffSeparator(_ bytes: [UInt8]) -> UInt8 {
        var counts: [UInt8: Int] = [0x2C: 0, 0x3B: 0, 0x09: 0]
        var quoted = false, seen = false
        for b in bytes {
            if b == 0x22 { quoted.toggle(); continue }
            if quoted { continue }
            if b == 0x0A || b == 0x0D { if seen { break } else { continue } }
            seen = true
            if counts[b] != nil { counts[b]! += 1 }
        }
        let best = [UInt8(0x2C), 0x3B, 0x09].max { counts[$0]! < counts[$1]! }!
        return counts[best]! > counts[0x2C]! ? best : 0x2C
    }

    private static func parse(_ bytes: [UInt8], separator comma: UInt8) -> [Record] {
        bytes.withUnsafeBufferPointer { p in parse(p, separator: comma) }
    }

    /// A field outside quotes is a slice of the bytes, made a string once at its end (a
    /// byte at a time was most of the time POST /samples took); a quoted one is gathered
    /// in `field`, its doubled quotes made single.
    private static func parse(_ p: UnsafeBufferPointer<UInt8>, separator comma: UInt8) -> [Record] {
        let quote: UInt8 = 0x22, lf: UInt8 = 0x0A, cr: UInt8 = 0x0D
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1, recordLine = 1
        var quoted = false
        /// The field has been quoted: its text is `field`, kept as is. Else it is p[start..<end], trimmed.
        var buffered = false
        var start = 0
        var i = 0
        let n = p.count

        func blank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }
        func endField(_ end: Int) {
            if buffered {
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                buffered = false
            } else {
                fields.append(trimmed(UnsafeBufferPointer(rebasing: p[start..<end])))
            }
        }
        func endRecord(_ end: Int) {
            endField(end)
            if !(fields.count == 1 && fields[0].isEmpty) {
                records.append(Record(line: recordLine, fields: fields))
            }
            fields.removeAll(keepingCapacity: true)
        }

        while i < n {
            let b = p[i]
            if quoted {
                if b == quote {
                    if i + 1 < n && p[i + 1] == quote { field.append(quote); i += 1 } else { quoted = false }
                } else {
                    if b == lf || (b == cr && (i + 1 >= n || p[i + 1] != lf)) { line += 1 }
                    field.append(b)
                }
            } else if b == comma {
                endField(i)
                start = i + 1
            } else if b == lf || b == cr {
                let end = i
                if b == cr && i + 1 < n && p[i + 1] == lf { i += 1 }
                endRecord(end)
                line += 1
                recordLine = line
                start = i + 1
            } else if b == quote && (buffered ? field.allSatisfy(blank) : p[start..<i].allSatisfy(blank)) {
                // A quote after nothing but blanks opens a quoted field (what came before is dropped).
                field.removeAll(keepingCapacity: true)
                quoted = true
                buffered = true
            } else if buffered {
                field.append(b)
            }
            i += 1
        }
        if buffered || start < n || !fields.isEmpty { endRecord(n) }
        return records
    }

    /// The text of an unquoted field without the blanks around it (`.whitespaces`: ASCII
    /// space and tab here, Foundation's rule only where a non-ASCII byte is at an end).
    private static func trimmed(_ s: UnsafeBufferPointer<UInt8>) -> String {
        var a = 0, b = s.count
        while a < b && (s[a] == 0x20 || s[a] == 0x09) { a += 1 }
        while b > a && (s[b - 1] == 0x20 || s[b - 1] == 0x09) { b -= 1 }
        let text = String(decoding: UnsafeBufferPointer(rebasing: s[a..<b]), as: UTF8.self)
        guard a < b, s[a] >= 0x80 || s[b - 1] >= 0x80 else { return text }
        return text.trimmingCharacters(in: .whitespaces)
    }
}

/// Reads typed cells of one record, with errors that name the file, line and column.
public struct CSVRow {
    public let table: CSVTable
    public let record: CSVTable.Record

    public var line: Int { record.line }

    public func error(_ message: String) -> InputError {
        InputError(file: table.file, line: record.line, message)
    }

    /// The cell's text, nil when the column is absent or the cell is empty.
    public func text(_ column: String) -> String? {
        guard let i = table.column(column) else { return nil }
        return text(at: i)
    }

    public func text(at i: Int) -> String? {
        guard i < record.fields.count else { return nil }
        let value = record.fields[i]
        return value.isEmpty ? nil : value
    }

    public func requiredText(_ column: String) throws(InputError) -> String {
        guard let value = text(column) else { throw error("\(column) is empty") }
        return value
    }

    /// A finite number, at least `minimum`; nil when the cell is empty.
    public func number(_ column: String, minimum: Double = 0, exclusive: Bool = false) throws(InputError) -> Double? {
        guard let i = table.column(column) else { return nil }
        return try number(at: i, named: column, minimum: minimum, exclusive: exclusive)
    }

    public func number(at i: Int, named column: String, minimum: Double = 0, exclusive: Bool = false) throws(InputError) -> Double? {
        guard let raw = text(at: i) else { return nil }
        guard let value = table.parseNumber(raw) else {
            let hint = !table.decimalComma && raw.contains(",") && Double(raw.replacingOccurrences(of: ",", with: ".")) != nil
                ? " (a decimal comma? then separate the columns with ';')" : ""
            throw error("\(column) '\(raw)' is not a number\(hint)")
        }
        guard value.isFinite else { throw error("\(column) '\(raw)' is not a finite number") }
        if exclusive ? value <= minimum : value < minimum {
            throw error("\(column) is \(raw), must be \(exclusive ? "above" : "at least") \(Resource.number(minimum))")
        }
        return value
    }

    public func requiredNumber(_ column: String, minimum: Double = 0, exclusive: Bool = false) throws(InputError) -> Double {
        guard let value = try number(column, minimum: minimum, exclusive: exclusive) else { throw error("\(column) is empty") }
        return value
    }

    /// A whole number, at least `minimum`; nil when the cell is empty.
    public func integer(_ column: String, minimum: Int = 0) throws(InputError) -> Int? {
        guard let raw = text(column) else { return nil }
        guard let value = Int(raw) ?? table.parseNumber(raw).flatMap({ $0 == $0.rounded() && abs($0) < 1e15 ? Int($0) : nil }) else {
            throw error("\(column) '\(raw)' is not a whole number")
        }
        guard value >= minimum else { throw error("\(column) is \(raw), must be at least \(minimum)") }
        return value
    }

    /// A `;`-separated list, blanks dropped.
    public func list(_ column: String) -> Set<String> {
        guard let raw = text(column) else { return [] }
        return Set(raw.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }
}

extension CSVTable {
    /// What a reader should say about this file: its separator when not a comma, and each
    /// column it does not read, with the column it probably meant.
    public func readingNotes(known: [String], prefixes: [String] = []) -> [String] {
        var notes: [String] = []
        if let dialect = detectedDialect { notes.append("\(file): \(dialect)") }
        let unknown = header.filter { name in !name.isEmpty && !known.contains(name) && !prefixes.contains { name.hasPrefix($0) } }
        for name in unknown {
            if let guess = NameSuggestion.closest(to: name, among: known) {
                notes.append("\(file):\(headerLine): column '\(name)' is not read (did you mean '\(guess)'?)")
            }
        }
        let plain = unknown.filter { NameSuggestion.closest(to: $0, among: known) == nil }
        if !plain.isEmpty { notes.append("\(file):\(headerLine): columns not read: \(plain.joined(separator: ", "))") }
        return notes
    }

    /// A number as this file writes them: with `;` as separator, `1,5` and `1.234,5` too.
    func parseNumber(_ raw: String) -> Double? {
        if let value = Double(raw) { return value }
        guard decimalComma, raw.contains(",") else { return nil }
        // "1.234,5": a dot before the comma groups thousands.
        var text = raw
        if let comma = text.lastIndex(of: ","), text[..<comma].contains(".") { text = text.replacingOccurrences(of: ".", with: "") }
        return Double(text.replacingOccurrences(of: ",", with: "."))
    }

    /// Every record as a row, after checking it has no more fields than the header.
    public func rows() throws(InputError) -> [CSVRow] {
        var rows: [CSVRow] = []
        rows.reserveCapacity(records.count)
        for record in records {
            if record.fields.count > header.count, record.fields[header.count...].contains(where: { !$0.isEmpty }) {
                throw InputError(file: file, line: record.line, "\(record.fields.count) fields, but the header names \(header.count) columns")
            }
            rows.append(CSVRow(table: self, record: record))
        }
        return rows
    }
}
