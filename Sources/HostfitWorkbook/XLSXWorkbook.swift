import Foundation
import Hostfit
import XMLCoder
import ZIPFoundation

/// An .xlsx workbook read as plain tables (Office Open XML, ECMA-376 part 1, SpreadsheetML):
/// the zip archive through ZIPFoundation, its XML parts through XMLCoder. Cells are shared
/// strings, inline strings or numbers as Excel stored them; formulas give their cached value.
public struct XLSXWorkbook {
    public let path: String
    /// Sheet names in workbook order.
    public let sheetNames: [String]
    private let archive: Archive
    private let sheetPath: [String: String]
    private let sharedStrings: [String]

    public init(contentsOf path: String) throws(InputError) {
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw InputError(file: path, "is not an .xlsx workbook (not a zip archive): \(error.localizedDescription)")
        }
        try self.init(archive, name: path)
    }

    /// A workbook held in memory (an upload), named `name` in messages.
    public init(data: Data, name: String) throws(InputError) {
        let archive: Archive
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw InputError(file: name, "is not an .xlsx workbook (not a zip archive): \(error.localizedDescription)")
        }
        try self.init(archive, name: name)
    }

    private init(_ archive: Archive, name path: String) throws(InputError) {
        self.path = path
        self.archive = archive
        let decoder = Self.decoder()
        func part<T: Decodable>(_ name: String, as type: T.Type) throws(InputError) -> T? {
            guard let entry = archive[name] else { return nil }
            var data = Data()
            do {
                _ = try archive.extract(entry, skipCRC32: true) { data.append($0) }
                return try decoder.decode(T.self, from: data)
            } catch {
                throw InputError(file: path, "\(name) cannot be read: \(error.localizedDescription)")
            }
        }
        guard let workbook = try part("xl/workbook.xml", as: WorkbookXML.self) else {
            throw InputError(file: path, "is not an .xlsx workbook (no xl/workbook.xml)")
        }
        let relations = try part("xl/_rels/workbook.xml.rels", as: RelationshipsXML.self)
        let targets = Dictionary((relations?.relationship ?? []).map { ($0.id, $0.target) }, uniquingKeysWith: { a, _ in a })
        var paths: [String: String] = [:]
        for sheet in workbook.sheets.sheet {
            guard let target = targets[sheet.relationID] else { continue }
            paths[sheet.name] = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        }
        self.sheetNames = workbook.sheets.sheet.map(\.name)
        self.sheetPath = paths
        self.sharedStrings = (try part("xl/sharedStrings.xml", as: SharedStringsXML.self))?.si.map(\.text) ?? []
        _ = decoder
    }

    /// The sheet's rows by row number (1-based), each cell by column (0-based); nil when the
    /// workbook has no such sheet (names match without regard to case).
    public func rows(of sheet: String) throws(InputError) -> [Int: [Int: String]]? {
        guard let name = sheetNames.first(where: { $0.lowercased() == sheet.lowercased() }), let partPath = sheetPath[name],
              let entry = archive[partPath] else { return nil }
        var data = Data()
        let worksheet: WorksheetXML
        do {
            _ = try archive.extract(entry, skipCRC32: true) { data.append($0) }
            worksheet = try Self.decoder().decode(WorksheetXML.self, from: data)
        } catch {
            throw InputError(file: "\(path)[\(name)]", "cannot be read: \(error.localizedDescription)")
        }
        var rows: [Int: [Int: String]] = [:]
        for (k, row) in (worksheet.sheetData.row ?? []).enumerated() {
            let number = row.r ?? (k + 1)
            var cells: [Int: String] = [:]
            for (j, cell) in (row.c ?? []).enumerated() {
                let column = cell.r.flatMap(Self.column(of:)) ?? j
                let value: String?
                switch cell.t {
                case "s": value = cell.v.flatMap(Int.init).flatMap { $0 < sharedStrings.count ? sharedStrings[$0] : nil }
                case "inlineStr": value = cell.inline?.text
                case "b": value = cell.v == "1" ? "True" : "False"
                default: value = cell.v
                }
                if let value, !value.isEmpty { cells[column] = value }
            }
            rows[number] = cells
        }
        return rows
    }

    /// The sheet as CSV text, one line per sheet row (so CSV line numbers are Excel's rows).
    public func csv(of sheet: String) throws(InputError) -> String? {
        guard let rows = try rows(of: sheet) else { return nil }
        let last = rows.keys.max() ?? 0
        var text = ""
        for number in 1...max(last, 1) {
            let cells = rows[number] ?? [:]
            let width = (cells.keys.max() ?? -1) + 1
            text += (0..<width).map { k in
                let value = cells[k] ?? ""
                return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }.joined(separator: ",") + "\n"
        }
        return text
    }

    /// Elements are matched by namespace, not by prefix: Excel writes `<sheet>`, the OpenXML
    /// SDK (RVTools) writes `<x:sheet>`, and both mean the same element.
    static func decoder() -> XMLDecoder {
        let decoder = XMLDecoder()
        decoder.trimValueWhitespaces = false
        decoder.shouldProcessNamespaces = true
        return decoder
    }

    /// "BC12" -> 54 (0-based column).
    static func column(of reference: String) -> Int? {
        var n = 0, any = false
        for ch in reference.uppercased() {
            guard let a = ch.asciiValue, a >= 65, a <= 90 else { break }
            n = n * 26 + Int(a - 64)
            any = true
        }
        return any ? n - 1 : nil
    }
}

// The parts of SpreadsheetML that a table needs.
struct WorkbookXML: Decodable {
    struct Sheets: Decodable { let sheet: [Sheet] }
    struct Sheet: Decodable, DynamicNodeDecoding {
        let name: String
        let relationID: String
        static func nodeDecoding(for key: CodingKey) -> XMLDecoder.NodeDecoding { .attribute }
        init(from decoder: Decoder) throws {
            let attributes = try decoder.container(keyedBy: AttributeKey.self)
            name = try attributes.decode(String.self, forKey: AttributeKey(stringValue: "name"))
            // The relationship's `id` attribute, whatever its prefix (`r:id` as Excel writes it).
            guard let key = attributes.allKeys.first(where: { $0.stringValue == "id" || $0.stringValue.hasSuffix(":id") }) else {
                throw DecodingError.keyNotFound(AttributeKey(stringValue: "r:id"), .init(codingPath: decoder.codingPath, debugDescription: "a sheet without its relationship id"))
            }
            relationID = try attributes.decode(String.self, forKey: key)
        }
    }
    let sheets: Sheets
}

/// An attribute by its name as written.
struct AttributeKey: CodingKey {
    let stringValue: String
    init(stringValue: String) { self.stringValue = stringValue }
    var intValue: Int? { nil }
    init?(intValue: Int) { nil }
}

struct RelationshipsXML: Decodable {
    struct Relationship: Decodable, DynamicNodeDecoding {
        let id: String
        let target: String
        enum CodingKeys: String, CodingKey { case id = "Id", target = "Target" }
        static func nodeDecoding(for key: CodingKey) -> XMLDecoder.NodeDecoding { .attribute }
    }
    let relationship: [Relationship]?
    enum CodingKeys: String, CodingKey { case relationship = "Relationship" }
}

/// A run of text (`<t>`), with or without `xml:space`.
struct TextXML: Decodable {
    let value: String
    enum CodingKeys: String, CodingKey { case value = "" }
    init(from decoder: Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let text = try? single.decode(String.self) { value = text; return }
        value = (try? decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .value)) ?? ""
    }
}

/// A string item: plain (`<t>`) or rich text runs (`<r><t>`).
struct StringItemXML: Decodable {
    struct Run: Decodable { let t: TextXML? }
    let t: TextXML?
    let r: [Run]?
    var text: String { t?.value ?? (r ?? []).compactMap(\.t?.value).joined() }
}

struct SharedStringsXML: Decodable {
    let si: [StringItemXML]
}

struct WorksheetXML: Decodable {
    struct SheetData: Decodable { let row: [Row]? }
    struct Row: Decodable, DynamicNodeDecoding {
        let r: Int?
        let c: [Cell]?
        static func nodeDecoding(for key: CodingKey) -> XMLDecoder.NodeDecoding { key.stringValue == "r" ? .attribute : .element }
    }
    struct Cell: Decodable, DynamicNodeDecoding {
        let r: String?
        let t: String?
        let v: String?
        let inline: StringItemXML?
        enum CodingKeys: String, CodingKey { case r, t, v, inline = "is" }
        static func nodeDecoding(for key: CodingKey) -> XMLDecoder.NodeDecoding {
            key.stringValue == "r" || key.stringValue == "t" ? .attribute : .element
        }
    }
    let sheetData: SheetData
}
