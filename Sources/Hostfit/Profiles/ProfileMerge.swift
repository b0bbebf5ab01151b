/// Joins the partial profiles of jobs that each profiled a share of the traces (Spark tasks,
/// each given whole entities) into the profiles.csv one job over all of them writes.
///
/// Every cell but two is the part's own: an entity's samples were all in its part, so its
/// statistics are final there. What a part cannot know is the study window, from the first
/// sample of any entity to the last, that gaps are judged against: each row carries its
/// series' median interval and first and last sample (`ProfileReport.timingColumns`), and
/// `expected_samples` and `confidence_stars` are worked out anew here by the rule of
/// `ProfileBuilder` (`ResourceProfile.coverage`). Rows are put in profiles.csv's order.
public enum ProfileMerge {
    public struct Merged: Sendable {
        public var csv: String
        public var entities: Int
        public var series: Int
        public var notes: [String]
    }

    public static func merge(_ parts: [CSVTable]) throws(InputError) -> Merged {
        guard let first = parts.first else { throw InputError(file: "", "no partial profiles to merge") }
        let timing = ProfileReport.timingColumns
        let width = first.header.count - timing.count
        guard width > ProfileReport.fixedColumns.count, Array(first.header.suffix(timing.count)) == timing,
              Array(first.header.prefix(ProfileReport.fixedColumns.count)) == ProfileReport.fixedColumns else {
            throw InputError(file: first.file, line: first.headerLine, "not a partial profiles file (`hostfit profile --partial` writes them)")
        }
        for part in parts where part.header != first.header {
            throw InputError(file: part.file, line: part.headerLine, "its columns differ from \(first.file)'s: the parts were profiled with other --buckets or --percentile")
        }
        let (samplesAt, expectedAt, starsAt) = (first.column("samples")!, first.column("expected_samples")!, first.column("confidence_stars")!)
        let (intervalAt, firstAt, lastAt) = (first.column("interval_s")!, first.column("first_time")!, first.column("last_time")!)

        struct Row { var entity: String; var fields: [String]; var samples: Int; var interval: Double }
        var rows: [Row] = [], partOf: [String: String] = [:]
        var start = Int64.max, end = Int64.min
        for part in parts {
            for record in part.records {
                let f = record.fields
                func bad(_ what: String) -> InputError { InputError(file: part.file, line: record.line, what) }
                guard f.count == part.header.count else { throw bad("\(f.count) fields, the header names \(part.header.count)") }
                guard let samples = Int(f[samplesAt]), let interval = Double(f[intervalAt]), interval.isFinite, interval >= 0,
                      let from = Int64(f[firstAt]), let to = Int64(f[lastAt]), from <= to else {
                    throw bad("samples, interval_s, first_time or last_time is not a number")
                }
                let entity = f[0]
                if let other = partOf[entity], other != part.file {
                    throw bad("entity '\(entity)' is in \(other) too: each part must hold whole entities (cut traces by entity, not by time)")
                }
                partOf[entity] = part.file
                start = min(start, from)
                end = max(end, to)
                rows.append(Row(entity: entity, fields: Array(f.prefix(width)), samples: samples, interval: interval))
            }
        }
        var series: [(samples: Int, expected: Int)] = []
        for k in rows.indices {
            let (expected, stars) = ResourceProfile.coverage(samples: rows[k].samples, interval: rows[k].interval, window: (start, end))
            rows[k].fields[expectedAt] = String(expected)
            rows[k].fields[starsAt] = String(stars)
            series.append((rows[k].samples, expected))
        }
        // profiles.csv's order: entities as `ProfileBuilder` sorts them, each one's rows as written.
        let order = rows.indices.sorted { a, b in
            let c = rows[a].entity.localizedStandardCompare(rows[b].entity)
            return c != .orderedSame ? c == .orderedAscending : a < b
        }
        var csv = CSVWriter(header: Array(first.header.prefix(width)))
        for k in order { csv.append(rows[k].fields) }
        return Merged(csv: csv.text, entities: partOf.count, series: rows.count, notes: ProfileBuilder.gapsNote(series).map { [$0] } ?? [])
    }
}
