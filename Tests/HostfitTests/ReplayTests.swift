import Foundation
import Testing
@testable import Hostfit

/// The streaming replay against sums made another way: the in-memory history, files split
/// by period, and on the real Bitbrains month, a sum read with gzip and nothing of Hostfit's.
@Suite("Replay")
struct ReplayTests {
    static let sample = Support.sampleData

    /// Streaming and the in-memory history are two implementations of one rule: the same
    /// plan on the same traces gives the same loads, interval by interval.
    @Test func streamAgreesWithTheHistory() throws {
        let hosts = try HostInventoryFile.read(Self.sample + "/hosts.csv")
        let vms = try VMInventoryFile.read(Self.sample + "/vms.csv")
        let read = try TraceLoader.read([Self.sample + "/traces"], scheme: .hourOfWeek, keepSeries: true)
        let history = DemandHistory(read, step: 300)
        // A tight plan, so that some intervals go over headroom.
        let traced = Set(history.series.keys).sorted()
        let placement = Placement(traced.enumerated().map { Placement.Entry(vm: $1, host: hosts[$0 % 3].id) })
        let headroom = try Headroom(parsing: "cpu=50,memory=50")
        let memory = Replay.run(placement, hosts: hosts, history: history, headroom: headroom)
        let streamed = try Replay.stream(placement, hosts: hosts, traces: [Self.sample + "/traces"], headroom: headroom, inventory: vms).result
        #expect(streamed.start == memory.start && streamed.slots == memory.slots)
        #expect(streamed.hostIntervals == memory.hostIntervals)
        #expect(streamed.overHeadroom == memory.overHeadroom && streamed.overCapacity == memory.overCapacity)
        #expect(memory.overHeadroom > 0)
        for (a, b) in zip(streamed.hosts, memory.hosts) {
            for resource in [Resource.cpu, .memory] {
                let x = try #require(a.resources.first { $0.resource == resource }).load
                let y = try #require(b.resources.first { $0.resource == resource }).load
                #expect(zip(x, y).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($1)) }, "\(a.host) \(resource)")
            }
        }
    }

    static func long(_ rows: [(Int, String, Double)]) -> String {
        "timestamp,entity,metric,value\n" + rows.map { "\($0.0),\($0.1),cpu_mhz,\($0.2)" }.joined(separator: "\n") + "\n"
    }

    /// A month split into two files joins without a seam; the gap between them holds the
    /// last value; overlapping files are refused by name, not summed twice.
    @Test func filesSplitByPeriodJoinAndOverlapsAreRefused() throws {
        let hosts = [VMHost(id: "h", cpuCores: 1, cpuMHzPerCore: 1000, memoryMB: 1024)]
        let placement = Placement([Placement.Entry(vm: "a", host: "h"), Placement.Entry(vm: "b", host: "h")])
        let whole = Support.file("whole.csv", Self.long([(0, "a", 100), (300, "a", 200), (900, "a", 400), (0, "b", 50), (600, "b", 70), (610, "b", 90)]))
        let first = Support.file("first.csv", Self.long([(0, "a", 100), (300, "a", 200), (0, "b", 50)]))
        let second = Support.file("second.csv", Self.long([(900, "a", 400), (600, "b", 70), (610, "b", 90)]))
        let one = try Replay.stream(placement, hosts: hosts, traces: [whole]).result
        let two = try Replay.stream(placement, hosts: hosts, traces: [first, second]).result
        // a: 100, 200, 200 (held), 400; b: 50, 50 (held), 90 (its larger sample), 90.
        #expect(one.hosts[0].resources[0].load == [150, 250, 290, 490])
        #expect(two.hosts[0].resources[0].load == one.hosts[0].resources[0].load)
        let overlap = Support.file("overlap.csv", Self.long([(300, "a", 999), (600, "a", 999)]))
        #expect(throws: InputError.self) { try Replay.stream(placement, hosts: hosts, traces: [whole, overlap]) }
        // The period keeps [from, until): a's 400 at 900 is outside, and b's first sample in
        // it (90, at 600) stands for it before then too.
        let part = try Replay.stream(placement, hosts: hosts, traces: [whole], period: TracePeriod(from: 300, until: 900)).result
        #expect(part.start == 300 && part.hosts[0].resources[0].load == [290, 290])
    }

    /// Percentages need a size: with the inventory, 50% of 2 vCPUs on a 1,000 MHz host is
    /// 1,000 MHz; without one, the samples are left out and the run says so.
    @Test func percentagesTakeTheirScaleFromTheInventory() throws {
        let hosts = [VMHost(id: "h", cpuCores: 4, cpuMHzPerCore: 1000, memoryMB: 4096)]
        let placement = Placement([Placement.Entry(vm: "a", host: "h")])
        let trace = Support.file("pct.csv", "timestamp,entity,metric,value\n0,a,cpu_pct,50\n300,a,cpu_pct,25\n")
        let sized = try Replay.stream(placement, hosts: hosts, traces: [trace], inventory: [VM(id: "a", vcpus: 2, memoryMB: 1024)]).result
        #expect(sized.hosts[0].resources.first { $0.resource == .cpu }?.load == [1000, 500])
        let unsized = try Replay.stream(placement, hosts: hosts, traces: [trace]).result
        #expect(unsized.notes.contains { $0.contains("percent") })
    }

    /// Plan on July 1-14 of the Bitbrains Rnd month, replay on July 15-31: the streamed
    /// loads equal a sum read with gzip and Foundation only, host by host, interval by interval.
    @Test(.enabled(if: Support.hasSharedData, "skipped: ../shared/data (Bitbrains traces) is not beside this clone"))
    func bitbrainsReplayEqualsAnIndependentSum() throws {
        let folder = Support.sharedData + "/traces/bitbrains-rnd/2013-7"
        let files = (1...24).map { "\(folder)/\($0).csv.gz" }
        let split = TracePeriod.time("2013-07-15")!
        let hosts = (1...3).map { VMHost(id: "h\($0)", cpuCores: 16, cpuMHzPerCore: 2600, memoryMB: 131_072) }
        let placement = Placement((1...24).map { Placement.Entry(vm: String($0), host: "h\($0 % 3 + 1)") })
        let result = try Replay.stream(placement, hosts: hosts, traces: files, headroom: try Headroom(parsing: "cpu=80,memory=90"),
                                       period: TracePeriod(from: split)).result

        // The same rule, written again: per VM, the largest CPU MHz in each 300 s interval,
        // an empty interval holding the previous value, the first value before the first.
        var perVM: [String: [Int64: Double]] = [:]
        for k in 1...24 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "gzip -dc '\(folder)/\(k).csv.gz'"]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            var slots: [Int64: Double] = [:]
            for line in text.split(separator: "\n").dropFirst() {
                let f = line.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
                guard f.count >= 4, let t = Int64(f[0]), let capacity = Double(f[2]), capacity > 0, let cpu = Double(f[3]), t >= split else { continue }
                slots[t / 300] = max(slots[t / 300] ?? 0, cpu)
            }
            perVM[String(k)] = slots
        }
        let lo = perVM.values.compactMap { $0.keys.min() }.min()!, hi = perVM.values.compactMap { $0.keys.max() }.max()!
        #expect(result.start == lo * 300 && result.slots == Int(hi - lo + 1))
        for host in hosts {
            var sum = [Double](repeating: 0, count: Int(hi - lo + 1))
            for entry in placement.entries where entry.host == host.id {
                guard let slots = perVM[entry.vm], let first = slots.keys.min() else { continue }
                var value = slots[first]!
                for s in lo...hi {
                    if let v = slots[s] { value = v }
                    sum[Int(s - lo)] += value
                }
            }
            let streamed = try #require(result.hosts.first { $0.host == host.id }?.resources.first { $0.resource == .cpu })
            let worst = zip(streamed.load, sum).map { abs($0 - $1) }.max() ?? 0
            #expect(worst < 1e-6, "\(host.id): largest difference \(worst) MHz")
            let over = sum.count { $0 > host.capacity[.cpu]! * 0.8 * (1 + 1e-9) }
            #expect(streamed.intervalsOverHeadroom == over)
        }
    }
}
