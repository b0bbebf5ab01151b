/// Rows of one file that could not be used, counted by kind, with the first few places.
/// Bad data never stops a run silently: these are reported, and `--strict` makes them fatal.
public struct FileIssues: Sendable {
    public static let examplesKept = 3

    public struct Kind: Sendable {
        public var count = 0
        public var examples: [InputError] = []
    }

    public var file: String
    public var rows = 0
    /// By what is wrong ("not a number", "negative value"...).
    public private(set) var kinds: [String: Kind] = [:]
    /// Rows skipped on purpose (a VM not running), not errors.
    public var skipped: [String: Int] = [:]
    /// Assumptions made reading the file (a timestamp without a date...).
    public var notes: [String] = []
    /// Why a readable file gives nothing to plan on: what it holds and what is needed.
    public var unplannable: String?

    public init(file: String) {
        self.file = file
    }

    public mutating func bad(line: Int, _ what: String, detail: String? = nil) {
        var kind = kinds[what] ?? Kind()
        kind.count += 1
        if kind.examples.count < Self.examplesKept {
            kind.examples.append(InputError(file: file, line: line, detail.map { "\(what): \($0)" } ?? what))
        }
        kinds[what] = kind
    }

    public var badRows: Int { kinds.values.reduce(0) { $0 + $1.count } }

    /// The first problem, for --strict.
    public var firstError: InputError? {
        kinds.values.flatMap(\.examples).min { ($0.line ?? 0) < ($1.line ?? 0) }
    }
}
