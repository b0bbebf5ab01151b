/// A solver's answer: the host index of each VM, or `Assignment.unplaced`.
public struct Assignment: Sendable, Equatable {
    public static let unplaced = -1
    public var hostOf: [Int]

    public init(vmCount: Int) {
        hostOf = [Int](repeating: Self.unplaced, count: vmCount)
    }

    public init(hostOf: [Int]) {
        self.hostOf = hostOf
    }

    public var hostsUsed: Int { Set(hostOf.filter { $0 >= 0 }).count }
    public var placedCount: Int { hostOf.count { $0 >= 0 } }
    public var unplacedCount: Int { hostOf.count - placedCount }

    public func placement(in problem: PlacementProblem) -> Placement {
        Placement(hostOf.enumerated().compactMap { v, h in
            h >= 0 ? Placement.Entry(vm: problem.vms[v].id, host: problem.hosts[h].id) : nil
        })
    }
}
