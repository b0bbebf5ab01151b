import Foundation
import Testing
@testable import Hostfit

@Suite("Reading traces")
struct TraceTests {
    func read(_ paths: [String], scheme: BucketScheme = .hourOfWeek) throws(InputError) -> TraceRead {
        try TraceLoader.read(paths, scheme: scheme, keepSeries: true)
    }

    /// The first row of Bitbrains VM 1 (SampleData/traces/rnd-1.csv.gz):
    /// 1372629804; 2; 5851.9989; 87.7799835; 1.5; 8218624.0; 1034592.8; 160.866...; 21.733...; 0.2666...; 1.4666...
    @Test func bitbrainsReadsToTheNumbersInTheFile() throws {
        let read = try read([Support.sampleData + "/traces/rnd-1.csv.gz"])
        #expect(read.files.map(\.format) == [.bitbrains])
        let cpu = try #require(read.series("rnd-1", .cpuMHz))
        #expect(cpu[0].time == 1_372_629_804)
        #expect(cpu[0].value == 87.7799835)
        let memory = try #require(read.series("rnd-1", .memoryMB))
        #expect(memory[0].value == 1_034_592.8 / 1024)
        let net = try #require(read.series("rnd-1", .netMbps))
        #expect(abs(net[0].value - (0.26666666666666666 + 1.4666666666666666) * 8 * 1024 / 1e6) < 1e-15)
        let profiles = ProfileBuilder.build(read)
        // The largest provisioned over the two weeks (the first row says 8,218,624 KB).
        #expect(profiles.profiles[0].allocation == EntityAllocation(cores: 2, cpuMHz: 5851.9989, memoryMB: 8_388_608 / 1024))
        // Every sample is from July 1-14, 2013, five minutes apart.
        #expect(cpu.allSatisfy { $0.time >= 1_372_629_804 && $0.time < 1_373_846_400 })
        #expect(cpu.count > 4000)
    }

    @Test func nativeLongProfileHasTheExactQuantiles() throws {
        let path = Support.fixture("native-long.csv")
        let read = try read([path])
        let web = try #require(ProfileBuilder.build(read).profiles.first { $0.entity == "web1" })
        let cpu = try #require(web.profile(of: .cpu))
        #expect(cpu.samples == 7)
        #expect(abs(cpu.p95 - 850) < 1e-9)  // 500 + 0.7 x (1000 - 500), type 7 over 7 samples
        #expect(cpu.p50 == 350)
        #expect(cpu.max == 1000)
        #expect(abs(cpu.mean - 2850.0 / 7) < 1e-9)
        #expect(cpu.buckets[0] == 475)   // Monday 00:00-01:00 UTC: 100 200 300 350 400 500
        #expect(cpu.buckets[1] == 1000)
        #expect(cpu.buckets[2] == nil)
        #expect(cpu.expectedSamples == 13)  // one hour at 300 s
        #expect(cpu.confidenceStars == 3)   // 7 of 13 = 54%
        #expect(cpu.trendPer30Days == nil)  // one day is no trend
        #expect(try #require(web.profile(of: .memory)).p95 == 2048 + 0.95 * 2048)
    }

    @Test func badRowsAreCountedWithFileAndLine() throws {
        let path = Support.fixture("native-long.csv")
        let read = try read([path])
        let issues = read.issues[0]
        #expect(issues.rows == 16)
        #expect(issues.badRows == 5)
        #expect(issues.kinds["negative value"]?.examples.first == InputError(file: path, line: 12, "negative value: value"))
        #expect(issues.kinds["not a number"]?.count == 1)         // NaN
        #expect(issues.kinds["not a finite number"]?.count == 1)  // 1e400
        #expect(issues.kinds["unknown metric"]?.examples.first?.line == 15)
        #expect(issues.kinds["unreadable timestamp"]?.examples.first?.description == "\(path):16: unreadable timestamp: yesterday")
        let cpu = read.collector.accumulators[read.collector.entityIndex["web1"]!][Metric.cpuMHz.rawValue]!
        #expect(cpu.duplicates == 1)
        #expect(cpu.outOfOrder == 1)
    }

    @Test func nativeWideWithCROnlyLineEnds() throws {
        let read = try read([Support.fixture("native-wide-cr.csv")])
        #expect(read.series("a", .cpuMHz)?.map(\.value) == [10, 20])
        #expect(read.series("a", .memoryMB)?.map(\.value) == [100, 300])
        #expect(read.issues[0].kinds["not a number"]?.examples.first?.line == 4)
        #expect(read.issues[0].skipped.keys.contains("columns not read: colour"))
    }

    @Test func brokenFilesGiveClearErrors() throws {
        let random = Support.file("random.csv", bytes: (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) })
        #expect(throws: InputError.self) { try read([random]) }

        let sample = try Data(contentsOf: URL(fileURLWithPath: Support.sampleData + "/traces/rnd-1.csv.gz"))
        let truncated = Support.file("rnd-1.csv.gz", bytes: Array(sample.prefix(sample.count / 2)))
        do {
            _ = try read([truncated])
            Issue.record("a truncated gzip file was read")
        } catch {
            #expect(error.message.hasPrefix("truncated gzip file"))
        }

        let headerOnly = Support.file("trace.csv", "timestamp,entity,metric,value\n")
        #expect(throws: InputError(file: headerOnly, "holds no samples Hostfit can plan on (no CPU, memory, disk or network values)")) { try read([headerOnly]) }

        // "Zeitstempel" with a Windows-1252 umlaut: not UTF-8, said so.
        let cp1252 = Support.file("perf.csv", bytes: Array("Zeit".utf8) + [0xFC] + Array("stempel,entity\n1,a\n".utf8))
        do {
            _ = try read([cp1252])
            Issue.record("a Windows-1252 header was read")
        } catch {
            #expect(error.message.contains("not UTF-8"))
        }
        #expect(throws: InputError.self) { try read(["/nonexistent/traces"]) }
    }

    /// A PDH-CSV written for this test: India Standard Time (bias -330), a blank first sample,
    /// two NICs summed, physical disk preferred over logical.
    @Test func perfmonCountersBecomeDemand() throws {
        let read = try read([Support.fixture("perfmon-db01.csv")])
        #expect(read.badRows == 0)
        #expect(read.collector.allocations["DB01"]?.cores == 2)
        let cpu = try #require(read.series("DB01", .cpuPercent))
        #expect(cpu.map(\.value) == [20])
        #expect(cpu[0].time == TimestampParser.daysFromCivil(2017, 9, 19) * 86_400 + 4 * 3600 + 21 * 60 + 54)  // 09:51:54 IST
        #expect(read.series("DB01", .memoryMB)?.map(\.value) == [2048, 3072])
        #expect(read.series("DB01", .netMbps)?.map(\.value) == [3])  // (125,000 + 250,000) bytes/s
        #expect(read.series("DB01", .diskIOPS)?.map(\.value) == [150])
        #expect(read.issues[0].skipped.values.reduce(0, +) == 4)   // blank first values of the 4 rate counters read
    }

    @Test func foldersSkipWhatIsNotATrace() throws {
        let folder = Support.temporaryDirectory()
        try FileManager.default.copyItem(atPath: Support.fixture("native-long.csv"), toPath: folder + "/a.csv")
        try Data("Just a README\n".utf8).write(to: URL(fileURLWithPath: folder + "/README.md"))
        let read = try read([folder])
        #expect(read.files.count == 1)
        #expect(read.ignored == [folder + "/README.md"])
    }
}

@Suite("Profile parts")
struct ProfilePartTests {
    @Test func exactSketchMatchesType7AndTheBinnedOneStaysWithinItsAccuracy() {
        var rng = SeededGenerator(seed: 3)
        let values = (0..<5000).map { _ in Double.random(in: 0.5...50_000, using: &rng) }
        var sketch = QuantileSketch()
        for v in values { sketch.add(v) }
        #expect(!sketch.isExact)
        let sorted = values.sorted()
        for q in [0.5, 0.9, 0.95, 0.99] {
            let truth = QuantileSketch.quantile(sorted: sorted, q)!
            #expect(abs(sketch.quantile(q)! - truth) <= QuantileSketch.relativeAccuracy * truth)
        }
        var small = QuantileSketch()
        for v in [5.0, 1, 4, 2, 3] { small.add(v) }
        #expect(small.quantile(0.95) == 4.8)
        var copy = values
        #expect(QuantileSketch.quantiles(selecting: &copy, [0.95])[0] == QuantileSketch.quantile(sorted: sorted, 0.95))
    }

    @Test func mergedSketchesEqualOneSketchOfEverything() {
        var a = QuantileSketch(), b = QuantileSketch(), all = QuantileSketch()
        for k in 0..<1200 { let v = Double(k % 97) * 1.5; if k % 3 == 0 { a.add(v) } else { b.add(v) }; all.add(v) }
        a.merge(b)
        #expect(a.count == all.count)
        #expect(a.quantile(0.95) == all.quantile(0.95))
    }

    @Test func hourOfWeekStartsMondayMidnightUTC() {
        let monday = TimestampParser.daysFromCivil(2013, 7, 1) * 86_400  // a Monday
        #expect(BucketScheme.hourOfWeek.bucket(monday) == 0)
        #expect(BucketScheme.hourOfWeek.bucket(monday + 6 * 86_400 + 23 * 3600 + 3599) == 167)
        #expect(BucketScheme.hourOfDay.bucket(monday + 13 * 3600) == 13)
        #expect(BucketScheme.hourOfWeek.columnNames[25] == "tue01")
    }

    @Test func theilSenIgnoresAnOutlier() {
        let x = (0..<10).map(Double.init)
        var y = x.map { 2 * $0 + 1 }
        y[7] = 500
        #expect(TrendFit.theilSenSlope(x: x, y: y) == 2)
    }

    @Test(arguments: [
        ("2013-07-01T00:00:00Z", Int64(1_372_636_800)), ("2013-07-01 02:00:00+02:00", 1_372_636_800),
        ("2013-07-01T00:00:00.123Z", 1_372_636_800), ("1372636800", 1_372_636_800), ("1372636800000", 1_372_636_800),
        ("07/01/2013 00:00:00.000", 1_372_636_800), ("2013-07-01 00:00:00 UTC", 1_372_636_800), ("2013-07-01T05:30:00+0530", 1_372_636_800),
    ])
    func timestampsBecomeUTCSeconds(text: String, expected: Int64) {
        let bytes = Array(text.utf8)
        #expect(bytes.withUnsafeBufferPointer { TimestampParser.parse($0) } == expected)
    }

    @Test func numbersParseLikeStrtod() {
        var rng = SeededGenerator(seed: 9)
        for _ in 0..<2000 {
            let x = Double.random(in: -1e6...1e6, using: &rng)
            for text in [String(x), String(format: "%.3f", x), String(format: "%.9e", x)] {
                let parsed = Array(text.utf8).withUnsafeBufferPointer { NumberParser.parse($0) }
                #expect(parsed == strtod(text, nil) || abs(parsed! - strtod(text, nil)) <= abs(x).ulp, "\(text)")
            }
        }
        for bad in ["", "-", ".", "1.2.3", "12a", "nan", "e5", "1e"] {
            #expect(Array(bad.utf8).withUnsafeBufferPointer { NumberParser.parse($0) } == nil, "\(bad)")
        }
        var row = NumericRow(separator: 0x3B)
        let line = Array("1372629804;\t2;\t5851.9989;\tbusy; ;-0.5e1".utf8)
        line.withUnsafeBufferPointer { row.parse($0) }
        #expect(row.count == 6)
        #expect(row.number(0) == 1_372_629_804 && row.number(2) == 5851.9989 && row.number(5) == -5)
        #expect(row.number(3) == nil && row.number(4) == nil)
        #expect(line.withUnsafeBufferPointer { row.text(3, in: $0) } == "busy")
    }

    @Test func profilesCSVReadsBackToTheSameProfiles() throws {
        let read = try TraceLoader.read([Support.fixture("native-long.csv")], scheme: .hourOfDay)
        let set = ProfileBuilder.build(read)
        let path = Support.file("profiles.csv", ProfileReport.csv(set))
        let back = try ProfileFile.read(path)
        #expect(back.scheme == .hourOfDay)
        #expect(back.percentile == 95)
        #expect(back.profiles.map(\.entity) == set.profiles.map(\.entity))
        #expect(back.profiles[1].profile(of: .cpu)?.buckets == set.profiles[1].profile(of: .cpu)?.buckets)
        #expect(abs(back.profiles[1].profile(of: .cpu)!.p95 - 850) < 1e-9)
    }
}

@Suite("Line scanning")
struct LineScannerTests {
    /// Reference: split a whole text at LF, CRLF or CR.
    func reference(_ text: [UInt8]) -> [[UInt8]] {
        var lines: [[UInt8]] = [], line: [UInt8] = [], i = 0
        while i < text.count {
            let b = text[i]
            if b == 0x0A || b == 0x0D {
                lines.append(line); line = []
                if b == 0x0D && i + 1 < text.count && text[i + 1] == 0x0A { i += 1 }
            } else { line.append(b) }
            i += 1
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    func scan(_ text: [UInt8], chunks: [Int]) -> [[UInt8]] {
        var scanner = LineScanner(), lines: [[UInt8]] = [], at = 0, k = 0
        while at < text.count {
            let size = min(chunks[k % chunks.count], text.count - at)
            text[at..<(at + size)].withUnsafeBufferPointer { scanner.scan($0) { line, _ in lines.append(Array(line)) } }
            at += size; k += 1
        }
        scanner.finish { line, _ in lines.append(Array(line)) }
        return lines
    }

    @Test(arguments: ["\n", "\r\n", "\r"])
    func anyChunkingGivesTheSameLines(ending: String) {
        var rng = SeededGenerator(seed: UInt64(ending.utf8.count))
        for _ in 0..<200 {
            let lines = (0..<Int.random(in: 1...30, using: &rng)).map { _ in String(repeating: "x", count: Int.random(in: 0...7, using: &rng)) }
            let text = Array((lines.joined(separator: ending) + (Bool.random(using: &rng) ? ending : "")).utf8)
            let chunks = (0..<4).map { _ in Int.random(in: 1...9, using: &rng) }
            #expect(scan(text, chunks: chunks) == reference(text), "\(chunks) \(text)")
        }
    }
}
