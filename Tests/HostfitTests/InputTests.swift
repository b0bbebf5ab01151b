import Foundation
import Testing
@testable import Hostfit

@Suite("Reading inventories")
struct InputTests {
    @Test func quotedFieldsBOMAndCRLFAreRead() throws {
        let hosts = try HostInventoryFile.read(Support.fixture("quoted-crlf-hosts.csv"))
        #expect(hosts.map(\.id) == ["esx,01", "esx02"])
        #expect(hosts[0].model == "R650 \"new\"")
        #expect(hosts[0].tags == ["gpu", "pool-a"])
        #expect(hosts[0].capacity[.cpu] == 83_200.0)
        #expect(hosts[1].model == "two\r\nlines")
        #expect(hosts[1].state == .maintenance)
    }

    @Test func lineNumbersCountLinesNotRecords() throws {
        // The record after a quoted line break and a blank line starts on line 4.
        let table = try CSVTable(contentsOf: Support.fixture("quoted-crlf-hosts.csv"))
        #expect(table.records.map(\.line) == [2, 4])
    }

    /// Fields as RFC 4180 and spreadsheets write them: blanks around plain fields trimmed
    /// (a no-break space too), kept inside quotes; a quote after blanks opens a quoted field,
    /// one inside a plain field is a character; doubled quotes are one; text after a closing
    /// quote joins the field; an unclosed quote runs to the end.
    @Test func fieldsAreSplitAsSpreadsheetsWriteThem() throws {
        let text = "a,b,c\n x ,\t\"y, z\" ,\u{00A0}w\u{00A0}\nin\"side,\"say \"\"hi\"\"\"tail,\"\"\"q\"\n,,\n\"open,end"
        let table = try CSVTable(data: Data(text.utf8), file: "t.csv")
        #expect(table.records.map(\.fields) == [["x", "y, z ", "w"], ["in\"side", "say \"hi\"tail", "\"q"], ["", "", ""], ["open,end"]])
        #expect(table.records.map(\.line) == [2, 3, 4, 5])
    }

    @Test func crOnlyLineEndsAreRead() throws {
        let hosts = try HostInventoryFile.read(Support.fixture("cr-only-hosts.csv"))
        #expect(hosts.map(\.id) == ["h1", "h2"])
        #expect(hosts[1].capacity[.memory] == 8192)
    }

    @Test func countedResourcesAndOptionalColumns() throws {
        let hosts = try HostInventoryFile.read(Support.fixture("rules-hosts.csv"))
        #expect(hosts[0].capacity[.counted("gpu")] == 2)
        #expect(hosts[1].capacity[.counted("gpu")] == 0, "a counted resource left empty is none")
        #expect(hosts[1].maxVMs == 2)
        #expect(hosts[2].state == .failed)
        let vms = try VMInventoryFile.read(Support.fixture("rules-vms.csv"))
        #expect(vms[0].measured[.counted("gpu")] == 1)
        #expect(vms[0].currentHost == "big")
        #expect(vms[2].currentHost == nil)
    }

    /// Each bad file names the file and line and says what is wrong.
    @Test(arguments: [
        ("host,cpu_cores,cpu_mhz\nh1,4,2000\n", "hosts.csv:1: missing column 'memory_mb' (the header has: host, cpu_cores, cpu_mhz)"),
        ("host,cpu_cores,cpu_mhz,memory_mb\nh1,4,fast,8192\n", "hosts.csv:2: cpu_mhz 'fast' is not a number"),
        ("host,cpu_cores,cpu_mhz,memory_mb\nh1,4,2000,8192\nh2,4,2000,8192\nh1,8,2000,8192\n", "hosts.csv:4: duplicate host 'h1' (first on line 2)"),
        ("", "hosts.csv: is empty: expected a header line naming the columns"),
        ("\n\n", "hosts.csv: is empty: expected a header line naming the columns"),
        ("host,cpu_cores,cpu_mhz,memory_mb\n", "hosts.csv:1: no hosts: the file has a header and nothing else"),
        ("host,cpu_cores,cpu_mhz,memory_mb\nh1,4,2000,NaN\n", "hosts.csv:2: memory_mb 'NaN' is not a finite number"),
        ("host,cpu_cores,cpu_mhz,memory_mb\nh1,4,2000,1e400\n", "hosts.csv:2: memory_mb '1e400' is not a finite number"),
        ("host,cpu_cores,cpu_mhz,memory_mb\nh1,4,-2000,8192\n", "hosts.csv:2: cpu_mhz is -2000, must be above 0"),
        ("host,cpu_cores,cpu_mhz,memory_mb\nh1,4.5,2000,8192\n", "hosts.csv:2: cpu_cores '4.5' is not a whole number"),
        ("host,cpu_cores,cpu_mhz,memory_mb\n,4,2000,8192\n", "hosts.csv:2: host is empty"),
        ("host,cpu_cores,cpu_mhz,memory_mb,state\nh1,4,2000,8192,broken\n", "hosts.csv:2: state 'broken' is not one of active, maintenance, failed"),
        ("host,cpu_cores,cpu_mhz,memory_mb\nh1,4,2000,8192,extra\n", "hosts.csv:2: 5 fields, but the header names 4 columns"),
        ("host,cpu_cores,cpu_mhz,memory_mb,power_idle_w,power_max_w\nh1,4,2000,8192,300,200\n", "hosts.csv:2: power_idle_w (300) exceeds power_max_w (200)"),
        ("host,cpu_cores,Host,memory_mb\nh1,4,2000,8192\n", "hosts.csv:1: column 'host' appears twice (columns 1 and 3)"),
    ])
    func badHostFilesSayWhereAndWhat(contents: String, message: String) {
        let path = Support.file("hosts.csv", contents)
        do {
            _ = try HostInventoryFile.read(path)
            Issue.record("accepted a bad file: \(message)")
        } catch {
            #expect(error.description == message.replacingOccurrences(of: "hosts.csv", with: path))
        }
    }

    @Test(arguments: [
        ("vm,vcpus\nv1,2\n", "vms.csv:1: missing column 'memory_mb' (the header has: vm, vcpus)"),
        ("vm,vcpus,memory_mb\nv1,2,4096\nv1,2,4096\n", "vms.csv:3: duplicate VM 'v1' (first on line 2)"),
        ("vm,vcpus,memory_mb,cpu_mhz\nv1,2,4096,-5\n", "vms.csv:2: cpu_mhz is -5, must be at least 0"),
        ("vm,vcpus,memory_mb\nv1,0,4096\n", "vms.csv:2: vcpus is 0, must be at least 1"),
        ("vm,vcpus,memory_mb,res_gpu\nv1,1,4096,two\n", "vms.csv:2: res_gpu 'two' is not a number"),
    ])
    func badVMFilesSayWhereAndWhat(contents: String, message: String) {
        let path = Support.file("vms.csv", contents)
        #expect(throws: InputError.self) { try VMInventoryFile.read(path) }
        do { _ = try VMInventoryFile.read(path) } catch {
            #expect(error.description == message.replacingOccurrences(of: "vms.csv", with: path))
        }
    }

    @Test func nonUTF8AndBinaryFilesAreRefused() {
        // "Höst" in Windows-1252 on line 2.
        let latin1 = Support.file("hosts.csv", bytes: Array("host,cpu_cores,cpu_mhz,memory_mb\n".utf8) + [0x48, 0xF6, 0x73, 0x74] + Array(",4,2000,8192\n".utf8))
        #expect(throws: InputError(file: latin1, line: 2, "is not UTF-8 text (save it as UTF-8 CSV)")) { try HostInventoryFile.read(latin1) }
        let binary = Support.file("hosts.csv", bytes: [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00])
        #expect(throws: InputError.self) { try HostInventoryFile.read(binary) }
        #expect(throws: InputError(file: "/nonexistent/hosts.csv", "no such file")) { try HostInventoryFile.read("/nonexistent/hosts.csv") }
    }

    @Test func headroomParsesOverTheDefaults() throws {
        let headroom = try Headroom(parsing: "memory=100, gpu=50")
        #expect(headroom.fraction(for: .memory) == 1)
        #expect(headroom.fraction(for: .cpu) == 0.8)
        #expect(headroom.fraction(for: .counted("gpu")) == 0.5)
        #expect(headroom.fraction(for: .counted("seats")) == 1)
        #expect(throws: HeadroomError.self) { try Headroom(parsing: "cpu=0") }
        #expect(throws: HeadroomError.self) { try Headroom(parsing: "cpu=120") }
        #expect(throws: HeadroomError.self) { try Headroom(parsing: "cpu") }
    }
}

@Suite("Power")
struct PowerTests {
    /// SPECpower_ssj2008 of an IBM x3550 (2 x Xeon X5675), as CloudSim cites it: 58.4 W idle,
    /// 98 at 10%, ..., 128 at 30%, 140 at 40%, ..., 222 at 100%.
    static let curve = "0:58.4;10:98;20:109;30:118;40:128;50:140;60:153;70:170;80:189;90:205;100:222"

    @Test func measuredCurveIsInterpolatedAndWinsOverTheLinearModel() throws {
        let path = Support.file("hosts.csv", "host,cpu_cores,cpu_mhz,memory_mb,power_idle_w,power_max_w,power_curve\nx3550,12,3067,16384,50,250,\"\(Self.curve)\"\n")
        let host = try HostInventoryFile.read(path)[0]
        #expect(host.estimatedWatts(cpuUtilization: 0) == 58.4)
        #expect(host.estimatedWatts(cpuUtilization: 0.45) == 134)   // halfway from 128 (40%) to 140 (50%)
        #expect(host.estimatedWatts(cpuUtilization: 1.2) == 222)
        let linear = VMHost(id: "l", cpuCores: 1, cpuMHzPerCore: 1, memoryMB: 1, powerIdleWatts: 100, powerMaxWatts: 300)
        #expect(linear.estimatedWatts(cpuUtilization: 0.25) == 150)
    }

    @Test func badCurvesSayWhy() {
        for bad in ["0:58;x:98", "50:100;10:90", "0:58;120:300"] {
            let path = Support.file("hosts.csv", "host,cpu_cores,cpu_mhz,memory_mb,power_curve\nh,1,1000,1024,\(bad)\n")
            #expect(throws: InputError.self, "\(bad)") { try HostInventoryFile.read(path) }
        }
    }
}
