import Foundation

/// Splits one line into fields at a separator byte, with double-quoted fields (a doubled
/// quote inside is kept as one) and blanks (spaces, tabs) around fields trimmed:
/// Bitbrains separates with ";" followed by a tab. Fields are byte ranges into the line.
struct FieldSplitter {
    let separator: UInt8
    /// Field k is `line[starts[k]..<ends[k]]`; fixed buffers, grown when a line needs more.
    private(set) var starts: UnsafeMutableBufferPointer<Int>
    private(set) var ends: UnsafeMutableBufferPointer<Int>
    private(set) var count = 0
    /// Whether any field had a doubled quote that `text` must unescape.
    private(set) var hasEscapes = false
    private let storage: Storage

    /// Owns the buffers (a struct cannot have a deinit).
    private final class Storage {
        var starts: UnsafeMutableBufferPointer<Int>
        var ends: UnsafeMutableBufferPointer<Int>
        init(_ capacity: Int) {
            starts = .allocate(capacity: capacity)
            ends = .allocate(capacity: capacity)
        }
        deinit {
            starts.deallocate()
            ends.deallocate()
        }
    }

    init(separator: UInt8) {
        self.separator = separator
        storage = Storage(64)
        starts = storage.starts
        ends = storage.ends
    }

    @inline(__always) private mutating func append(_ s: Int, _ e: Int) {
        if count == starts.count {
            let bigger = Storage(count * 2)
            _ = bigger.starts.initialize(from: starts)
            _ = bigger.ends.initialize(from: ends)
            swap(&storage.starts, &bigger.starts)
            swap(&storage.ends, &bigger.ends)
            starts = storage.starts
            ends = storage.ends
        }
        starts[count] = s
        ends[count] = e
        count += 1
    }

    mutating func split(_ line: UnsafeBufferPointer<UInt8>) {
        count = 0
        hasEscapes = false
        guard let p = line.baseAddress else { append(0, 0); return }
        let n = line.count
        var i = 0
        while true {
            while i < n && (p[i] == 0x20 || p[i] == 0x09) { i += 1 }
            if i < n && p[i] == 0x22 {
                let s = i + 1
                i = s
                while i < n {
                    if p[i] == 0x22 {
                        if i + 1 < n && p[i + 1] == 0x22 { hasEscapes = true; i += 2; continue }
                        break
                    }
                    i += 1
                }
                append(s, min(i, n))
                while i < n && p[i] != separator { i += 1 }
            } else {
                let s = i
                while i < n && p[i] != separator { i += 1 }
                var e = i
                while e > s && (p[e - 1] == 0x20 || p[e - 1] == 0x09) { e -= 1 }
                append(s, e)
            }
            if i >= n { break }
            i += 1  // past the separator
            if i == n { append(n, n); break }
        }
    }

    func isEmpty(_ k: Int) -> Bool { starts[k] == ends[k] }

    @inline(__always) func bytes(_ k: Int, in line: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: line.baseAddress.map { $0 + starts[k] }, count: ends[k] - starts[k])
    }

    func text(_ k: Int, in line: UnsafeBufferPointer<UInt8>) -> String {
        let s = String(decoding: bytes(k, in: line), as: UTF8.self)
        return hasEscapes ? s.replacingOccurrences(of: "\"\"", with: "\"") : s
    }

    @inline(__always) func number(_ k: Int, in line: UnsafeBufferPointer<UInt8>) -> Double? {
        NumberParser.parse(bytes(k, in: line))
    }

    func integer(_ k: Int, in line: UnsafeBufferPointer<UInt8>) -> Int64? {
        NumberParser.parseInteger(bytes(k, in: line))
    }
}
