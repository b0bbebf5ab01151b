/// A mixed-integer linear program as plain Swift values, checked before GLPK sees it.
///
/// ```swift
/// var model = MIPModel(sense: .maximize)
/// let x = model.addColumn(kind: .integer, lower: 0, upper: 4, objective: 3)
/// model.addRow([(x, 2)], upper: 7)
/// ```
/// Indices are 0-based here; the GLPK layer converts to GLPK's 1-based arrays.
public struct MIPModel: Sendable {
    public enum Sense: Sendable { case minimize, maximize }
    public enum Kind: Sendable { case continuous, integer, binary }

    public struct Column: Sendable {
        public var kind: Kind
        /// nil means unbounded on that side.
        public var lower: Double?
        public var upper: Double?
        public var objective: Double
    }

    public struct Row: Sendable {
        public var lower: Double?
        public var upper: Double?

        public init(lower: Double? = nil, upper: Double? = nil) {
            self.lower = lower
            self.upper = upper
        }
    }

    public var sense: Sense
    public private(set) var columns: [Column] = []
    public private(set) var rows: [Row] = []
    /// Matrix entries in coordinate form, parallel arrays.
    public private(set) var entryRow: [Int] = []
    public private(set) var entryColumn: [Int] = []
    public private(set) var entryValue: [Double] = []

    public init(sense: Sense = .minimize) {
        self.sense = sense
    }

    @discardableResult
    public mutating func addColumn(kind: Kind, lower: Double? = 0, upper: Double? = nil, objective: Double = 0) -> Int {
        columns.append(Column(kind: kind, lower: kind == .binary ? 0 : lower, upper: kind == .binary ? 1 : upper, objective: objective))
        return columns.count - 1
    }

    /// Adds `lower <= sum(coefficient * column) <= upper`; terms with a zero coefficient are dropped.
    @discardableResult
    public mutating func addRow(_ terms: [(column: Int, coefficient: Double)], lower: Double? = nil, upper: Double? = nil) -> Int {
        let row = rows.count
        rows.append(Row(lower: lower, upper: upper))
        for term in terms where term.coefficient != 0 {
            entryRow.append(row)
            entryColumn.append(term.column)
            entryValue.append(term.coefficient)
        }
        return row
    }

    public var entryCount: Int { entryValue.count }

    /// Every condition under which GLPK would call its error hook (and abort the process),
    /// plus values that make no sense in a model: non-finite numbers, empty ranges.
    public func validate() throws(GLPKError) {
        for (j, column) in columns.enumerated() {
            guard column.objective.isFinite else { throw .invalidModel("column \(j): objective coefficient \(column.objective) is not finite") }
            try Self.checkRange(column.lower, column.upper, "column \(j)")
        }
        for (i, row) in rows.enumerated() {
            try Self.checkRange(row.lower, row.upper, "row \(i)")
        }
        var seen = Set<Int64>(minimumCapacity: entryCount)
        for k in 0..<entryCount {
            let i = entryRow[k], j = entryColumn[k], a = entryValue[k]
            guard i >= 0, i < rows.count else { throw .invalidModel("entry \(k): row \(i) out of range 0..<\(rows.count)") }
            guard j >= 0, j < columns.count else { throw .invalidModel("entry \(k): column \(j) out of range 0..<\(columns.count)") }
            guard a.isFinite else { throw .invalidModel("entry \(k) (row \(i), column \(j)): coefficient \(a) is not finite") }
            guard seen.insert(Int64(i) << 32 | Int64(j)).inserted else {
                throw .invalidModel("row \(i) names column \(j) twice")
            }
        }
        guard rows.count < Int(Int32.max), columns.count < Int(Int32.max), entryCount < Int(Int32.max) else {
            throw .invalidModel("model too large for GLPK's 32-bit indices")
        }
    }

    private static func checkRange(_ lower: Double?, _ upper: Double?, _ what: String) throws(GLPKError) {
        if let lower, lower.isNaN || lower == .infinity { throw .invalidModel("\(what): lower bound \(lower) is invalid") }
        if let upper, upper.isNaN || upper == -.infinity { throw .invalidModel("\(what): upper bound \(upper) is invalid") }
        if let lower, let upper, lower > upper { throw .invalidModel("\(what): lower bound \(lower) exceeds upper bound \(upper)") }
    }
}
