/// Licence names against the price list, where the files are read: a VM or host naming a
/// licence that licences.csv does not price is a typo, and a per-socket licence on a host
/// that does not say its sockets cannot be priced. Both are errors at the line that names
/// them, never a licence silently costed at nothing.
public enum LicenceCheck {
    public struct Source<Item: Sendable> {
        public var read: InputRead<Item>
        public var file: String
        public init(_ read: InputRead<Item>, file: String) { self.read = read; self.file = file }
    }

    /// Nil when every name is priced (notes for what is named but not priced without a list).
    public static func check(licences: InputRead<Licence>?, licencesFile: String?, hosts: [Source<VMHost>], vms: Source<VM>?) throws(InputError) -> [String] {
        let named = Set((vms?.read.items ?? []).flatMap(\.licences) + hosts.flatMap { $0.read.items.flatMap(\.licences) })
        guard let licences, let licencesFile else {
            return named.isEmpty ? [] : ["licences named (\(named.sorted().joined(separator: ", "))) are not costed without --licences"]
        }
        let byName = Dictionary(licences.items.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let names = licences.items.map(\.name).sorted()
        func unknown(_ name: String, file: String, line: Int?, who: String) -> InputError {
            InputError(file: file, line: line, "\(who) needs licence '\(name)', which \(licencesFile) does not price\(NameSuggestion.hint(for: name, among: names)); it prices \(names.joined(separator: ", "))")
        }
        var neededByVMs = Set<String>()
        if let vms {
            for vm in vms.read.items {
                for name in vm.licences.sorted() where byName[name] == nil {
                    throw unknown(name, file: vms.file, line: vms.read.lines[vm.id], who: "VM '\(vm.id)'")
                }
                neededByVMs.formUnion(vm.licences)
            }
        }
        for source in hosts {
            for host in source.read.items {
                for name in host.licences.sorted() where byName[name] == nil {
                    throw unknown(name, file: source.file, line: source.read.lines[host.id], who: "host '\(host.id)'")
                }
                // Any host may come to pay what VMs need; it pays its own always.
                for name in neededByVMs.union(host.licences).sorted() where byName[name]?.per == .socket && host.sockets == nil {
                    throw InputError(file: source.file, line: source.read.lines[host.id],
                                     "host '\(host.id)' does not say its sockets, and licence '\(name)' is priced per socket: add a sockets column")
                }
            }
        }
        let unused = Set(names).subtracting(neededByVMs).subtracting(hosts.flatMap { $0.read.items.flatMap(\.licences) })
        return unused.isEmpty ? [] : ["\(licencesFile): no VM or host names \(unused.sorted().map { "'\($0)'" }.joined(separator: ", ")): not costed"]
    }
}
