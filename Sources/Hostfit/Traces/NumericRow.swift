/// Reads a line of numeric fields in one pass: finding the separators and parsing the
/// numbers together, which is what makes trace reading run at disk speed. Fields that are
/// not numbers (text, empty) are marked, with their byte range kept for messages.
///
/// Numbers parse as in `NumberParser` (exact for mantissas below 2^53, at most one unit in
/// the last place off up to 19 digits, strtod beyond).
struct NumericRow {
    let separator: UInt8
    private(set) var values: UnsafeMutableBufferPointer<Double>
    private(set) var valid: UnsafeMutableBufferPointer<Bool>
    private(set) var starts: UnsafeMutableBufferPointer<Int>
    private(set) var ends: UnsafeMutableBufferPointer<Int>
    private(set) var count = 0
    private let storage: Storage

    private final class Storage {
        let values: UnsafeMutableBufferPointer<Double>
        let valid: UnsafeMutableBufferPointer<Bool>
        let starts: UnsafeMutableBufferPointer<Int>
        let ends: UnsafeMutableBufferPointer<Int>
        init(_ capacity: Int) {
            values = .allocate(capacity: capacity)
            valid = .allocate(capacity: capacity)
            starts = .allocate(capacity: capacity)
            ends = .allocate(capacity: capacity)
        }
        deinit {
            values.deallocate(); valid.deallocate(); starts.deallocate(); ends.deallocate()
        }
    }

    /// `capacity`: the most fields a line may have; further fields are ignored.
    init(separator: UInt8, capacity: Int = 256) {
        self.separator = separator
        storage = Storage(capacity)
        values = storage.values
        valid = storage.valid
        starts = storage.starts
        ends = storage.ends
    }

    @inline(__always) func number(_ k: Int) -> Double? { k < count && valid[k] ? values[k] : nil }

    @inline(__always) func bytes(_ k: Int, in line: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: line.baseAddress! + starts[k], count: ends[k] - starts[k])
    }

    func text(_ k: Int, in line: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: bytes(k, in: line), as: UTF8.self)
    }

    mutating func parse(_ line: UnsafeBufferPointer<UInt8>) {
        count = 0
        guard let p = line.baseAddress else { return }
        let n = line.count, sep = separator, capacity = values.count
        var i = 0
        while count < capacity {
            while i < n && (p[i] == 0x20 || p[i] == 0x09) { i += 1 }
            let start = i
            var negative = false
            if i < n && (p[i] == 0x2D || p[i] == 0x2B) { negative = p[i] == 0x2D; i += 1 }
            var mantissa: UInt64 = 0
            var significant = 0, fractionDigits = 0
            var sawDigit = false, slow = false
            while i < n {
                let d = p[i] &- 0x30
                guard d < 10 else { break }
                if significant < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    if mantissa != 0 { significant += 1 }
                } else { slow = true }
                sawDigit = true
                i += 1
            }
            if i < n && p[i] == 0x2E {
                i += 1
                while i < n {
                    let d = p[i] &- 0x30
                    guard d < 10 else { break }
                    if significant < 19 {
                        mantissa = mantissa &* 10 &+ UInt64(d)
                        if mantissa != 0 { significant += 1 }
                        fractionDigits += 1
                    }
                    sawDigit = true
                    i += 1
                }
            }
            var exponent = 0
            var ok = sawDigit
            if ok && i < n && (p[i] == 0x65 || p[i] == 0x45) {
                i += 1
                var expNegative = false
                if i < n && (p[i] == 0x2D || p[i] == 0x2B) { expNegative = p[i] == 0x2D; i += 1 }
                var sawExp = false
                while i < n, p[i] &- 0x30 < 10 {
                    exponent = min(exponent &* 10 &+ Int(p[i] &- 0x30), 100_000)
                    sawExp = true
                    i += 1
                }
                ok = sawExp
                if expNegative { exponent = -exponent }
            }
            var end = i
            while i < n && (p[i] == 0x20 || p[i] == 0x09) { i += 1 }
            if i < n && p[i] != sep {
                // Not a plain number (text, a quoted field...): the whole field, marked.
                ok = false
                while i < n && p[i] != sep { i += 1 }
                end = i
                while end > start && (p[end - 1] == 0x20 || p[end - 1] == 0x09) { end -= 1 }
            }
            starts[count] = start
            ends[count] = end
            if ok {
                let e = exponent - fractionDigits
                if slow || e < -22 || e > 22 {
                    let parsed = NumberParser.parse(UnsafeBufferPointer(start: p + start, count: end - start))
                    values[count] = parsed ?? 0
                    ok = parsed != nil
                } else {
                    let v = Double(mantissa)
                    let scaled = e < 0 ? v / NumberParser.power(-e) : v * NumberParser.power(e)
                    values[count] = negative ? -scaled : scaled
                }
            }
            valid[count] = ok
            count += 1
            if i >= n { break }
            i += 1
            if i == n {
                if count < capacity { starts[count] = n; ends[count] = n; valid[count] = false; count += 1 }
                break
            }
        }
    }
}
