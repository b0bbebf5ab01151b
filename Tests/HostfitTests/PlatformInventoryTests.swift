import Foundation
import Testing
@testable import Hostfit

/// Inventories exported by other platforms, read as --hosts and --vms from their content:
/// a real Proxmox VE /cluster/resources answer (Fixtures/proxmox, Apache-2.0), and the
/// refusals of files that are not right, with file:line.
@Suite("Platform inventories")
struct PlatformInventoryTests {
    static let proxmox = Support.fixture("proxmox/cluster-resources.json")

    @Test func proxmoxNodesAreHostsAndItsGuestsVMs() throws {
        let hosts = try HostInventoryFile.load(Self.proxmox)
        #expect(hosts.format == "Proxmox VE resources")
        #expect(hosts.items.map(\.id) == ["node3", "node2", "node1", "node4"])
        let node2 = try #require(hosts.items.first { $0.id == "node2" })
        #expect(node2.cpuCores == 12 && node2.cpuMHzPerCore == ProxmoxResourcesFile.nominalMHz)
        #expect(abs((node2.capacity[.memory] ?? 0) - 33_567_911_936 / 1_048_576) < 1e-6)
        #expect(hosts.notes.contains { $0.contains("no clock speed") })
        // The line each node starts on in the file, for messages.
        let text = try String(contentsOfFile: Self.proxmox, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let line = try #require(hosts.lines["node1"])
        #expect(text[(line - 1)...].prefix(20).contains { $0.contains("\"node1\"") } && text[line - 1].contains("{"))

        let vms = try VMInventoryFile.load(Self.proxmox)
        #expect(vms.items.map(\.id) == ["server1"])
        let server1 = vms.items[0]
        #expect(server1.vcpus == 1 && server1.memoryMB == 1024 && server1.currentHost == "node2")
        #expect(abs((server1.cpuPercent ?? 0) - 2.49060195469461) < 1e-9 && abs((server1.measured[.memory] ?? 0) - 842_551_296.0 / 1_048_576) < 1e-9)
        #expect(vms.notes[0].contains("2 stopped left out (machine-test, VM 200") && vms.notes[0].contains("1 templates left out (leap154)"))
        let all = try VMInventoryFile.load(Self.proxmox, includePoweredOff: true)
        #expect(all.items.map(\.id) == ["server1", "machine-test", "VM 200"] && all.items.dropFirst().allSatisfy { $0.currentHost == nil })
    }

    @Test func aProxmoxEstatePlansOnTheCLI() throws {
        let out = Support.temporaryDirectory() + "/plan"
        let run = try CLITests().hostfit("plan", "--hosts", Self.proxmox, "--vms", Self.proxmox, "--include-powered-off", "--out", out)
        #expect(run.code == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Placed 3 of 3 VMs"), "\(run.stdout)")
        #expect(run.stderr.contains("Proxmox VE /cluster/resources: 4 nodes"))
        let check = try CLITests().hostfit("check", "--plan", out + "/placements.csv")
        #expect(check.code == 0, "\(check.stderr)")
    }

    @Test(arguments: [
        (#"{"data": [{"type": "node", "node": "pve1", "maxcpu": 8},"# + "\n" + #"{"type": "qemu", "name": "a", "maxcpu": 2, "maxmem": 1}]}"#, "hosts", 1, "node 'pve1': maxmem is missing"),
        (#"{"data": ["# + "\n" + #"  {"type": "node", "node": "pve1", "maxcpu": 8, "maxmem": 8589934592},"# + "\n" + #"  {"type": "qemu", "name": "a", "status": "running", "maxmem": 1}"# + "\n]}", "vms", 3, "guest 'a': maxcpu is missing"),
        ("[\n{\"type\": \"node\", \"node\": \"pve1\",, }\n]", "hosts", 2, "not valid JSON"),
        (#"{"servers": []}"#, "vms", 1, "a JSON file that is no inventory hostfit reads"),
        (#"{"data": [{"type": "node", "node": "pve1", "maxcpu": 8, "maxmem": 8589934592}]}"#, "vms", 1, "no guests to plan"),
    ])
    func badExportsAreRefusedWithFileAndLine(text: String, flag: String, line: Int, message: String) throws {
        let path = Support.file("bad-\(UUID().uuidString).json", text)
        let run = try CLITests().hostfit("plan", flag == "hosts" ? "--hosts" : "--vms", path, flag == "hosts" ? "--vms" : "--hosts",
                                         flag == "hosts" ? Support.sampleData + "/vms.csv" : Support.sampleData + "/hosts.csv", "--out", Support.temporaryDirectory())
        #expect(run.code == 2, "\(run.stdout)\(run.stderr)")
        #expect(run.stderr.contains("\(path):\(line): ") && run.stderr.contains(message), "\(run.stderr)")
    }
}
