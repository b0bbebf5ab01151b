/// The trace formats Hostfit reads, recognized from a file's first line (and, for formats
/// without a header, the shape of it).
public enum TraceFormat: String, Sendable, CaseIterable {
    case nativeLong = "native long"
    case nativeWide = "native wide"
    case bitbrains = "Bitbrains GWA-T-12"

    static func detect(firstLine: String) -> TraceFormat? {
        let lower = firstLine.lowercased()
        if lower.hasPrefix("timestamp [ms]") && lower.contains(";") { return .bitbrains }
        let header = lower.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if header == ["timestamp", "entity", "metric", "value"] { return .nativeLong }
        if header.count >= 3 && header[0] == "timestamp" && header[1] == "entity" && header.dropFirst(2).contains(where: { Metric(name: $0) != nil }) {
            return .nativeWide
        }
        return nil
    }

    func read(_ file: TraceFile, into collector: TraceCollector) throws(InputError) {
        switch self {
        case .nativeLong: try NativeTraceReader.readLong(file, into: collector)
        case .nativeWide: try NativeTraceReader.readWide(file, into: collector)
        case .bitbrains: try BitbrainsReader.read(file, into: collector)
        }
    }
}

import Foundation

extension TraceCollector {
    /// A value that demand can be: finite and not negative. Records why not otherwise.
    @inline(__always)
    func demandValue(_ value: Double?, line: Int, column: String) -> Double? {
        guard let value else { issues.bad(line: line, "not a number", detail: column); return nil }
        guard value.isFinite else { issues.bad(line: line, "not a finite number", detail: column); return nil }
        guard value >= 0 else { issues.bad(line: line, "negative value", detail: column); return nil }
        return value
    }
}
