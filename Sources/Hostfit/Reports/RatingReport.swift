import Foundation

/// The files `hostfit place --out DIR` writes: ratings.csv (`vm,host,stars,score,reason,rule`,
/// every host for every new VM; `rule` is the validator's name of the rule behind 0 stars), placements.csv (`vm,host`, the new VMs placed) and, with
/// `--apply`, vms.csv (the inventory with the new VMs on their hosts).
public struct RatingReport {
    public let suggestions: [PlacementSuggestion]
    public let problem: PlacementProblem

    public init(_ suggestions: [PlacementSuggestion], problem: PlacementProblem) {
        self.suggestions = suggestions
        self.problem = problem
    }

    public func ratingsCSV() -> String {
        var csv = CSVWriter(header: ["vm", "host", "stars", "score", "reason", "rule"])
        for s in suggestions {
            for r in s.ratings {
                csv.append([s.vm, r.host, CSVWriter.number(r.stars, digits: 1), CSVWriter.number(r.score, digits: 1), r.reason, r.rule?.rawValue ?? ""])
            }
        }
        return csv.text
    }

    public func placementsCSV() -> String {
        var csv = CSVWriter(header: ["vm", "host"])
        for s in suggestions { if let host = s.host { csv.append([s.vm, host]) } }
        return csv.text
    }

    /// The inventory as vms.csv, every VM on its host: the existing ones where they run, the
    /// new ones where they were placed.
    public func appliedVMsCSV() -> String {
        let placed = Dictionary(suggestions.compactMap { s in s.host.map { (s.vm, $0) } }, uniquingKeysWith: { a, _ in a })
        let counted = Set(problem.vms.flatMap { $0.measured.keys.filter(\.isCounted) }).sorted()
        var csv = CSVWriter(header: ["vm", "vcpus", "memory_mb", "host", "cluster", "requires", "affinity", "anti_affinity", "pinned",
                                     "cpu_mhz", "memory_used_mb", "disk_iops", "net_mbps"] + counted.map { "res_\($0.name)" })
        for vm in problem.vms {
            let list = { (set: Set<String>) in set.sorted().joined(separator: ";") }
            csv.append([vm.id, String(vm.vcpus), CSVWriter.number(vm.memoryMB), placed[vm.id] ?? vm.currentHost ?? "", vm.cluster ?? "",
                        list(vm.requires), list(vm.affinity), list(vm.antiAffinity), vm.pinned ? "yes" : "",
                        CSVWriter.number(vm.measured[.cpu]), CSVWriter.number(vm.measured[.memory]), CSVWriter.number(vm.measured[.disk]),
                        CSVWriter.number(vm.measured[.network])] + counted.map { CSVWriter.number(vm.measured[$0]) })
        }
        return csv.text
    }

    public func write(to directory: String, apply: Bool) throws {
        var files = [("ratings.csv", ratingsCSV()), ("placements.csv", placementsCSV()), ("report.html", html())]
        if apply { files.append(("vms.csv", appliedVMsCSV())) }
        try AtomicFile.writeAll(files, into: directory)
    }
}
