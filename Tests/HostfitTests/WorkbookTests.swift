import Foundation
import Testing
import ZIPFoundation
@testable import Hostfit
import HostfitWorkbook

/// An RVTools .xlsx workbook, written here as Excel writes one (shared strings, numbers,
/// a sheet per tab), read through ZIPFoundation and XMLCoder.
@Suite("RVTools workbooks")
struct WorkbookTests {
    /// How a workbook is written: as Excel writes it (default namespace, shared strings), or
    /// as the OpenXML SDK writes RVTools' (every element `x:`-prefixed, strings inline).
    enum Writer { case excel, openXMLSDK }

    static func cell(_ ref: String, _ value: Any, writer: Writer, strings: inout [String]) -> String {
        let x = writer == .openXMLSDK ? "x:" : ""
        if let number = value as? Double { return "<\(x)c r=\"\(ref)\"><\(x)v>\(number)</\(x)v></\(x)c>" }
        if let number = value as? Int { return "<\(x)c r=\"\(ref)\"><\(x)v>\(number)</\(x)v></\(x)c>" }
        let text = "\(value)"
        if writer == .openXMLSDK {
            return "<x:c r=\"\(ref)\" t=\"inlineStr\"><x:is><x:t>\(text)</x:t></x:is></x:c>"
        }
        let k = strings.firstIndex(of: text) ?? { strings.append(text); return strings.count - 1 }()
        return "<c r=\"\(ref)\" t=\"s\"><v>\(k)</v></c>"
    }

    static func sheet(_ rows: [[Any]], writer: Writer, strings: inout [String]) -> String {
        let x = writer == .openXMLSDK ? "x:" : ""
        let namespace = writer == .openXMLSDK ? "xmlns:x" : "xmlns"
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<\(x)worksheet \(namespace)=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><\(x)sheetData>"
        for (i, row) in rows.enumerated() {
            xml += "<\(x)row r=\"\(i + 1)\">"
            for (j, value) in row.enumerated() {
                // The header row in shared strings either way: the SDK writes both kinds.
                let cellWriter = i == 0 ? Writer.excel : writer
                var text = cell(String(UnicodeScalar(UInt8(65 + j))) + "\(i + 1)", value, writer: cellWriter, strings: &strings)
                if writer == .openXMLSDK && i == 0 { text = text.replacingOccurrences(of: "<c ", with: "<x:c ").replacingOccurrences(of: "<v>", with: "<x:v>").replacingOccurrences(of: "</v></c>", with: "</x:v></x:c>") }
                xml += text
            }
            xml += "</\(x)row>"
        }
        return xml + "</\(x)sheetData></\(x)worksheet>"
    }

    /// A workbook with vInfo, vCPU, vMemory and vHost sheets; vInfo's PowerOn is a date
    /// serial, as Excel keeps dates.
    static func workbook(_ writer: Writer = .excel) throws -> String {
        let tabs: [(String, [[Any]])] = [
            ("vInfo", [["VM", "Powerstate", "Template", "CPUs", "Memory", "Host", "Cluster", "PowerOn"],
                       ["web-1", "poweredOn", "False", 4, 8192, "esx-a.corp.local", "Prod", 45123.5],
                       ["web-2", "poweredOn", "False", 4, 8192, "esx-b", "Prod", 45123.25],
                       ["old", "poweredOff", "False", 2, 4096, "esx-b", "Prod", ""],
                       ["tmpl", "poweredOff", "True", 2, 4096, "esx-b", "Prod", ""]]),
            ("vCPU", [["VM", "Overall", "Max"], ["web-1", 1800, 10400], ["web-2", 950.5, 10400]]),
            ("vMemory", [["VM", "Consumed", "Active"], ["web-1", 6144, 2048], ["web-2", 7000, 1500]]),
            ("vHost", [["Host", "Cluster", "Speed", "# Cores", "# Memory", "Vendor", "Model"],
                       ["esx-a", "Prod", 2600, 16, 131072, "Dell", "R650"], ["esx-b", "Prod", 2600, 16, 131072, "Dell", "R650"]]),
        ]
        let x = writer == .openXMLSDK ? "x:" : ""
        let namespace = writer == .openXMLSDK ? "xmlns:x" : "xmlns"
        var strings: [String] = []
        var parts: [(String, String)] = []
        var sheets = "", rels = ""
        for (k, (name, rows)) in tabs.enumerated() {
            parts.append(("xl/worksheets/sheet\(k + 1).xml", sheet(rows, writer: writer, strings: &strings)))
            sheets += "<\(x)sheet name=\"\(name)\" sheetId=\"\(k + 1)\" r:id=\"rId\(k + 1)\"/>"
            rels += "<Relationship Id=\"rId\(k + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"\(writer == .openXMLSDK ? "/xl/" : "")worksheets/sheet\(k + 1).xml\"/>"
        }
        parts.append(("xl/workbook.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><\(x)workbook \(namespace)=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><\(x)sheets>\(sheets)</\(x)sheets></\(x)workbook>"))
        parts.append(("xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\(rels)</Relationships>"))
        let items = strings.map { "<\(x)si><\(x)t xml:space=\"preserve\">\($0)</\(x)t></\(x)si>" }.joined()
        parts.append(("xl/sharedStrings.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><\(x)sst \(namespace)=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"\(strings.count)\" uniqueCount=\"\(strings.count)\">\(items)</\(x)sst>"))
        let path = Support.temporaryDirectory() + "/RVTools.xlsx"
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        for (name, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return path
    }

    @Test func workbookSheetsBecomeInventoriesWithMeasuredUse() throws {
        let path = try Self.workbook()
        let hosts = try RVToolsWorkbook.hosts(path)
        #expect(hosts.items.map(\.id) == ["esx-a", "esx-b"])
        #expect(hosts.items[0].model == "Dell R650" && hosts.items[0].cpuMHzPerCore == 2600 && hosts.items[0].capacity[.memory] == 131072)
        let vms = try RVToolsWorkbook.vms(path)
        #expect(vms.items.map(\.id) == ["web-1", "web-2"])
        #expect(vms.items[0].measured[.cpu] == 1800 && vms.items[1].measured[.cpu] == 950.5)
        #expect(vms.items[0].measured[.memory] == 6144, "vMemory Consumed, not Active")
        #expect(vms.lines["web-2"] == 3, "lines are the sheet's rows")
        #expect(vms.notes.contains { $0.contains("measured use for 2 of 2 VMs") })
        let checked = InventoryCheck.reconcile(vms, vmFile: path, hosts: hosts.items, hostFile: path)
        #expect(checked.vms[0].currentHost == "esx-a", "a domain away is matched")
    }

    @Test func aWorkbookPlansThroughTheCommandLine() throws {
        let path = try Self.workbook()
        let out = Support.temporaryDirectory() + "/plan"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLITests.binary)
        process.arguments = ["plan", "--hosts", path, "--vms", path, "--solver", "heuristic", "--out", out]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let placements = try CSVTable(contentsOf: out + "/placements.csv")
        #expect(placements.records.count == 2)
    }

    /// RVTools' own workbooks come from the OpenXML SDK: `<x:workbook>`, `<x:row>`, inline
    /// strings. They read, and plan, exactly like the same workbook as Excel writes it.
    @Test func anOpenXMLSDKWorkbookReadsLikeExcelsOwn() throws {
        let excel = try Self.workbook(.excel), sdk = try Self.workbook(.openXMLSDK)
        var written = Data()
        let archive = try Archive(url: URL(fileURLWithPath: sdk), accessMode: .read)
        _ = try archive.extract(try #require(archive["xl/worksheets/sheet1.xml"])) { written.append($0) }
        #expect(String(decoding: written, as: UTF8.self).contains("<x:row r=\"2\"><x:c r=\"A2\" t=\"inlineStr\"><x:is><x:t>web-1"))
        let book = try XLSXWorkbook(contentsOf: sdk)
        #expect(book.sheetNames == ["vInfo", "vCPU", "vMemory", "vHost"])
        #expect(try book.rows(of: "vInfo") == XLSXWorkbook(contentsOf: excel).rows(of: "vInfo"))
        #expect(try book.rows(of: "vInfo")?[2]?[7] == "45123.5", "a date stays its serial")
        #expect(try RVToolsWorkbook.hosts(sdk).items == RVToolsWorkbook.hosts(excel).items)
        #expect(try RVToolsWorkbook.vms(sdk).items == RVToolsWorkbook.vms(excel).items)
        func plan(_ path: String) throws -> String {
            let out = Support.temporaryDirectory() + "/plan"
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CLITests.binary)
            process.arguments = ["plan", "--hosts", path, "--vms", path, "--out", out]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            return try String(contentsOfFile: out + "/placements.csv", encoding: .utf8)
        }
        let placements = try plan(sdk)
        #expect(placements == (try plan(excel)))
        #expect(placements.split(separator: "\n").count == 3)
    }

    @Test func notAWorkbookIsAClearError() throws {
        let path = Support.file("fake.xlsx", "host,cpu_cores\n")
        #expect(throws: InputError.self) { try RVToolsWorkbook.hosts(path) }
    }
}
