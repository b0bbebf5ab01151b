/// The trace formats Hostfit reads, recognized from a file's first line (and, for formats
/// without a header, the shape of it).
public enum TraceFormat: String, Sendable, CaseIterable {
    case nativeLong = "native long"
    case nativeWide = "native wide"
    case bitbrains = "Bitbrains GWA-T-12"
    case planetLab = "PlanetLab/CoMon"
    case pdh = "perfmon/esxtop PDH-CSV"
    case sar = "sysstat sadf -d"
    case azureReadings = "Azure v1 vm_cpu_readings"
    case azureVMTable = "Azure v1 vmtable"
    case alibabaUsage = "Alibaba 2018 machine_usage"
    case alibabaMeta = "Alibaba 2018 machine_meta"
    case prometheus = "Prometheus query_range"
    case proxmoxRRD = "Proxmox VE rrddata"

    /// What a file that looked like a trace, and is not one, says: a folder's stray file
    /// with it is passed over, as an empty one is.
    static let notATrace = "is not a trace format Hostfit reads"

    /// The format of a file, from its first line and, for JSON answers, its first few KB.
    static func detect(firstLine: String, head: String) -> TraceFormat? {
        if PrometheusReader.mayBe(firstLine) {
            return ProxmoxRRDReader.looksLike(head) ? .proxmoxRRD : .prometheus
        }
        return detect(firstLine: firstLine)
    }

    static func detect(firstLine: String) -> TraceFormat? {
        let lower = firstLine.lowercased()
        if lower.hasPrefix("timestamp [ms]") && lower.contains(";") { return .bitbrains }
        if lower.hasPrefix("\"(pdh-csv") || lower.hasPrefix("(pdh-csv") { return .pdh }
        if lower.hasPrefix("# hostname;interval;timestamp;") { return .sar }
        let trimmed = lower.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty, trimmed.count <= 3, trimmed.allSatisfy(\.isNumber), Int(trimmed)! <= 100 { return .planetLab }
        let fields = lower.split(separator: ",", omittingEmptySubsequences: false)
        func isID(_ s: Substring) -> Bool { s.count >= 16 && s.allSatisfy { $0.isLetter || $0.isNumber || "+/=".contains($0) } }
        func isNumber(_ s: Substring) -> Bool { Double(s) != nil }
        func isMachine(_ s: Substring) -> Bool { s.hasPrefix("m_") && s.count > 2 && s.dropFirst(2).allSatisfy(\.isNumber) }
        if fields.count == 5, isNumber(fields[0]), isID(fields[1]), fields[2...].allSatisfy(isNumber) { return .azureReadings }
        if fields.count == 11, isID(fields[0]), isID(fields[1]), isNumber(fields[3]) { return .azureVMTable }
        if fields.count == 9, isMachine(fields[0]), isNumber(fields[1]) { return .alibabaUsage }
        if fields.count == 7, isMachine(fields[0]), isNumber(fields[1]), fields[6].allSatisfy({ $0.isLetter || $0 == "_" }) { return .alibabaMeta }
        let header = lower.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if header == ["timestamp", "entity", "metric", "value"] { return .nativeLong }
        if header.count >= 3 && header[0] == "timestamp" && header[1] == "entity" && header.dropFirst(2).contains(where: { Metric(name: $0) != nil }) {
            return .nativeWide
        }
        return nil
    }

    func read(_ file: TraceFile, into collector: TraceCollector) throws(InputError) {
        switch self {
        case .nativeLong: try NativeTraceReader.readLong(file, into: collector)
        case .nativeWide: try NativeTraceReader.readWide(file, into: collector)
        case .bitbrains: try BitbrainsReader.read(file, into: collector)
        case .planetLab: try PlanetLabReader.read(file, into: collector)
        case .pdh: try PDHReader.read(file, into: collector)
        case .sar: try SarReader.read(file, into: collector)
        case .azureReadings: try AzureReader.readReadings(file, into: collector)
        case .azureVMTable: try AzureReader.readVMTable(file, into: collector)
        case .alibabaUsage: try AlibabaReader.readUsage(file, into: collector)
        case .alibabaMeta: try AlibabaReader.readMeta(file, into: collector)
        case .prometheus: try PrometheusReader.read(file, into: collector)
        case .proxmoxRRD: try ProxmoxRRDReader.read(file, into: collector)
        }
    }
}

import Foundation

extension TraceCollector {
    /// A value that demand can be: finite and not negative. Records why not otherwise.
    @inline(__always)
    func demandValue(_ value: Double?, line: Int, column: String) -> Double? {
        guard let value else { issues.bad(line: line, "not a number", detail: column); return nil }
        guard value.isFinite else { issues.bad(line: line, "not a finite number", detail: column); return nil }
        guard value >= 0 else { issues.bad(line: line, "negative value", detail: column); return nil }
        return value
    }
}
