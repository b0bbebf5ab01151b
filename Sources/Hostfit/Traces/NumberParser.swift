import Foundation

/// Parses ASCII decimal numbers straight from bytes. Mantissas below 2^53 with a power of
/// ten up to 10^22 take Clinger's exact fast path (one rounding: Clinger, "How to read
/// floating point numbers accurately", PLDI 1990). Mantissas of 16 to 19 digits (common in
/// exported traces, e.g. 111846.66666666667) round twice, at most one unit in the last place
/// off; more digits or larger exponents go to strtod. nil for anything not a number.
enum NumberParser {
    @inline(__always) static func power(_ e: Int) -> Double {
        switch e {
        case 0: 1e0
        case 1: 1e1
        case 2: 1e2
        case 3: 1e3
        case 4: 1e4
        case 5: 1e5
        case 6: 1e6
        case 7: 1e7
        case 8: 1e8
        case 9: 1e9
        case 10: 1e10
        case 11: 1e11
        case 12: 1e12
        case 13: 1e13
        case 14: 1e14
        case 15: 1e15
        case 16: 1e16
        case 17: 1e17
        case 18: 1e18
        case 19: 1e19
        case 20: 1e20
        case 21: 1e21
        default: 1e22
        }
    }

    static func parse(_ s: UnsafeBufferPointer<UInt8>) -> Double? {
        guard let p = s.baseAddress, s.count > 0 else { return nil }
        let n = s.count
        var i = 0
        var negative = false
        if p[0] == 0x2D { negative = true; i = 1 } else if p[0] == 0x2B { i = 1 }
        var mantissa: UInt64 = 0
        var digits = 0, fractionDigits = 0
        var sawDigit = false
        while i < n, p[i] &- 0x30 < 10 {
            if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(p[i] &- 0x30); if mantissa > 0 { digits += 1 } } else { return slow(s) }
            sawDigit = true
            i += 1
        }
        if i < n && p[i] == 0x2E {
            i += 1
            while i < n, p[i] &- 0x30 < 10 {
                if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(p[i] &- 0x30); if mantissa > 0 { digits += 1 }; fractionDigits += 1 } else { return slow(s) }
                sawDigit = true
                i += 1
            }
        }
        guard sawDigit else { return nil }
        var exponent = 0
        if i < n && (p[i] == 0x65 || p[i] == 0x45) {
            i += 1
            var expNegative = false
            if i < n && (p[i] == 0x2D || p[i] == 0x2B) { expNegative = p[i] == 0x2D; i += 1 }
            var sawExp = false
            while i < n, p[i] &- 0x30 < 10 {
                exponent = min(exponent * 10 + Int(p[i] &- 0x30), 100_000)
                sawExp = true
                i += 1
            }
            guard sawExp else { return nil }
            if expNegative { exponent = -exponent }
        }
        guard i == n else { return nil }
        let e = exponent - fractionDigits
        guard e >= -22, e <= 22 else { return slow(s) }
        var value = Double(mantissa)
        value = e < 0 ? value / power(-e) : value * power(e)
        return negative ? -value : value
    }

    static func parseInteger(_ s: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard let p = s.baseAddress, s.count > 0, s.count < 19 else { return parse(s).flatMap { $0 == $0.rounded() && abs($0) < 9e18 ? Int64($0) : nil } }
        var i = 0, negative = false
        if p[0] == 0x2D { negative = true; i = 1 }
        guard i < s.count else { return nil }
        var value: Int64 = 0
        while i < s.count {
            let d = p[i] &- 0x30
            guard d < 10 else { return parse(s).flatMap { $0 == $0.rounded() && abs($0) < 9e18 ? Int64($0) : nil } }
            value = value * 10 + Int64(d)
            i += 1
        }
        return negative ? -value : value
    }

    /// strtod on a NUL-terminated copy, accepting only what it reads whole ("nan" and "inf" included).
    private static func slow(_ s: UnsafeBufferPointer<UInt8>) -> Double? {
        guard s.count < 512 else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: s.count + 1) { buffer -> Double? in
            for k in 0..<s.count { buffer[k] = CChar(bitPattern: s[k]) }
            buffer[s.count] = 0
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(buffer.baseAddress!, &end)
            guard let end, end - buffer.baseAddress! == s.count else { return nil }
            return value
        }
    }
}
