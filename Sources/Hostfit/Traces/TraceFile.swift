import Foundation

/// One trace file opened for reading: its first line (to detect the format) and its lines,
/// with numbers, decompressed on the fly.
final class TraceFile {
    let path: String
    let displayName: String
    private let source: ByteSource
    let firstLine: String
    /// The first few KB, as text: what tells JSON answers apart, whose first line may be `{`.
    let head: String

    init(path: String) throws(InputError) {
        self.path = path
        self.displayName = path
        let source = try ByteSource(path: path)
        guard try source.next() else {
            throw InputError(file: path, "is empty")
        }
        // The first line with anything on it; only as far into the chunk as it goes.
        let count = source.chunkCount
        let first = source.chunk.withUnsafeBufferPointer { buffer -> String in
            var start = 0, i = 0
            while i < count {
                let b = buffer[i]
                if b == 0x0A || b == 0x0D {
                    if buffer[start..<i].contains(where: { $0 != 0x20 && $0 != 0x09 }) { break }
                    start = i + 1
                }
                i += 1
            }
            let bytes = UnsafeBufferPointer(rebasing: buffer[start..<i])
            if let text = String(validating: bytes, as: UTF8.self) { return text }
            // perfmon writes the system code page; its reader transcodes (`PDHReader`).
            let lossy = String(decoding: bytes, as: UTF8.self)
            return lossy.contains("PDH-CSV 4.0") || lossy.hasPrefix("PAR1") ? lossy : "\u{FFFD}"
        }
        if first == "\u{FFFD}" {
            throw InputError(file: path, line: 1, "the header is not UTF-8 text (a Windows code page such as 1251 or 1252?): save the file as UTF-8")
        }
        var firstLine = first
        if firstLine.hasPrefix("\u{FEFF}") { firstLine.removeFirst() }
        self.source = source
        self.firstLine = firstLine
        head = source.chunk.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[0..<min(4096, count)]), as: UTF8.self) }
    }

    /// The file's name without folders and without .gz, .csv or .txt endings.
    var stem: String {
        var name = Substring(path.split(separator: "/").last ?? Substring(path))
        for ending in [".gz", ".csv", ".txt", ".json"] where name.lowercased().hasSuffix(ending) { name = name.dropLast(ending.count) }
        return String(name)
    }

    var compressedBytesRead: Int { source.bytesRead }

    /// Calls `body` with every line and its number, from the start of the file (once).
    func forEachLine(_ body: (UnsafeBufferPointer<UInt8>, Int) throws(InputError) -> Void) throws(InputError) {
        var scanner = LineScanner()
        var skipBOM = true
        func handle(_ line: UnsafeBufferPointer<UInt8>, _ number: Int) throws(InputError) {
            if skipBOM {
                skipBOM = false
                if line.count >= 3 && line[0] == 0xEF && line[1] == 0xBB && line[2] == 0xBF {
                    try body(UnsafeBufferPointer(rebasing: line[3...]), number)
                    return
                }
            }
            try body(line, number)
        }
        var failure: InputError?
        var more = true
        while more {
            source.chunk.withUnsafeBufferPointer { buffer in
                scanner.scan(UnsafeBufferPointer(rebasing: buffer[0..<source.chunkCount])) { line, number in
                    guard failure == nil else { return }
                    do { try handle(line, number) } catch { failure = error as? InputError }
                }
            }
            if let failure { throw failure }
            more = try source.next()
        }
        scanner.finish { line, number in
            guard failure == nil else { return }
            do { try handle(line, number) } catch { failure = error as? InputError }
        }
        if let failure { throw failure }
    }
}

extension TraceFile {
    /// The whole file as JSON (gzip or not), for the formats that are one JSON answer.
    func json(expected: String) throws(InputError) -> Any {
        var data = Data()
        try forEachLine { line, _ throws(InputError) in
            data.append(contentsOf: line)
            data.append(0x0A)
        }
        do { return try JSONSerialization.jsonObject(with: data) } catch {
            throw InputError(file: path, line: nil, "not valid JSON (\(expected) was expected): \(error.localizedDescription)")
        }
    }
}
