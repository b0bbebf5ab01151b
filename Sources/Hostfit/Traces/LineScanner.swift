/// Splits a byte stream into lines (LF, CRLF or CR-only ends, as spreadsheets re-save
/// them), counting line numbers. Lines are handed out as buffer pointers valid only during
/// the call; complete lines inside a chunk are not copied.
struct LineScanner {
    private var carry: [UInt8] = []
    private var carrying = false
    /// The previous chunk ended in CR: a LF starting the next one belongs to it.
    private var afterCR = false
    private(set) var lineNumber = 0

    /// Calls `body` for each complete line in `bytes`, keeping a trailing partial line.
    mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) rethrows {
        guard let base = bytes.baseAddress else { return }
        var start = 0, i = 0
        let n = bytes.count
        if afterCR && n > 0 && base[0] == 0x0A { start = 1; i = 1 }
        afterCR = false
        while i < n {
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
