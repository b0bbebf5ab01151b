/// Checks that hold across the inventory files: every VM's current host is a host of the
/// host inventory. A name that is only a domain away ("esx01.corp.com" for "esx01") is
/// matched and said so; any other unknown host is named with its first line, the VMs on it
/// are planned as new, and a close host name is suggested.
public enum InventoryCheck {
    public static func reconcile(_ vms: InputRead<VM>, vmFile: String, hosts: [VMHost], hostFile: String) -> (vms: [VM], notes: [String]) {
        let known = Set(hosts.map(\.id))
        var byShortName: [String: [String]] = [:]
        for id in known { byShortName[shortName(id), default: []].append(id) }
        var result = vms.items
        var unknown: [String: (count: Int, line: Int)] = [:], matched: [String: String] = [:]
        for k in result.indices {
            guard let host = result[k].currentHost, !known.contains(host) else { continue }
            if let same = byShortName[shortName(host)], same.count == 1 {
                matched[host] = same[0]
                result[k].currentHost = same[0]
                continue
            }
            let line = vms.lines[result[k].id] ?? 0
            unknown[host] = (unknown[host].map { $0.count + 1 } ?? 1, min(unknown[host]?.line ?? .max, line))
            // Pinned VMs keep the name, so the pinning rule reports them; others plan as new.
            if !result[k].pinned { result[k].currentHost = nil }
        }
        var notes: [String] = []
        if !matched.isEmpty {
            notes.append("\(vmFile): \(matched.count) host names matched \(hostFile) without their domain (\(RVToolsFile.list(matched.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" })))")
        }
        let shortKnown = Array(known).sorted()
        let missing = unknown.sorted(by: { $0.value.line < $1.value.line })
        let details = missing.map { host, seen in
            let hint = NameSuggestion.closest(to: shortName(host), among: shortKnown.map(shortName))
                .flatMap { short in byShortName[short]?.first }.map { " (did you mean '\($0)'?)" } ?? ""
            return "\(vmFile):\(seen.line): host '\(host)' is not in \(hostFile)\(hint): its \(seen.count) VM\(seen.count == 1 ? "" : "s") planned as new, not as migrations"
        }
        // Many at once is one defect seen many times: one note, the first few in full.
        if details.count > 5 {
            let vmsAffected = missing.reduce(0) { $0 + $1.value.count }
            notes.append("\(missing.count) hosts named in \(vmFile) are not in \(hostFile); their \(vmsAffected) VMs are planned as new, not as migrations. The first five: "
                         + details.prefix(5).joined(separator: "; ") + "; the others: " + missing.dropFirst(5).map { "\($0.key) (line \($0.value.line))" }.joined(separator: ", "))
        } else {
            notes += details
        }
        return (result, notes)
    }

    /// "esx01.corp.com" -> "esx01", lowercased; an IP address stays whole.
    static func shortName(_ host: String) -> String {
        let labels = host.lowercased().split(separator: ".")
        guard let first = labels.first, first.contains(where: \.isLetter) else { return host.lowercased() }
        return String(first)
    }
}
