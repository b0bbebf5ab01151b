import Foundation

/// The part of the traces to use: samples at or after `from` and before `until` (epoch
/// seconds), so one month of files can be planned on its first half and replayed on the rest.
public struct TracePeriod: Sendable, Equatable {
    public var from: Int64?
    public var until: Int64?

    public init(from: Int64? = nil, until: Int64? = nil) {
        self.from = from
        self.until = until
    }

    public var isAll: Bool { from == nil && until == nil }

    @inline(__always)
    public func contains(_ time: Int64) -> Bool {
        if let from, time < from { return false }
        if let until, time >= until { return false }
        return true
    }
}

extension TracePeriod {
    /// A time as a person gives it: `2013-07-15`, `2013-07-15T12:00:00Z` (UTC without a
    /// zone) or epoch seconds.
    public static func time(_ text: String) -> Int64? {
        // Straight from the string's bytes where they read as they are (per sample in POST /samples).
        if let time = text.utf8.withContiguousStorageIfAvailable({ TimestampParser.parse($0) }) ?? nil { return time }
        var text = text.trimmingCharacters(in: .whitespaces)
        if text.count == 10, text.filter({ $0 == "-" }).count == 2 { text += "T00:00:00" }
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { TimestampParser.parse(UnsafeBufferPointer($0)) }
    }
}
