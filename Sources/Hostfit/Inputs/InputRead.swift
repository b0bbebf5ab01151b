/// What an inventory file gave: its items, the format it was read as, the line of each item
/// (for messages that point back into the file), and what the user should be told.
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
