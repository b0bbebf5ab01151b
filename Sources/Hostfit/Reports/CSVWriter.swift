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

    static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Numbers as a spreadsheet reads them: at most `digits` decimals, no exponent.
    static func number(_ x: Double?, digits: Int = 2) -> String {
        guard let x, x.isFinite else { return "" }
        let scale = pow(10.0, Double(digits))
        let rounded = (x * scale).rounded() / scale
        if rounded == rounded.rounded() { return String(Int64(rounded)) }
        return String(format: "%.\(digits)f", rounded).replacingOccurrences(of: #"0+$"#, with: "", options: .regularExpression)
    }
}
