import Foundation

/// A JSON inventory file (a platform's export) read whole, with the line each element of
/// its list starts on, so that messages point back into the file as they do for CSV.
struct JSONDocument {
    let file: String
    /// The list of records: the document itself, or its "data" (APIs that wrap their
    /// answer), or the array under `key`.
    let items: [[String: Any]]
    /// The line each item of `items` starts on.
    let lines: [Int]

    /// The document at `path` when it is JSON (its first character `{` or `[`); nil when it
    /// is not, so that the CSV readers take it (and report a missing file as they do).
    static func read(_ path: String, display: String? = nil) throws(InputError) -> Any? {
        guard let data = FileManager.default.contents(atPath: path), let first = data.first(where: { !Self.isSpace($0) }),
              first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else { return nil }
        return try parse(data, file: display ?? path)
    }

    static func parse(_ data: Data, file: String) throws(InputError) -> Any {
        do {
            return try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            let (line, what) = Self.describe(error, in: data)
            throw InputError(file: file, line: line, "not valid JSON: \(what)")
        }
    }

    /// The items of `root`: an array, or an object's array under one of `keys`.
    init?(_ root: Any, data: Data, file: String, keys: [String]) {
        self.file = file
        var path: [String] = []
        var list = root as? [Any]
        if list == nil, let object = root as? [String: Any] {
            for key in keys { if let found = object[key] as? [Any] { list = found; path = [key]; break } }
        }
        guard let list else { return nil }
        items = list.compactMap { $0 as? [String: Any] }
        let starts = Self.elementLines(in: data, under: path)
        lines = starts.count == list.count ? starts : Array(repeating: 1, count: items.count)
    }

    /// One object as a list of one (a CLI's `show`).
    init(single: [String: Any], file: String) {
        self.file = file
        items = [single]
        lines = [1]
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }

    /// The line of each element of the array at `path` (the root array when empty): a
    /// scan that skips strings and counts depth, since JSONSerialization keeps no positions.
    static func elementLines(in data: Data, under path: [String]) -> [Int] {
        let bytes = [UInt8](data)
        var i = 0, line = 1
        func skipSpace() { while i < bytes.count, isSpace(bytes[i]) { if bytes[i] == 0x0A { line += 1 }; i += 1 } }
        func skipString() {
            i += 1
            while i < bytes.count, bytes[i] != UInt8(ascii: "\"") { if bytes[i] == UInt8(ascii: "\\") { i += 1 }; i += 1 }
            i += 1
        }
        func readString() -> String {
            let start = i + 1
            skipString()
            return String(decoding: bytes[start..<max(start, i - 1)], as: UTF8.self)
        }
        func skipValue() {
            skipSpace()
            guard i < bytes.count else { return }
            if bytes[i] == UInt8(ascii: "\"") { skipString(); return }
            guard bytes[i] == UInt8(ascii: "{") || bytes[i] == UInt8(ascii: "[") else {
                while i < bytes.count, !",}]".utf8.contains(bytes[i]), !isSpace(bytes[i]) { i += 1 }
                return
            }
            var depth = 0
            repeat {
                switch bytes[i] {
                case UInt8(ascii: "\""): skipString(); continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
                case 0x0A: line += 1
                default: break
                }
                i += 1
            } while i < bytes.count && depth > 0
        }
        skipSpace()
        // Walk down the keys to the array.
        for key in path {
            guard i < bytes.count, bytes[i] == UInt8(ascii: "{") else { return [] }
            i += 1
            var found = false
            while i < bytes.count {
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return [] }
                let name = readString()
                skipSpace()
                i += 1  // ':'
                skipSpace()
                if name == key { found = true; break }
                skipValue()
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: ",") { i += 1 }
            }
            guard found else { return [] }
        }
        guard i < bytes.count, bytes[i] == UInt8(ascii: "[") else { return [] }
        i += 1
        var starts: [Int] = []
        while true {
            skipSpace()
            guard i < bytes.count, bytes[i] != UInt8(ascii: "]") else { break }
            starts.append(line)
            skipValue()
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: ",") { i += 1 }
        }
        return starts
    }

    /// Where JSONSerialization gave up, and why, as well as its message tells.
    private static func describe(_ error: Error, in data: Data) -> (Int?, String) {
        let text = ((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String) ?? "\(error)"
        if let range = text.range(of: #"line (\d+)"#, options: .regularExpression),
           let line = Int(text[range].dropFirst(5)) { return (line, text) }
        if let range = text.range(of: #"character (\d+)"#, options: .regularExpression),
           let offset = Int(text[range].dropFirst(10)), offset <= data.count {
            return (data.prefix(offset).count { $0 == 0x0A } + 1, text)
        }
        return (nil, text)
    }

    /// A field as a number (JSON numbers, or numbers in strings as some exports write them).
    static func number(_ value: Any?) -> Double? {
        if let n = value as? NSNumber { return n.doubleValue }
        if let s = value as? String { return Double(s) }
        return nil
    }
}
