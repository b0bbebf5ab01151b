import Hostfit
import Hummingbird

/// GET /usage, /chargeback and /sizing: each tenant's allocation, use and quota headroom;
/// the hosts in use charged to tenants; VMs allocated more than they use. JSON, or CSV
/// with Accept: text/csv. A tenant's caller gets its own lines.
struct AccountingController: Sendable {
    let desk: PlacementDesk

    var routes: RouteCollection<ServiceContext> {
        let routes = RouteCollection(context: ServiceContext.self)
        let reads = routes.group().add(middleware: Requires(.reader))
        reads.get("usage") { request, context in
            let lines = desk.usage(as: context.caller)
            guard Accept.csv(request) else { return ServiceJSON.response(["tenants": lines]) }
            // A tenant's line (cluster empty), then one per cluster its quota limits.
            var csv = CSVWriter(header: ["tenant", "cluster", "vms", "placed", "vcpus", "memory_mb", "cpu_demand", "memory_demand_mb", "sampled", "profiled",
                                         "quota_vms", "quota_vcpus", "quota_memory_mb"])
            func limits(_ q: Quota?) -> [String] { [q?.vms.map(String.init) ?? "", q?.vcpus.map(String.init) ?? "", CSVWriter.number(q?.memoryMB)] }
            for l in lines {
                csv.append([l.tenant, "", String(l.vms), String(l.placed), String(l.allocated.vcpus), CSVWriter.number(l.allocated.memoryMB),
                            CSVWriter.number(l.demand["cpu"]), CSVWriter.number(l.demand["memory"]), String(l.sampled), String(l.profiled)] + limits(l.quota))
                for (cluster, use) in (l.clusters ?? [:]).sorted(by: { $0.key < $1.key }) {
                    csv.append([l.tenant, cluster, "", String(use.vms), String(use.vcpus), CSVWriter.number(use.memoryMB), "", "", "", ""]
                               + limits(l.quota?.clusters?[cluster]))
                }
            }
            return Accept.csvResponse(csv.text)
        }
        reads.get("chargeback") { request, context in
            let hours = try Self.number(request, "period_h", in: 0.01...87_600, fallback: 720)
            let answer = desk.chargeback(periodHours: hours, as: context.caller)
            guard Accept.csv(request) else { return ServiceJSON.response(answer) }
            var csv = CSVWriter(header: ["tenant", "vms", "host_share", "cost", "power_w", "energy_kwh", "vcpus", "memory_mb"])
            for l in answer.tenants {
                csv.append([l.tenant, String(l.vms), CSVWriter.number(l.hostShare, digits: 3), CSVWriter.number(l.cost), CSVWriter.number(l.powerW, digits: 0),
                            CSVWriter.number(l.energyKWh, digits: 1), String(l.vcpus), CSVWriter.number(l.memoryMB)])
            }
            return Accept.csvResponse(csv.text)
        }
        reads.get("sizing") { request, context in
            let comfort = try Self.number(request, "comfort", in: 1...10, fallback: 1.3)
            let (sizing, owners) = await desk.sizing(comfort: comfort, as: context.caller)
            guard Accept.csv(request) else { return ServiceJSON.response(SizingAnswer(sizing, owners: owners)) }
            // sizing.csv's columns, then the tenant.
            var lines = PlanReport.sizingCSV(sizing).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            lines[0] += ",tenant"
            for (k, row) in sizing.rows.enumerated() { lines[k + 1] += "," + CSVWriter.field(owners[row.vm] ?? "") }
            return Accept.csvResponse(lines.joined(separator: "\n"))
        }
        return routes
    }

    static func number(_ request: Request, _ name: String, in range: ClosedRange<Double>, fallback: Double) throws -> Double {
        guard let text = request.uri.queryParameters[name[...]].map(String.init) else { return fallback }
        guard let value = Double(text), value.isFinite, range.contains(value) else {
            throw DeskError.invalid("\(name) must be a number from \(Resource.number(range.lowerBound)) to \(Resource.number(range.upperBound))", field: name)
        }
        return value
    }
}

/// GET /sizing's JSON: per tenant what could be reclaimed, then each VM's row.
struct SizingAnswer: Encodable, Sendable {
    struct Tenant: Encodable, Sendable {
        var tenant: String
        var vms = 0, idle = 0, oversized = 0, undersized = 0, right = 0, unknown = 0
        var reclaimableVCPUs = 0
        var reclaimableMemoryMB: Double = 0
        enum CodingKeys: String, CodingKey {
            case tenant, vms, idle, oversized, undersized, right, unknown, reclaimableVCPUs = "reclaimable_vcpus", reclaimableMemoryMB = "reclaimable_memory_mb"
        }
    }
    struct Row: Encodable, Sendable {
        var vm: String
        var tenant: String?
        var vcpus: Int
        var memoryMB: Double
        var cpuUsedMHz: Double?
        var cpuUsedPct: Double?
        var memoryUsedMB: Double?
        var memoryPeakMB: Double?
        var recommendedVCPUs: Int
        var recommendedMemoryMB: Double
        var confidenceStars: Int?
        var verdict: String
        var cpuVerdict: String
        var memoryVerdict: String
        var reason: String
        enum CodingKeys: String, CodingKey {
            case vm, tenant, vcpus, memoryMB = "memory_mb", cpuUsedMHz = "cpu_used_mhz", cpuUsedPct = "cpu_used_pct", memoryUsedMB = "memory_used_mb"
            case memoryPeakMB = "memory_peak_mb", recommendedVCPUs = "recommended_vcpus", recommendedMemoryMB = "recommended_memory_mb"
            case confidenceStars = "confidence_stars", verdict, cpuVerdict = "cpu_verdict", memoryVerdict = "memory_verdict", reason
        }
    }
    var percentile: Double
    var comfort: Double
    var tenants: [Tenant]
    var vms: [Row]

    init(_ sizing: RightSizing, owners: [String: String]) {
        percentile = sizing.options.percentile
        comfort = sizing.options.comfort
        var byTenant: [String: Tenant] = [:]
        vms = sizing.rows.map { r in
            let t = owners[r.vm] ?? Chargeback.unassigned
            var line = byTenant[t] ?? Tenant(tenant: t)
            line.vms += 1
            switch r.verdict {
            case .idle: line.idle += 1
            case .oversized: line.oversized += 1
            case .undersized: line.undersized += 1
            case .right: line.right += 1
            case .unknown: line.unknown += 1
            }
            line.reclaimableVCPUs += max(0, r.vcpus - r.recommendedVCPUs)
            line.reclaimableMemoryMB += max(0, r.memoryMB - r.recommendedMemoryMB)
            byTenant[t] = line
            return Row(vm: r.vm, tenant: owners[r.vm], vcpus: r.vcpus, memoryMB: r.memoryMB, cpuUsedMHz: r.cpuUsedMHz, cpuUsedPct: r.cpuUsedPercent,
                       memoryUsedMB: r.memoryUsedMB, memoryPeakMB: r.memoryPeakMB, recommendedVCPUs: r.recommendedVCPUs,
                       recommendedMemoryMB: r.recommendedMemoryMB, confidenceStars: r.confidenceStars, verdict: r.verdict.rawValue,
                       cpuVerdict: r.cpuVerdict.rawValue, memoryVerdict: r.memoryVerdict.rawValue, reason: r.reason)
        }
        tenants = byTenant.values.sorted { $0.tenant < $1.tenant }
    }
}
