import Foundation
import Testing
@testable import Hostfit

/// Real exports as they come: perfmon in the system code page with localized counter names,
/// and esxtop extracts with per-CPU columns only.
@Suite("Perfmon and esxtop as exported")
struct LocalizedPerfmonTests {
    func read(_ path: String) throws -> TraceRead {
        try TraceLoader.read([path], scheme: .hourOfWeek, keepSeries: true)
    }

    func file(_ name: String, _ text: String, encoding: String.Encoding) -> String {
        Support.file(name, bytes: [UInt8](text.data(using: encoding)!))
    }

    @Test func russianPerfmonInWindows1251IsTranscodedAndMapped() throws {
        let text = "\"(PDH-CSV 4.0) (RTZ 2 (зима))(-180)\",\"\\\\PC-01\\Процессор(_Total)\\% загруженности процессора\",\"\\\\PC-01\\Память\\Байт выделенной виртуальной памяти\"\r\n"
            + "\"12/01/2026 10:00:00.000\",\"35.5\",\"1073741824\"\r\n\"12/01/2026 10:00:15.000\",\"40\",\"2147483648\"\r\n"
        let path = file("perfmon-ru.csv", text, encoding: .windowsCP1251)
        #expect(String(data: FileManager.default.contents(atPath: path)!, encoding: .utf8) == nil, "the fixture is not UTF-8")
        let read = try read(path)
        let cpu = try #require(read.series("PC-01", .cpuPercent))
        #expect(cpu.map(\.value) == [35.5, 40])
        let memory = try #require(read.series("PC-01", .memoryMB))
        #expect(memory.map(\.value) == [1024, 2048])
        #expect(read.issues[0].notes.contains { $0.contains("Windows-1251") })
    }

    @Test func germanPerfmonInWindows1252IsTranscodedAndMapped() throws {
        let text = "\"(PDH-CSV 4.0) (Mitteleuropäische Zeit)(-60)\",\"\\\\PC-02\\Prozessor(_Total)\\Prozessorzeit (%)\",\"\\\\PC-02\\Speicher\\Zugesicherte verwendete Bytes\"\r\n"
            + "\"12/01/2026 10:00:00.000\",\"12.5\",\"1048576\"\r\n"
        let path = file("perfmon-de.csv", text, encoding: .windowsCP1252)
        let read = try read(path)
        #expect(try #require(read.series("PC-02", .cpuPercent)).map(\.value) == [12.5])
        #expect(try #require(read.series("PC-02", .memoryMB)).map(\.value) == [1])
        #expect(read.issues[0].notes.contains { $0.contains("Windows-1252") })
    }

    @Test func esxtopWithPerCPUColumnsOnlyGivesHostCPUAndMemory() throws {
        let text = "\"(PDH-CSV 4.0) (UTC)(0)\",\"\\\\esx1\\Physical Cpu(0)\\% Util Time\",\"\\\\esx1\\Physical Cpu(1)\\% Util Time\",\"\\\\esx1\\Memory\\NonKernel MBytes\"\n"
            + "\"12/01/2026 10:00:00\",\"20\",\"40\",\"65536\"\n\"12/01/2026 10:00:05\",\"10\",\"30\",\"65600\"\n"
        let read = try read(Support.file("esxtop-cores.csv", text))
        #expect(try #require(read.series("esx1", .cpuPercent)).map(\.value) == [30, 20])
        #expect(try #require(read.series("esx1", .memoryMB)).map(\.value) == [65536, 65600])
        #expect(read.collector.allocations["esx1"]?.cores == 2)
    }

    /// The real esxtop sample with its _Total columns taken out: the per-CPU mean is the total.
    @Test(.enabled(if: Support.hasSharedData, "skipped: ../shared/data is not beside this clone"))
    func realEsxtopWithoutTotalsAgreesWithItsTotals() throws {
        let original = Support.sharedData + "/formats/esxtop/esxtop_cpu_7col.csv"
        let text = try String(contentsOfFile: original, encoding: .utf8)
        let lines = text.split(whereSeparator: { $0 == "\r" || $0 == "\n" })
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false)
        let keep = header.indices.filter { !header[$0].contains("_Total") && !header[$0].contains("Processor Time") || $0 == 0 }
        let stripped = lines.map { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            return keep.map { $0 < fields.count ? String(fields[$0]) : "" }.joined(separator: ",")
        }.joined(separator: "\r")
        let host = "proma-2n-dhcp60.eng.vmware.com"
        let perCore = try #require(try read(Support.file("esxtop-no-total.csv", stripped)).series(host, .cpuPercent))
        let totals = try #require(try read(original).series(host, .cpuPercent))
        #expect(perCore.count == totals.count)
        let worst = zip(perCore, totals).map { abs($0.value - $1.value) }.max() ?? 0
        #expect(worst < 0.6, "the mean of the per-CPU % Util Time is esxtop's _Total (within its rounding): \(worst)")
    }
}
