import Foundation
import Testing
@testable import Hostfit

/// Trace files as people hand them over: re-saved by a spreadsheet (unquoted header, dates
/// in the locale's order without seconds) or logged with the wrong counters. The tests
/// write the files.
@Suite("Files as spreadsheets and perfmon leave them")
struct SpreadsheetExportTests {
    static let header = "(PDH-CSV 4.0) (UTC)(0),\\\\esx01\\Physical Cpu(0)\\% Util Time,\\\\esx01\\Physical Cpu(1)\\% Util Time,"
        + "\\\\esx01\\Physical Cpu(_Total)\\% Util Time,\\\\esx01\\Memory\\Machine MBytes,\\\\esx01\\Memory\\Free MBytes\n"

    /// Three days of 5-minute esxtop samples from 2015-03-01, dates written by `date`.
    static func esxtop(_ date: (_ day: Int, _ month: Int, _ hour: Int, _ minute: Int) -> String) -> String {
        var text = header
        for k in 0..<(3 * 288) {
            let day = 1 + k / 288, minuteOfDay = (k % 288) * 5
            let cpu = 10 + Double(k % 60)
            text += "\(date(day, 3, minuteOfDay / 60, minuteOfDay % 60)),\(cpu),\(cpu),\(cpu),262144,\(200_000 - k)\n"
        }
        return text
    }

    func utc(_ d: Int, _ m: Int, _ h: Int, _ min: Int) -> Int64 {
        TimestampParser.daysFromCivil(2015, m, d) * 86_400 + Int64(h * 3600 + min * 60)
    }

    /// `3/26/2015 22:42` as Excel in a US locale writes it: month first, no leading zeros,
    /// no seconds. CPU and memory both profile, on the right days.
    @Test func aUSResavedEsxtopExportProfilesCPUAndMemory() throws {
        let path = Support.file("esxtop-us.csv", Self.esxtop { d, m, h, min in "\(m)/\(d)/2015 \(h):" + (min < 10 ? "0\(min)" : "\(min)") })
        let read = try TraceLoader.read([path], scheme: .hourOfWeek, keepSeries: true)
        let cpu = try #require(read.series("esx01", .cpuPercent)), memory = try #require(read.series("esx01", .memoryMB))
        #expect(cpu.count == 864 && memory.count == 864)
        #expect(cpu[0].time == utc(1, 3, 0, 0) && cpu[863].time == utc(3, 3, 23, 55))
        #expect(memory[0].value == 262_144 - 200_000)
        #expect(read.collector.allocations["esx01"]?.cores == 2)
        let profiles = ProfileBuilder.build(read, options: .init(coreMHz: 2600)).profiles
        #expect(Set(profiles[0].resources.map(\.resource)) == [.cpu, .memory])
    }

    /// A 12-hour clock, as some US spreadsheets save it.
    @Test func aTwelveHourClockReads() {
        func parse(_ s: String) -> Int64? { var b = Array(s.utf8); return b.withUnsafeMutableBufferPointer { TimestampParser.parse(UnsafeBufferPointer($0)) } }
        #expect(parse("3/26/2015 10:42:26 PM") == utc(26, 3, 22, 42) + 26)
        #expect(parse("3/26/2015 12:05 AM") == utc(26, 3, 0, 5))
        #expect(parse("3/26/2015 12:05 PM") == utc(26, 3, 12, 5))
        #expect(parse("03/26/2015 22:42:26.123") == utc(26, 3, 22, 42) + 26)
        #expect(parse("3/26/2015 13:05 PM") == nil)
    }

    /// Day first, as most of the world saves it: 01/03/2015 .. 03/03/2015 read both ways, and
    /// only day/month makes the dates run day after day. Said so.
    @Test func anAmbiguousDayFirstColumnIsDecidedFromTheWholeColumn() throws {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let path = Support.file("esxtop-uk.csv", Self.esxtop { d, m, h, min in "\(two(d))/\(two(m))/2015 \(two(h)):\(two(min))" })
        let read = try TraceLoader.read([path], scheme: .hourOfWeek, keepSeries: true)
        let cpu = try #require(read.series("esx01", .cpuPercent))
        #expect(cpu[0].time == utc(1, 3, 0, 0) && cpu[863].time == utc(3, 3, 23, 55))
        #expect(read.issues[0].notes.contains { $0.contains("read as day/month: the dates then run day after day") })
    }

    /// A day above 12 settles the order without a word; a file that mixes both is refused.
    @Test func aDateAboveTwelveDecidesAndAMixIsAnError() throws {
        let us = Support.file("us.csv", "timestamp,entity,metric,value\n3/12/2015 10:00,vm1,cpu_mhz,100\n3/13/2015 10:00,vm1,cpu_mhz,200\n")
        let read = try TraceLoader.read([us], scheme: .hourOfWeek, keepSeries: true)
        #expect(try #require(read.series("vm1", .cpuMHz)).map(\.time) == [utc(12, 3, 10, 0), utc(13, 3, 10, 0)])
        #expect(read.issues[0].notes.isEmpty)
        let mixed = Support.file("mixed.csv", "timestamp,entity,metric,value\n3/13/2015 10:00,vm1,cpu_mhz,100\n14/3/2015 10:00,vm1,cpu_mhz,200\n")
        let error = try #require(throws: InputError.self) { try TraceLoader.read([mixed], scheme: .hourOfWeek) }
        #expect(error.line == 3 && error.message.hasPrefix("dates mix day/month and month/day order"))
    }

    /// A perfmon log of per-process CPU only: the error names what the file holds and the
    /// counter to log instead, at the file's first line.
    @Test func aPerProcessPerfmonLogNamesTheMissingCounter() throws {
        var text = "\"(PDH-CSV 4.0) (W. Europe Standard Time)(-60)\""
        for process in ["chrome", "sqlservr", "w3wp"] { text += ",\"\\\\WS01\\Process(\(process))\\% Processor Time\",\"\\\\WS01\\Process(\(process))\\Working Set\"" }
        text += "\n\"09/16/2021 07:51:58.569\",1,100,2,200,3,300\n"
        let path = Support.file("per-process.csv", text)
        let error = try #require(throws: InputError.self) { try TraceLoader.read([path], scheme: .hourOfWeek) }
        #expect(error.file == path && error.line == 1)
        #expect(error.message.contains("holds 6 counters, none Hostfit plans on: \\Process(*)\\% Processor Time (3 instances), \\Process(*)\\Working Set (3 instances)"))
        #expect(error.message.contains("per-process counters do not add up"))
        #expect(error.message.contains("needs \\Processor(_Total)\\% Processor Time for CPU"))
        #expect(error.message.contains("\\Memory\\Committed Bytes for memory"))
    }
}
