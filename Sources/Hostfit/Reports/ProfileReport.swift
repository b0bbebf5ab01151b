/// profiles.csv: one row per entity and resource.
///
/// `entity, resource, unit, samples, expected_samples, confidence_stars, mean, p50, p90,
/// p95, p99, max, trend_per_30d` (change of the daily mean per 30 days, Theil–Sen),
/// `trend_days` (daily means it is fitted on) and `trend_z` (Mann–Kendall: beyond ±1.96 a
/// trend at the 5% level, else noise), then what the
/// trace says the entity was given (`vcpus, cpu_capacity_mhz, memory_mb`, empty when it
/// does not say), the fold (`buckets`: hour-of-day or hour-of-week, `percentile`), and one
/// column per bucket holding that percentile of the bucket's samples: `h00`..`h23`, or
/// `mon00`..`sun23` (UTC; empty where the trace has no sample).
public enum ProfileReport {
    static let fixedColumns = ["entity", "resource", "unit", "samples", "expected_samples", "confidence_stars", "mean", "p50",
                               "p90", "p95", "p99", "max", "trend_per_30d", "trend_days", "trend_z", "vcpus", "cpu_capacity_mhz", "memory_mb", "buckets", "percentile"]

    /// The columns a partial file adds (`ProfileMerge`): each series' median interval, and
    /// its first and last sample.
    static let timingColumns = ["interval_s", "first_time", "last_time"]

    /// `partial`: a share of a job's traces, with each series' timing, for `ProfileMerge`.
    public static func csv(_ set: ProfileSet, partial: Bool = false) -> String {
        var csv = CSVWriter(header: fixedColumns + set.scheme.columnNames + (partial ? timingColumns : []))
        let percentile = CSVWriter.number(set.percentile, digits: 3)
        for profile in set.profiles {
            let a = profile.allocation
            for r in profile.resources {
                var row = [profile.entity, r.resource.name, r.resource.unit, String(r.samples), String(r.expectedSamples), String(r.confidenceStars)]
                row += [r.mean, r.p50, r.p90, r.p95, r.p99, r.max].map { CSVWriter.number($0, digits: 3) }
                row += [CSVWriter.number(r.trendPer30Days, digits: 3), r.trendDays.map(String.init) ?? "", CSVWriter.number(r.trendZ, digits: 2), a.cores.map(String.init) ?? "",
                        CSVWriter.number(a.cpuMHz, digits: 3), CSVWriter.number(a.memoryMB, digits: 3), set.scheme.rawValue, percentile]
                row += r.buckets.map { CSVWriter.number($0, digits: 3) }
                if partial, let t = r.timing { row += ["\(t.interval)", String(t.first), String(t.last)] }
                csv.append(row)
            }
        }
        return csv.text
    }
}
