import Foundation

/// The files of `hostfit replay`: overloads.csv (every host, interval and resource over
/// headroom), hosts.csv (each host's peak and mean per resource) and summary.json.
public struct ReplayReport {
    public let result: Replay.Result
    public let record: RunRecord
    public let seconds: Double
    public let rows: Int

    public init(_ result: Replay.Result, record: RunRecord, seconds: Double, rows: Int) {
        self.result = result
        self.record = record
        self.seconds = seconds
        self.rows = rows
    }

    public func write(to directory: String) throws {
        try AtomicFile.writeAll([("overloads.csv", overloadsCSV()), ("hosts.csv", hostsCSV()), ("summary.json", summaryJSON()),
                                 ("report.html", html())], into: directory)
    }

    func overloadsCSV() -> String {
        var csv = CSVWriter(header: ["host", "timestamp", "resource", "demand", "capacity", "over", "headroom_limit", "pct_of_capacity"])
        for o in result.overloads {
            csv.append([o.host, Self.iso(o.time), o.resource.name, CSVWriter.number(o.demand), CSVWriter.number(o.capacity),
                        o.overCapacity ? "capacity" : "headroom", CSVWriter.number(o.limit), CSVWriter.number(o.demand / o.capacity * 100, digits: 1)])
        }
        return csv.text
    }

    func hostsCSV() -> String {
        var csv = CSVWriter(header: ["host", "vms", "resource", "capacity", "headroom_limit", "peak", "peak_pct", "peak_time", "mean_pct",
                                     "intervals_over_headroom", "intervals_over_capacity"])
        for host in result.hosts {
            for r in host.resources {
                csv.append([host.host, String(host.vms.count), r.resource.name, CSVWriter.number(r.capacity), CSVWriter.number(r.limit),
                            CSVWriter.number(r.peak), CSVWriter.number(r.peak / r.capacity * 100, digits: 1), Self.iso(r.peakTime),
                            CSVWriter.number(r.mean / r.capacity * 100, digits: 1), String(r.intervalsOverHeadroom), String(r.intervalsOverCapacity)])
            }
        }
        return csv.text
    }

    public var summary: ReplaySummary {
        let worst = result.worst.map {
            ReplaySummary.Worst(host: $0.host, timestamp: Self.iso($0.time), resource: $0.resource.name, demand: $0.demand,
                                capacity: $0.capacity, pctOfCapacity: ($0.demand / $0.capacity * 1000).rounded() / 10)
        }
        func pct(_ x: Double) -> Double { (x * 100_000).rounded() / 1000 }
        return ReplaySummary(
            from: Self.iso(result.start), until: Self.iso(result.start + Int64(result.slots) * result.step), stepSeconds: Int(result.step),
            intervals: result.slots, hosts: result.hosts.count, vms: result.hosts.reduce(0) { $0 + $1.vms.count },
            hostIntervals: result.hostIntervals, overCapacity: result.overCapacity, overHeadroom: result.overHeadroom,
            overCapacityPct: pct(result.overCapacityShare), overHeadroomPct: pct(result.overHeadroomShare),
            hostsOverCapacity: result.hosts.count { $0.intervalsOverCapacity > 0 }, hostsOverHeadroom: result.hosts.count { $0.intervalsOverHeadroom > 0 },
            worst: worst, vmsOnHostsOverCapacity: result.vmsOnHostsOverCapacity, vmsOnHostsOverHeadroom: result.vmsOnHostsOverHeadroom.count,
            vmsMissingFromTraces: result.missing.sorted(), tracedNotInPlan: result.notInPlan, notes: result.notes,
            rows: rows, seconds: (seconds * 1000).rounded() / 1000, hostfitVersion: record.version, inputs: record.inputs, options: record.options)
    }

    func summaryJSON() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try! encoder.encode(summary), as: UTF8.self) + "\n"
    }

    /// `2013-07-15T10:05:00Z`.
    public static func iso(_ t: Int64) -> String {
        let days = t >= 0 ? t / 86_400 : (t - 86_399) / 86_400
        let s = t - days * 86_400
        // Civil date from days since 1970-01-01 (Hinnant).
        let z = days + 719_468, era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097, yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9, y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(y)-\(two(m))-\(two(d))T\(two(s / 3600)):\(two(s / 60 % 60)):\(two(s % 60))Z"
    }
}

/// summary.json of a replay.
public struct ReplaySummary: Codable, Sendable {
    public struct Worst: Codable, Sendable {
        public var host: String
        public var timestamp: String
        public var resource: String
        public var demand: Double
        public var capacity: Double
        public var pctOfCapacity: Double
        enum CodingKeys: String, CodingKey { case host, timestamp, resource, demand, capacity, pctOfCapacity = "pct_of_capacity" }
    }

    public var from: String
    public var until: String
    public var stepSeconds: Int
    public var intervals: Int
    public var hosts: Int
    public var vms: Int
    public var hostIntervals: Int
    public var overCapacity: Int
    public var overHeadroom: Int
    public var overCapacityPct: Double
    public var overHeadroomPct: Double
    public var hostsOverCapacity: Int
    public var hostsOverHeadroom: Int
    public var worst: Worst?
    public var vmsOnHostsOverCapacity: [String]
    public var vmsOnHostsOverHeadroom: Int
    public var vmsMissingFromTraces: [String]
    public var tracedNotInPlan: Int
    public var notes: [String]
    public var rows: Int
    public var seconds: Double
    public var hostfitVersion: String
    public var inputs: [RunRecord.Input]
    public var options: [String: String]

    enum CodingKeys: String, CodingKey {
        case from, until, intervals, hosts, vms, notes, rows, seconds, inputs, options
        case stepSeconds = "step_seconds", hostIntervals = "host_intervals", overCapacity = "host_intervals_over_capacity"
        case overHeadroom = "host_intervals_over_headroom", overCapacityPct = "over_capacity_pct", overHeadroomPct = "over_headroom_pct"
        case hostsOverCapacity = "hosts_over_capacity", hostsOverHeadroom = "hosts_over_headroom", worst = "worst_overload"
        case vmsOnHostsOverCapacity = "vms_on_hosts_over_capacity", vmsOnHostsOverHeadroom = "vms_on_hosts_over_headroom_count"
        case vmsMissingFromTraces = "vms_missing_from_traces", tracedNotInPlan = "traced_entities_not_in_plan"
        case hostfitVersion = "hostfit_version"
    }
}
