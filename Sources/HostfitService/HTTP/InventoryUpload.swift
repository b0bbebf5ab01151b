import Foundation
import Hostfit
import HostfitWorkbook

/// Hosts or VMs sent as the files users have rather than as JSON: hosts.csv and vms.csv,
/// RVTools vHost and vInfo CSV exports, or an RVTools .xlsx workbook. They are read by the
/// CLI's own readers, so a file `hostfit plan` takes the service takes, with the same
/// `file:line` errors (the file is called "body").
enum InventoryUpload {
    enum Format: Sendable { case json, csv, workbook }

    static let workbookType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    /// The format a Content-Type names; nil for one the service does not read.
    static func format(of contentType: String?) -> Format? {
        guard let contentType else { return .json }
        let media = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        switch media {
        case "", "application/json": return .json
        case "text/csv", "application/csv": return .csv
        case workbookType: return .workbook
        default: return nil
        }
    }

    static func hosts(_ data: Data, _ format: Format) throws(DeskError) -> InputRead<VMHost> {
        do {
            switch format {
            case .workbook: return try RVToolsWorkbook.hosts(XLSXWorkbook(data: data, name: "body"))
            default: return try HostInventoryFile.load(CSVTable(data: data, file: "body"))
            }
        } catch { throw .invalid("\(error)") }
    }

    /// VMs as they run (a file's host column); powered-off VMs of RVTools left out, as the CLI does.
    static func vms(_ data: Data, _ format: Format) throws(DeskError) -> InputRead<VM> {
        do {
            switch format {
            case .workbook: return try RVToolsWorkbook.vms(XLSXWorkbook(data: data, name: "body"))
            default: return try VMInventoryFile.load(CSVTable(data: data, file: "body"))
            }
        } catch { throw .invalid("\(error)") }
    }
}
