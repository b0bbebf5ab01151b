/// Turns the timestamps traces carry into Unix seconds (UTC), straight from bytes.
///
/// - Epoch numbers: seconds, or milliseconds when above 10^11 (that is after year 5138 in
///   seconds, so no real trace is misread; Bitbrains labels seconds "[ms]").
/// - Dates: `YYYY-MM-DD[T| ]HH:MM[:SS[.fff]]` then `Z`, ` UTC`, `+HH:MM`, `-HHMM` or nothing;
///   without a zone, `defaultOffset` (seconds east of UTC) applies.
/// - Slash dates as perfmon writes them (`MM/DD/YYYY HH:MM:SS[.fff]`) and as a spreadsheet
///   re-saves them (`3/26/2015 22:42`, `3/26/2015 10:42:26 PM`): month first unless
///   `slashOrder` says the file puts the day first (`SlashDateOrder` decides per file).
enum TimestampParser {
    static func parse(_ s: UnsafeBufferPointer<UInt8>, defaultOffset: Int64 = 0, slashOrder: SlashDateOrder = .monthFirst) -> Int64? {
        guard let p = s.baseAddress, s.count > 0 else { return nil }
        let n = s.count
        let slashed = n >= 8 && (p[1] == 0x2F || p[2] == 0x2F)
        // Epoch number: digits, maybe a fraction.
        if n < 5 || (p[4] != 0x2D && !slashed) {
            return NumberParser.parse(s).flatMap(epoch)
        }
        var i = 0
        func digits(_ count: Int) -> Int? {
            guard i + count <= n else { return nil }
            var v = 0
            for k in 0..<count {
                let d = p[i + k] &- 0x30
                guard d < 10 else { return nil }
                v = v * 10 + Int(d)
            }
            i += count
            return v
        }
        func expect(_ byte: UInt8) -> Bool {
            guard i < n, p[i] == byte else { return false }
            i += 1
            return true
        }
        // One or two digits (a spreadsheet drops leading zeros).
        func shortNumber() -> Int? {
            guard let first = digits(1) else { return nil }
            guard i < n, p[i] &- 0x30 < 10 else { return first }
            return first * 10 + digits(1)!
        }
        var year = 0, month = 0, day = 0
        if slashed {
            guard let a = shortNumber(), expect(0x2F), let b = shortNumber(), expect(0x2F), let y = digits(4) else { return nil }
            (year, month, day) = slashOrder == .monthFirst ? (y, a, b) : (y, b, a)
        } else {
            guard let y = digits(4), expect(0x2D), let m = digits(2), expect(0x2D), let d = digits(2) else { return nil }
            (year, month, day) = (y, m, d)
        }
        guard (1...12).contains(month), (1...31).contains(day) else { return nil }
        var hour = 0, minute = 0, second = 0
        if i < n && (p[i] == 0x54 || p[i] == 0x20) {
            i += 1
            guard let h = slashed ? shortNumber() : digits(2), expect(0x3A), let m = digits(2) else { return nil }
            hour = h; minute = m
            if expect(0x3A) {
                guard let sec = digits(2) else { return nil }
                second = sec
                if expect(0x2E) || expect(0x2C) { while i < n, p[i] &- 0x30 < 10 { i += 1 } }
            }
            // A US spreadsheet's 12-hour clock: `10:42:26 PM`.
            if slashed, n - i == 3, p[i] == 0x20, p[i + 2] | 0x20 == 0x6D {
                let marker = p[i + 1] | 0x20
                guard (1...12).contains(hour), marker == 0x61 || marker == 0x70 else { return nil }
                hour = hour % 12 + (marker == 0x70 ? 12 : 0)
                i = n
            }
        }
        guard hour < 24, minute < 60, second < 61 else { return nil }
        var offset = defaultOffset
        while i < n && p[i] == 0x20 { i += 1 }
        if i < n {
            if p[i] == 0x5A && i + 1 == n {
                offset = 0
            } else if n - i == 3 && p[i] == 0x55 && p[i + 1] == 0x54 && p[i + 2] == 0x43 {
                offset = 0
            } else if p[i] == 0x2B || p[i] == 0x2D {
                let sign: Int64 = p[i] == 0x2D ? -1 : 1
                i += 1
                guard let h = digits(2) else { return nil }
                _ = expect(0x3A)
                let m = i < n ? (digits(2) ?? -1) : 0
                guard m >= 0, i == n else { return nil }
                offset = sign * Int64(h * 3600 + m * 60)
            } else {
                return nil
            }
        }
        return daysFromCivil(year, month, day) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - offset
    }

    /// The two numbers before the year of a slash date (`3/26/2015 ...` -> 3, 26), in file
    /// order; nil for any other timestamp.
    static func slashParts(_ s: UnsafeBufferPointer<UInt8>) -> (first: Int, second: Int, year: Int)? {
        var parts: [Int] = []
        var value = 0, width = 0
        for b in s {
            let d = b &- 0x30
            if d < 10 {
                value = value * 10 + Int(d); width += 1
                guard width <= 4 else { return nil }
            } else if b == 0x2F, width > 0, width <= 2, parts.count < 2 {
                parts.append(value); value = 0; width = 0
            } else {
                break
            }
        }
        guard parts.count == 2, width == 4 else { return nil }
        return (parts[0], parts[1], value)
    }

    /// An epoch number as seconds: milliseconds when above 10^11.
    @inline(__always) static func epoch(_ x: Double) -> Int64? {
        guard x.isFinite, x >= 0, x < 1e15 else { return nil }
        return Int64((x > 1e11 ? x / 1000 : x).rounded(.down))
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant, "chrono-Compatible
    /// Low-Level Date Algorithms").
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return Int64(era * 146_097 + doe - 719_468)
    }
}
