import Foundation

/// Builds CSV text (RFC 4180: fields with a comma, quote or line break are quoted).
public struct CSVWriter {
    public private(set) var text = ""

    public init(header: [String]) {
        append(header)
    }

    public mutating func append(_ fields: [String]) {
        text += fields.map(Self.escape).joined(separator: ",")
        text += "\n"
    }

    /// One field as a CSV line holds it (quoted where it must be).
    public static func field(_ text: String) -> String { escape(text) }

    static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Numbers as a spreadsheet reads them: at most `digits` decimals, trailing zeros
    /// dropped, no exponent. Integer arithmetic, no locale: this runs for every cell.
    public static func number(_ x: Double?, digits: Int = 2) -> String {
        guard let x, x.isFinite else { return "" }
        var scale: Int64 = 1
        for _ in 0..<digits { scale *= 10 }
        let scaled = (x * Double(scale)).rounded()
        guard abs(scaled) < 9e15 else { return String(x.rounded()) }
        var v = Int64(scaled)
        if v == 0 { return "0" }
        let negative = v < 0
        if negative { v = -v }
        var whole = String(v / scale)
        var fraction = v % scale
        if fraction != 0 {
            var width = digits
            while fraction % 10 == 0 { fraction /= 10; width -= 1 }
            let text = String(fraction)
            whole += "." + String(repeating: "0", count: width - text.count) + text
        }
        return negative ? "-" + whole : whole
    }
}
