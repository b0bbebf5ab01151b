/// Reads profiles.csv as `hostfit profile` writes it (see `ProfileReport`).
public enum ProfileFile {
    public static func read(_ path: String) throws(InputError) -> ProfileSet {
        let table = try CSVTable(contentsOf: path)
        try table.requireColumns(["entity", "resource", "samples", "p95", "max", "buckets", "percentile"])
        var order: [String] = []
        var byEntity: [String: WorkloadProfile] = [:]
        var scheme: BucketScheme?
        var percentile: Double?
        var bucketColumns: [Int] = []
        for row in try table.rows() {
            guard let rowScheme = BucketScheme(rawValue: try row.requiredText("buckets")) else {
                throw row.error("buckets '\(row.text("buckets") ?? "")' is not hour-of-day or hour-of-week")
            }
            let rowPercentile = try row.requiredNumber("percentile")
            if scheme == nil {
                scheme = rowScheme
                percentile = rowPercentile
                bucketColumns = try rowScheme.columnNames.map { name throws(InputError) in
                    guard let k = table.column(name) else { throw InputError(file: table.file, line: table.headerLine, "missing bucket column '\(name)'") }
                    return k
                }
            } else if rowScheme != scheme || rowPercentile != percentile {
                throw row.error("every row must use the same buckets and percentile as the first")
            }
            let entity = try row.requiredText("entity")
            let name = try row.requiredText("resource")
            let resource = Resource.standard(named: name) ?? (name == Resource.diskThroughput.name ? .diskThroughput : .counted(name))
            let samples = try row.integer("samples") ?? 0
            func value(_ column: String) throws(InputError) -> Double { try row.number(column) ?? 0 }
            let buckets = try bucketColumns.map { k throws(InputError) in try row.number(at: k, named: table.header[k]) }
            let profile = ResourceProfile(
                resource: resource, samples: samples, expectedSamples: try row.integer("expected_samples") ?? samples,
                confidenceStars: try row.integer("confidence_stars") ?? 5, mean: try value("mean"), p50: try value("p50"),
                p90: try value("p90"), p95: try value("p95"), p99: try value("p99"), max: try value("max"),
                trendPer30Days: try row.number("trend_per_30d", minimum: -.greatestFiniteMagnitude), buckets: buckets,
                atPercentile: try [50: "p50", 90: "p90", 95: "p95", 99: "p99", 100: "max"][rowPercentile].map { column throws(InputError) in try value(column) },
                trendDays: try row.integer("trend_days"), trendZ: try row.number("trend_z", minimum: -.greatestFiniteMagnitude))
            if byEntity[entity] == nil {
                order.append(entity)
                let allocation = EntityAllocation(cores: try row.integer("vcpus"), cpuMHz: try row.number("cpu_capacity_mhz"), memoryMB: try row.number("memory_mb"))
                byEntity[entity] = WorkloadProfile(entity: entity, allocation: allocation, resources: [])
            }
            guard byEntity[entity]!.profile(of: resource) == nil else { throw row.error("entity '\(entity)' has a second '\(name)' row") }
            byEntity[entity]!.resources.append(profile)
        }
        guard let scheme, let percentile else { throw InputError(file: table.file, line: table.headerLine, "no profiles: the file has a header and nothing else") }
        return ProfileSet(scheme: scheme, percentile: percentile, profiles: order.map { byEntity[$0]! })
    }
}
