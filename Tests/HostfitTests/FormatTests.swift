import Foundation
import Testing
@testable import Hostfit

/// One sample file of every format Hostfit reads, with numbers taken from the files. The
/// samples are test-only (no licence to ship them): read from ../shared, skipped without it.
@Suite("Trace formats", .enabled(if: Support.hasSharedData, "skipped: ../shared/data (trace format samples) is not beside this clone"))
struct FormatTests {
    let formats = Support.sharedData + "/formats"

    func read(_ path: String) throws -> TraceRead {
        try TraceLoader.read([path], scheme: .hourOfWeek, keepSeries: true)
    }

    func utc(_ y: Int, _ m: Int, _ d: Int, _ h: Int, _ min: Int, _ s: Int) -> Int64 {
        TimestampParser.daysFromCivil(y, m, d) * 86_400 + Int64(h * 3600 + min * 60 + s)
    }

    /// "09/16/2021 07:51:58.569" in Eastern Daylight Time (bias 240); Process(_Total)\Private Bytes 1318178816.
    @Test func perfmon() throws {
        let read = try read(formats + "/perfmon/workstation-a.csv")
        #expect(read.files.first?.format == .pdh)
        let memory = try #require(read.series("7702-48817743", .memoryMB))
        #expect(memory[0].time == utc(2021, 9, 16, 11, 51, 58))
        #expect(memory[0].value == 1_318_178_816.0 / 1_048_576)
        #expect(memory.count == 208)
    }

    /// Only disk queue lengths: nothing to plan on, said so.
    @Test func perfmonWithoutDemandCounters() throws {
        let error = try #require(throws: InputError.self) { try read(formats + "/perfmon/workstation-disk.csv") }
        #expect(error.file == formats + "/perfmon/workstation-disk.csv" && error.line == 1)
        #expect(error.message.contains("none Hostfit plans on: \\LogicalDisk(*)\\Avg. Disk Read Queue Length (4 instances)"))
        #expect(error.message.contains("needs \\Processor(_Total)\\% Processor Time for CPU"))
    }

    /// CR-only line ends, time-only stamps; Physical Cpu(_Total)\% Util Time 32.64 at 22:42:26.
    @Test func esxtop() throws {
        let read = try read(formats + "/esxtop/esxtop_cpu_7col.csv")
        let host = "proma-2n-dhcp60.eng.vmware.com"
        let cpu = try #require(read.series(host, .cpuPercent))
        #expect(cpu[0].time == 22 * 3600 + 42 * 60 + 26)
        #expect(cpu[0].value == 32.64)
        #expect(read.collector.allocations[host]?.cores == 2)
        #expect(read.issues[0].notes.first?.contains("no date") == true)
        let profile = ProfileBuilder.build(read, options: .init(coreMHz: 2600)).profiles[0]
        #expect(profile.profile(of: .cpu)!.max <= 5200)
    }

    /// 2015-11-25 19:58:24 UTC: all CPUs 93.40% idle, 16 cores; kbmemused 2037564; sda 192.60
    /// tps, 35613.00 + 10341.07 kB/s; eth0 0.05 + 0.02 kB/s (lo not counted).
    @Test func sar() throws {
        let read = try read(formats + "/sar")
        let host = "CentOS-71-64-minimal", t = utc(2015, 11, 25, 19, 58, 24)
        #expect(read.files.allSatisfy { $0.format == .sar })
        #expect(read.series(host, .cpuPercent)?.first.map { $0.time == t && abs($0.value - 6.6) < 1e-9 } == true)
        #expect(read.collector.allocations[host]?.cores == 16)
        #expect(read.series(host, .memoryMB)?.first?.value == 2_037_564.0 / 1024)
        #expect(read.series(host, .diskIOPS)?.first?.value == 192.60)
        #expect(read.series(host, .diskMBps)?.first?.value == (35613.00 + 10341.07) / 1024)
        #expect(abs(read.series(host, .netMbps)!.first!.value - 0.07 * 8 * 1024 / 1e6) < 1e-12)
    }

    /// The first reading: 0,+ZcrOp5/...,2.052803,3.911587,2.86979; the vmtable's first VM has 1 core, 1.75 GB.
    @Test func azure() throws {
        let read = try read(formats + "/azure")
        let vm = "+ZcrOp5/c/fJ6mVgP5qMZlOAGDwyjaaDNM0WoWOt2IDb47gT0UwK9lFwkPQv3C7Q"
        #expect(read.series(vm, .cpuPercent)?.first.map { $0.time == 0 && $0.value == 2.86979 } == true)
        let table = "x/XsOfHO4ocsV99i4NluqKDuxctW2MMVmwqOPAlg4wp8mqbBOe3wxBlQo0+Qx+uf"
        #expect(read.collector.allocations[table] == EntityAllocation(cores: 1, memoryMB: 1.75 * 1024))
        #expect(Set(read.files.map(\.format)) == [.azureReadings, .azureVMTable])
    }

    /// m_1932,386640,41,92,...; machine_meta gives m_1 96 cores.
    @Test func alibaba() throws {
        let read = try read(formats + "/alibaba-2018")
        #expect(read.series("m_1932", .cpuPercent)?.first.map { $0.time == 386_640 && $0.value == 41 } == true)
        #expect(read.series("m_1932", .memoryPercent)?.first?.value == 92)
        #expect(read.collector.allocations["m_1"]?.cores == 96)
        // With a core clock and a memory size from the inventory, percentages become demand.
        let sizes = ["m_1932": EntityAllocation(cores: 96, memoryMB: 262_144)]
        let profile = ProfileBuilder.build(read, options: .init(coreMHz: 2500, inventory: sizes)).profiles.first { $0.entity == "m_1932" }!
        #expect(profile.profile(of: .memory)!.max <= 262_144)
        #expect(profile.profile(of: .cpu)!.max <= 96 * 2500)
    }

    /// 146-179_surfsnel_dsl_internl_net_uw_oneswarm of 2011-03-03 starts 30, 31, 25 (% CPU).
    @Test func planetLab() throws {
        let folder = Support.sharedData + "/traces/planetlab/20110303"
        let read = try read(folder + "/146-179_surfsnel_dsl_internl_net_uw_oneswarm")
        let cpu = try #require(read.series("146-179_surfsnel_dsl_internl_net_uw_oneswarm", .cpuPercent))
        #expect(cpu.prefix(3).map(\.value) == [30, 31, 25])
        #expect(cpu[1].time == utc(2011, 3, 3, 0, 5, 0))
        #expect(cpu.count == 288)
    }
}
