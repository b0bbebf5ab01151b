/// A VM "like" one that is neither among the VMs given nor known otherwise, or like a VM
/// that is itself like another.
public struct UnknownLikeness: Error, Sendable, Equatable {
    public var vm: String
    public var like: String
}

extension VM {
    /// "like vm-42", the one rule for plan, place and serve: each VM of `list` like another
    /// takes that one's measured demand (and `cpu_pct`) where it states none. The model is
    /// looked up in `list` first, then `known` (the service's inventory); it must not be
    /// like another itself. `demandLike` stays set: traces are looked up by it.
    public static func resolveLikes(_ list: inout [VM], known: (String) -> VM? = { _ in nil }) throws(UnknownLikeness) {
        let byID = Dictionary(list.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for k in list.indices {
            guard let like = list[k].demandLike else { continue }
            guard let model = byID[like] ?? known(like), model.demandLike == nil else {
                throw UnknownLikeness(vm: list[k].id, like: like)
            }
            list[k].takeDemand(of: model)
        }
    }

    /// "Like vm-42": takes `model`'s measured demand where this VM states none, and its
    /// expected CPU percentage where this VM states no CPU at all.
    public mutating func takeDemand(of model: VM) {
        for (resource, value) in model.measured where measured[resource] == nil { measured[resource] = value }
        if cpuPercent == nil, measured[.cpu] == nil { cpuPercent = model.cpuPercent }
    }
}
