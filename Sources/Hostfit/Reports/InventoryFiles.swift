/// An inventory written back as the files Hostfit reads (hosts.csv, vms.csv), so that a
/// what-if scenario's changed estate can be re-read, re-checked and edited by hand.
public enum InventoryFiles {
    public static func hostsCSV(_ hosts: [VMHost], keyedBy key: String = "host") -> String {
        let counted = Set(hosts.flatMap { $0.capacity.keys.filter(\.isCounted) }).sorted()
        // A catalog is keyed by model: no second model column.
        let model = key == "model" ? [] : ["model"]
        var csv = CSVWriter(header: [key, "cluster"] + model + ["cpu_cores", "cpu_mhz", "memory_mb", "disk_iops", "net_mbps", "cost",
                                     "power_idle_w", "power_max_w", "power_curve", "tags", "max_vms", "state", "sockets", "licences"] + counted.map { "res_\($0.name)" })
        let keyedByModel = model.isEmpty
        for h in hosts {
            let curve = h.powerCurve.map { "\(Resource.number($0.load)):\(Resource.number($0.watts))" }.joined(separator: ";")
            let head: [String] = keyedByModel ? [h.id, h.cluster] : [h.id, h.cluster, h.model]
            let sizes: [String] = [String(h.cpuCores), CSVWriter.number(h.cpuMHzPerCore, digits: 3), CSVWriter.number(h.capacity[.memory], digits: 3),
                                   CSVWriter.number(h.capacity[.disk], digits: 3), CSVWriter.number(h.capacity[.network], digits: 3)]
            let rest: [String] = [CSVWriter.number(h.cost), CSVWriter.number(h.powerIdleWatts), CSVWriter.number(h.powerMaxWatts), curve,
                                  h.tags.sorted().joined(separator: ";"), h.maxVMs.map(String.init) ?? "", h.state.rawValue,
                                  h.sockets.map(String.init) ?? "", h.licences.sorted().joined(separator: ";")]
            let extra: [String] = counted.map { CSVWriter.number(h.capacity[$0] ?? 0, digits: 3) }
            csv.append(head + sizes + rest + extra)
        }
        return csv.text
    }

    public static func vmsCSV(_ vms: [VM]) -> String {
        let counted = Set(vms.flatMap { $0.measured.keys.filter(\.isCounted) }).sorted()
        var csv = CSVWriter(header: ["vm", "vcpus", "memory_mb", "host", "cluster", "requires", "affinity", "anti_affinity", "pinned",
                                     "cpu_mhz", "cpu_pct", "memory_used_mb", "disk_iops", "net_mbps", "cost_center", "like", "licences"]
                                + counted.map { "res_\($0.name)" })
        for v in vms {
            csv.append([v.id, String(v.vcpus), CSVWriter.number(v.memoryMB, digits: 3), v.currentHost ?? "", v.cluster ?? "",
                        v.requires.sorted().joined(separator: ";"), v.affinity.sorted().joined(separator: ";"),
                        v.antiAffinity.sorted().joined(separator: ";"), v.pinned ? "yes" : "", CSVWriter.number(v.measured[.cpu], digits: 3),
                        CSVWriter.number(v.cpuPercent, digits: 3), CSVWriter.number(v.measured[.memory], digits: 3),
                        CSVWriter.number(v.measured[.disk], digits: 3), CSVWriter.number(v.measured[.network], digits: 3),
                        v.costCenter ?? "", v.demandLike ?? "", v.licences.sorted().joined(separator: ";")] + counted.map { CSVWriter.number(v.measured[$0] ?? 0, digits: 3) })
        }
        return csv.text
    }
}
