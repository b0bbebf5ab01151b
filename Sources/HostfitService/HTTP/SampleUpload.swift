import Foundation
import Hostfit

/// POST /samples bodies: the native long CSV that traces use (timestamp,entity,metric,value)
/// or JSON `{"samples": [{"timestamp", "entity", "metric", "value"}]}`. A row that cannot be
/// read refuses the whole body, naming its line or index: samples are all taken or none.
enum SampleUpload {
    static func samples(_ data: Data, _ format: InventoryUpload.Format) throws(DeskError) -> [PlacementDesk.Sample] {
        switch format {
        case .csv: return try csv(data)
        case .json: return try json(data)
        case .workbook: throw .invalid("samples come as text/csv (timestamp,entity,metric,value) or JSON")
        }
    }

    static func csv(_ data: Data) throws(DeskError) -> [PlacementDesk.Sample] {
        do {
            let table = try CSVTable(data: data, file: "body")
            try table.requireColumns(["timestamp", "entity", "metric", "value"])
            let (t, e, m, v) = (table.column("timestamp")!, table.column("entity")!, table.column("metric")!, table.column("value")!)
            var samples: [PlacementDesk.Sample] = []
            for row in try table.rows() {
                // As the file writes numbers: with `;` columns, a decimal comma too.
                let value: Double?
                do { value = try row.number(at: v, named: "value") } catch { throw DeskError.invalid("\(error)", field: "value") }
                samples.append(try sample(time: row.text(at: t) ?? "", entity: row.text(at: e) ?? "", metric: row.text(at: m) ?? "",
                                          value: value, at: "body:\(row.line)"))
            }
            return samples
        } catch let error as DeskError {
            throw error
        } catch {
            throw .invalid("\(error)")
        }
    }

    struct Body: Decodable {
        struct Item: Decodable {
            var timestamp: String
            var entity: String
            var metric: String
            var value: Double
            enum CodingKeys: String, CodingKey { case timestamp, entity, metric, value }
            init(from decoder: Decoder) throws {
                let c = try decoder.container(keyedBy: CodingKeys.self)
                // A time as text (ISO 8601) or as epoch seconds.
                if let seconds = try? c.decode(Int64.self, forKey: .timestamp) { timestamp = String(seconds) } else { timestamp = try c.decode(String.self, forKey: .timestamp) }
                entity = try c.decode(String.self, forKey: .entity)
                metric = try c.decode(String.self, forKey: .metric)
                value = try c.decode(Double.self, forKey: .value)
            }
        }
        var samples: [Item]
    }

    static func json(_ data: Data) throws(DeskError) -> [PlacementDesk.Sample] {
        let body: Body
        do { body = try JSONDecoder().decode(Body.self, from: data) } catch let error as DecodingError { throw RequestBody.describe(error) } catch {
            throw .invalid("the body is not valid JSON")
        }
        var samples: [PlacementDesk.Sample] = []
        samples.reserveCapacity(body.samples.count)
        for (k, item) in body.samples.enumerated() {
            samples.append(try sample(time: item.timestamp, entity: item.entity, metric: item.metric, value: item.value, at: "samples[\(k)]"))
        }
        return samples
    }

    private static func sample(time: String, entity: String, metric: String, value: Double?, at: String) throws(DeskError) -> PlacementDesk.Sample {
        guard let seconds = TracePeriod.time(time) else { throw .invalid("\(at): timestamp '\(time)' is not a time (2013-07-22T10:00:00Z or epoch seconds)", field: "timestamp") }
        guard !entity.isEmpty else { throw .invalid("\(at): entity is empty", field: "entity") }
        guard let kind = Metric(name: metric) else {
            throw .invalid("\(at): metric '\(metric)' is not one of \(Metric.allCases.map(\.name).joined(separator: ", "))", field: "metric")
        }
        guard let value, value.isFinite, value >= 0 else { throw .invalid("\(at): value is not a number of 0 or more", field: "value") }
        return PlacementDesk.Sample(time: seconds, entity: entity, metric: kind, value: value, source: at)
    }
}
