import Foundation

/// Splits a byte stream into lines (LF, CRLF or CR-only ends, as spreadsheets re-save
/// them), counting line numbers. Lines are handed out as buffer pointers valid only during
/// the call; complete lines inside a chunk are not copied.
struct LineScanner {
    private var carry: [UInt8] = []
    private var carrying = false
    /// The previous chunk ended in CR: a LF starting the next one belongs to it.
    private var afterCR = false
    private(set) var lineNumber = 0

    /// Whether lines end in CR alone (old Mac, some spreadsheets): decided on the first
    /// chunk with a line break, so that LF-ended text can be searched with memchr.
    private var crOnly: Bool?

    /// Calls `body` for each complete line in `bytes`, keeping a trailing partial line.
    mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) rethrows {
        guard let base = bytes.baseAddress else { return }
        var start = 0, i = 0
        let n = bytes.count
        if afterCR && n > 0 && base[0] == 0x0A { start = 1; i = 1 }
        afterCR = false
        if crOnly == nil {
            if memchr(base, 0x0A, n) != nil {
                crOnly = false
            } else if let cr = memchr(base, 0x0D, n), UnsafePointer<UInt8>(cr.assumingMemoryBound(to: UInt8.self)) - base + 1 < n {
                crOnly = true
            }  // else undecided (a CR at the very end may be half a CRLF): the byte loop below is right for both
        }
        while i < n {
            if crOnly == false {
                // Jump to the next LF; a CR just before it belongs to the line end.
                guard let found = memchr(base + i, 0x0A, n - i) else { break }
                i = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
                lineNumber += 1
                let end = i > start && base[i - 1] == 0x0D ? i - 1 : i
                if carrying {
                    carry.append(contentsOf: UnsafeBufferPointer(start: base + start, count: end - start))
                    if end == start, let last = carry.last, last == 0x0D { carry.removeLast() }
                    try carry.withUnsafeBufferPointer { try body($0, lineNumber) }
                    carry.removeAll(keepingCapacity: true)
                    carrying = false
                } else {
                    try body(UnsafeBufferPointer(start: base + start, count: end - start), lineNumber)
                }
                i += 1
                start = i
                continue
            }
            let b = base[i]
            if b == 0x0A || b == 0x0D {
                lineNumber += 1
                if carrying {
                    carry.append(contentsOf: UnsafeBufferPointer(start: base + start, count: i - start))
                    try carry.withUnsafeBufferPointer { try body($0, lineNumber) }
                    carry.removeAll(keepingCapacity: true)
                    carrying = false
                } else {
                    try body(UnsafeBufferPointer(start: base + start, count: i - start), lineNumber)
                }
                if b == 0x0D {
                    if i + 1 < n { if base[i + 1] == 0x0A { i += 1 } } else { afterCR = true }
                }
                start = i + 1
            }
            i += 1
        }
        if start < n {
            carry.append(contentsOf: UnsafeBufferPointer(start: base + start, count: n - start))
            carrying = true
        }
    }

    /// Hands out the last line when the input does not end with a line break.
    mutating func finish(_ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) rethrows {
        guard carrying else { return }
        lineNumber += 1
        try carry.withUnsafeBufferPointer { try body($0, lineNumber) }
        carry.removeAll()
        carrying = false
    }
}
