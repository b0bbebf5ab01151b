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
        #expect(node2.cpuCores == 12 && node2.cpuMHzPerCore == PlatformInventory.nominalMHz)
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
        #expect(vms.notes[0].contains("2 stopped left out (machine-test, VM 200") && vms.notes[0].contains("1 template left out (leap154)"))
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

/// An export given to the wrong flag says what it is and where it goes.
@Suite("Exports given where they do not belong")
struct MisplacedExportTests {
    @Test(arguments: [
        (["plan", "--hosts", "openstack/servers-detail.json", "--vms", "SAMPLE/vms.csv"], "this looks like OpenStack servers, not what --hosts takes: give it as --vms"),
        (["plan", "--hosts", "SAMPLE/hosts.csv", "--vms", "openstack/hypervisors-detail.json"], "this looks like OpenStack hypervisors, not what --vms takes: give it as --hosts"),
        (["profile", "--traces", "proxmox/cluster-resources.json"], "this looks like a Proxmox VE /cluster/resources export, not a trace: give it as --hosts and --vms"),
    ])
    func itSaysWhereItGoes(arguments: [String], message: String) throws {
        let resolved = arguments.map { a in
            a.hasPrefix("SAMPLE/") ? Support.sampleData + "/" + a.dropFirst(7) : a.hasSuffix(".json") ? Support.fixture(a) : a
        }
        let run = try CLITests().hostfitArguments(resolved + ["--out", Support.temporaryDirectory() + "/out"])
        #expect(run.code == 2 && run.stderr.contains(".json:1: " + message), "\(run.stderr)")
    }
}

/// OpenStack Nova: the API's answers (Fixtures/openstack, Apache-2.0) and the CLI's `-f json`
/// lists as python-openstackclient documents their columns.
@Suite("OpenStack inventories")
struct OpenStackInventoryTests {
    static func fixture(_ name: String) -> String { Support.fixture("openstack/\(name)") }

    @Test func novaAnswersGiveHypervisorsAndServers() throws {
        let hosts = try HostInventoryFile.load(Self.fixture("hypervisors-detail.json"))
        #expect(hosts.format == "OpenStack hypervisors" && hosts.items.map(\.id) == ["host2"])
        #expect(hosts.items[0].cpuCores == 2 && hosts.items[0].capacity[.memory] == 8192 && hosts.items[0].acceptsVMs)
        #expect(hosts.lines["host2"] == 3)
        let inline = try VMInventoryFile.load(Self.fixture("servers-detail.json"))
        #expect(inline.items.map(\.id) == ["new-server-test"] && inline.items[0].vcpus == 1 && inline.items[0].memoryMB == 512)
        #expect(inline.items[0].currentHost == nil && inline.notes.contains { $0.contains("planned as new") })
        // Servers that name their flavor only: refused alone (at the first ACTIVE one), read with the flavors beside them.
        let links = Self.fixture("servers-flavor-links.json")
        #expect(throws: InputError.self) { try VMInventoryFile.load(links) }
        do { _ = try VMInventoryFile.load(links) } catch {
            #expect(error.line == 126 && error.message.contains("flavor '2' is not in the file"), "\(error)")
        }
        let servers = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: links))) as! [String: Any]
        let flavors = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.fixture("flavors-detail.json")))) as! [String: Any]
        let both = Support.file("servers-and-flavors.json", String(decoding: try JSONSerialization.data(withJSONObject: ["servers": servers["servers"]!, "flavors": flavors["flavors"]!]), as: UTF8.self))
        let read = try VMInventoryFile.load(both)
        #expect(read.items.map(\.id) == ["lc-test"] && read.items[0].memoryMB == 2048 && read.notes[0].contains("1 not ACTIVE left out (lc-test-2"))
    }

    @Test func theCLIsListsPlanOnTheCLI() throws {
        let hypervisors = Support.file("hypervisors.json", """
            [
              {"ID": 1, "Hypervisor Hostname": "cmp1.cloud.example", "Hypervisor Type": "QEMU", "Host IP": "10.0.0.11", "State": "up", "vCPUs Used": 4, "vCPUs": 32, "Memory MB Used": 8192, "Memory MB": 131072},
              {"ID": 2, "Hypervisor Hostname": "cmp2.cloud.example", "Hypervisor Type": "QEMU", "Host IP": "10.0.0.12", "State": "up", "vCPUs Used": 2, "vCPUs": 32, "Memory MB Used": 4096, "Memory MB": 131072},
              {"ID": 3, "Hypervisor Hostname": "cmp3.cloud.example", "Hypervisor Type": "QEMU", "Host IP": "10.0.0.13", "State": "down", "vCPUs Used": 0, "vCPUs": 32, "Memory MB Used": 0, "Memory MB": 131072}
            ]
            """)
        let servers = Support.file("servers.json", """
            {"servers": [
              {"ID": "6d3c1b1e-0001", "Name": "web1", "Status": "ACTIVE", "Power State": "Running", "Flavor Name": "m1.large", "Flavor ID": "4", "Host": "cmp1"},
              {"ID": "6d3c1b1e-0002", "Name": "web2", "Status": "ACTIVE", "Power State": "Running", "Flavor Name": "m1.large", "Flavor ID": "4", "Host": "cmp2"},
              {"ID": "6d3c1b1e-0003", "Name": "db1", "Status": "SHUTOFF", "Power State": "Shutdown", "Flavor Name": "m1.xlarge", "Flavor ID": "5", "Host": "cmp1"}
            ],
             "flavors": [
              {"ID": "4", "Name": "m1.large", "RAM": 8192, "Disk": 80, "Ephemeral": 0, "VCPUs": 4, "Is Public": true},
              {"ID": "5", "Name": "m1.xlarge", "RAM": 16384, "Disk": 160, "Ephemeral": 0, "VCPUs": 8, "Is Public": true}
            ]}
            """)
        let out = Support.temporaryDirectory() + "/plan"
        let run = try CLITests().hostfit("plan", "--hosts", hypervisors, "--vms", servers, "--out", out)
        #expect(run.code == 0, "\(run.stderr)")
        #expect(run.stderr.contains("OpenStack hypervisors: 3; 1 down or disabled (cmp3.cloud.example)"), "\(run.stderr)")
        #expect(run.stderr.contains("OpenStack servers: 2 (2 with their host); 1 not ACTIVE left out (db1"))
        // The service host (cmp1) is the hypervisor a domain away: matched, so the VMs migrate, not arrive.
        #expect(run.stdout.contains("Placed 2 of 2 VMs on 1 of 2 hosts"), "\(run.stdout)")
        #expect(run.stdout.contains("Migrations from the current placement: 1"), "\(run.stdout)")
    }
}

/// Hyper-V: `Get-VMHost | Export-Csv` and `Get-VM | Export-Csv` as Windows PowerShell 5.1
/// writes them (a #TYPE line, every field quoted; the columns as Get-VM's objects have
/// them). No real export was found in public repositories: written as the cmdlets document.
@Suite("Hyper-V inventories")
struct HyperVInventoryTests {
    static let vmHost = """
        #TYPE Microsoft.HyperV.PowerShell.VMHost
        "ComputerName","LogicalProcessorCount","MemoryCapacity","Name","FullyQualifiedDomainName","MaximumStorageMigrations","MaximumVirtualMachineMigrations","NumaSpanningEnabled","VirtualHardDiskPath","VirtualMachinePath"
        "HV01","32","274877906944","HV01","HV01.corp.example","2","2","True","C:\\ProgramData\\Microsoft\\Windows\\Virtual Hard Disks","C:\\ProgramData\\Microsoft\\Windows\\Hyper-V"
        "HV02","32","274877906944","HV02","HV02.corp.example","2","2","True","C:\\ProgramData\\Microsoft\\Windows\\Virtual Hard Disks","C:\\ProgramData\\Microsoft\\Windows\\Hyper-V"

        """
    static let vms = """
        #TYPE Microsoft.HyperV.PowerShell.VirtualMachine
        "VMName","VMId","Id","Name","State","CPUUsage","MemoryAssigned","MemoryDemand","MemoryStatus","Uptime","Status","ReplicationState","Generation","ComputerName","IsClustered","MemoryStartup","DynamicMemoryEnabled","MemoryMinimum","MemoryMaximum","ProcessorCount"
        "SQL01","5e1b6a2c-0001-4f3e-9d9b-1a2b3c4d5e6f","5e1b6a2c-0001-4f3e-9d9b-1a2b3c4d5e6f","SQL01","Running","12","34359738368","30064771072","","12.04:11:09","Operating normally","Disabled","2","HV01","False","34359738368","False","536870912","1099511627776","8"
        "WEB01","5e1b6a2c-0002-4f3e-9d9b-1a2b3c4d5e6f","5e1b6a2c-0002-4f3e-9d9b-1a2b3c4d5e6f","WEB01","Running","3","6442450944","4294967296","OK","3.01:02:03","Operating normally","Disabled","2","HV01","False","2147483648","True","536870912","17179869184","2"
        "OLD01","5e1b6a2c-0003-4f3e-9d9b-1a2b3c4d5e6f","5e1b6a2c-0003-4f3e-9d9b-1a2b3c4d5e6f","OLD01","Off","0","0","0","","00:00:00","Operating normally","Disabled","1","HV02","False","4294967296","False","536870912","1099511627776","4"

        """

    @Test func getVMHostAndGetVMPlanOnTheCLI() throws {
        let hosts = Support.file("vmhost.csv", Self.vmHost), vms = Support.file("vm.csv", Self.vms)
        let read = try VMInventoryFile.load(vms)
        #expect(read.items.map(\.id) == ["SQL01", "WEB01"] && read.lines["WEB01"] == 4)
        let web = read.items[1]
        // Dynamic Memory gave WEB01 6 GB over its 2 GB startup: planned on what it holds.
        #expect(web.vcpus == 2 && web.memoryMB == 6144 && web.measured[.memory] == 4096 && web.currentHost == "HV01")
        #expect(read.notes[0].contains("1 not running left out (OLD01") && read.notes.contains { $0.contains("CPUUsage is one moment's") })
        let out = Support.temporaryDirectory() + "/plan"
        let run = try CLITests().hostfit("plan", "--hosts", hosts, "--vms", vms, "--out", out)
        #expect(run.code == 0, "\(run.stderr)")
        #expect(run.stderr.contains("Hyper-V Get-VMHost export: 2 hosts") && run.stdout.contains("Placed 2 of 2 VMs on 1 of 2 hosts"), "\(run.stdout)\(run.stderr)")
        // Given to the wrong flag, it says which it is.
        let wrong = try CLITests().hostfit("plan", "--hosts", vms, "--vms", hosts, "--out", out)
        #expect(wrong.code == 2 && wrong.stderr.contains("this looks like a Hyper-V Get-VM export, not a host inventory: give it as --vms"), "\(wrong.stderr)")
        let bad = Support.file("vm-bad.csv", Self.vms.replacingOccurrences(of: #""Running","3""#, with: #""Running","x""#).replacingOccurrences(of: #""2","HV01","False","2147483648","True","536870912","17179869184","2""#, with: #""2","HV01","False","2147483648","True","536870912","17179869184","two""#))
        let refused = try CLITests().hostfit("plan", "--hosts", hosts, "--vms", bad, "--out", out)
        #expect(refused.code == 2 && refused.stderr.contains("vm-bad.csv:4: "), "\(refused.stderr)")
    }
}
