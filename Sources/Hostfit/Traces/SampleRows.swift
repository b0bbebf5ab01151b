/// The fields of one line as a reader sees them: a splitter that honours quotes
/// (`FieldSplitter`) or one that parses numbers as it splits (`NumericRow`).
protocol RowFields {
    var count: Int { get }
    mutating func read(_ line: UnsafeBufferPointer<UInt8>)
    func bytes(_ k: Int, in line: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>
    func text(_ k: Int, in line: UnsafeBufferPointer<UInt8>) -> String
    func number(_ k: Int, in line: UnsafeBufferPointer<UInt8>) -> Double?
}

extension FieldSplitter: RowFields {
    @inline(__always) mutating func read(_ line: UnsafeBufferPointer<UInt8>) { split(line) }
}

extension NumericRow: RowFields {
    @inline(__always) mutating func read(_ line: UnsafeBufferPointer<UInt8>) { parse(line) }
    @inline(__always) func number(_ k: Int, in line: UnsafeBufferPointer<UInt8>) -> Double? { number(k) }
}

/// The reader loop of every format with one sample row per entity and time (native long and
/// wide, Azure, Alibaba): each non-empty line is counted, split, checked for its field count,
/// its timestamp and its entity (each failure a counted bad row with its `file:line`), and
/// then handed to the format for its values.
struct SampleRows<Fields: RowFields> {
    enum Timestamp {
        /// Seconds as a plain number (traces that count from their own start).
        case seconds
        /// Epoch seconds or milliseconds, or ISO 8601 (`TimestampParser`).
        case parsed
    }

    var fields: Fields
    /// The first line names columns: `header` sees it, and it is not a sample.
    var hasHeader = false
    var timeColumn = 0
    var entityColumn = 1
    var timestamp = Timestamp.parsed
    /// The field separator, for reading the time column again to decide its date order.
    var separator: UInt8 = 0x2C
    /// Fewer fields than this is a bad row; the message says "n of `expectedFields`".
    var minimumFields: Int
    var expectedFields: Int
    var emptyEntity = "empty entity"

    @inline(__always)
    mutating func read(_ file: TraceFile, into c: TraceCollector,
                       header: (Fields, UnsafeBufferPointer<UInt8>) -> Void = { _, _ in },
                       sample: (Fields, UnsafeBufferPointer<UInt8>, _ number: Int, _ time: Int64, _ entity: Int) -> Void) throws(InputError) {
        var entities = EntityCache()
        var atHeader = hasHeader
        var slashOrder = SlashDateOrder.monthFirst, orderDecided = false
        try file.forEachLine { line, number throws(InputError) in
            if atHeader {
                atHeader = false
                fields.read(line)
                header(fields, line)
                return
            }
            guard !line.isEmpty else { return }
            c.issues.rows += 1
            fields.read(line)
            guard fields.count >= minimumFields else {
                c.issues.bad(line: number, "too few fields", detail: "\(fields.count) of \(expectedFields)"); return
            }
            let time: Int64
            switch timestamp {
            case .seconds:
                guard let stamp = fields.number(timeColumn, in: line), stamp >= 0, stamp < 1e12 else {
                    c.issues.bad(line: number, "unreadable timestamp", detail: fields.text(timeColumn, in: line)); return
                }
                time = Int64(stamp)
            case .parsed:
                let stamp = fields.bytes(timeColumn, in: line)
                if !orderDecided {
                    orderDecided = true
                    if TimestampParser.slashParts(stamp) != nil,
                       let decided = try SlashDateOrder.decide(file.path, column: timeColumn, separator: separator) {
                        slashOrder = decided.order
                        if let note = decided.note { c.issues.notes.append(note) }
                    }
                }
                guard let parsed = TimestampParser.parse(stamp, slashOrder: slashOrder) else {
                    c.issues.bad(line: number, "unreadable timestamp", detail: fields.text(timeColumn, in: line)); return
                }
                time = parsed
            }
            let id = fields.bytes(entityColumn, in: line)
            guard !id.isEmpty else { c.issues.bad(line: number, emptyEntity); return }
            sample(fields, line, number, time, entities.entity(id, in: c))
        }
    }
}
