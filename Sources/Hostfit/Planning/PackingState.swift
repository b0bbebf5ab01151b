/// An assignment being built, with its loads and which hosts are open.
struct PackingState {
    var loads: HostLoads
    var assignment: Assignment
    /// Hosts in use, in the order they were opened; closed ones in host order.
    private(set) var open: [Int] = []
    private(set) var closed: [Int]

    init(_ problem: PlacementProblem) {
        loads = HostLoads(problem)
        assignment = Assignment(vmCount: problem.vmCount)
        closed = FirstFitDecreasing.hostOrder(problem)
    }

    /// The state of an existing assignment (its hosts open, in host order).
    init(_ problem: PlacementProblem, from existing: Assignment) {
        self.init(problem)
        for (v, h) in existing.hostOf.enumerated() where h >= 0 {
            loads.add(v, to: h)
            assignment.hostOf[v] = h
        }
        open = closed.filter { loads.count[$0] > 0 }
        closed.removeAll { loads.count[$0] > 0 }
        isOpen = [Bool](repeating: false, count: problem.hostCount)
        for h in open { isOpen[h] = true }
    }

    /// Per host: in `open`?
    private var isOpen: [Bool] = []

    /// Brings a host into the plan (before any VM is placed on it).
    mutating func openHost(_ host: Int) {
        if isOpen.isEmpty { isOpen = [Bool](repeating: false, count: loads.problem.hostCount); for h in open { isOpen[h] = true } }
        guard !isOpen[host] else { return }
        isOpen[host] = true
        if let k = closed.firstIndex(of: host) { closed.remove(at: k) }
        open.append(host)
    }

    /// Takes empty hosts out of the plan.
    mutating func closeEmptyHosts() {
        for h in open where loads.count[h] == 0 {
            isOpen[h] = false
            closed.append(h)
        }
        open.removeAll { loads.count[$0] == 0 }
    }

    mutating func place(_ item: PackingItem, on host: Int) {
        openHost(host)
        for v in item.vms {
            loads.add(v, to: host)
            assignment.hostOf[v] = host
        }
    }

    mutating func unplace(_ item: PackingItem) {
        for v in item.vms where assignment.hostOf[v] >= 0 {
            loads.remove(v, from: assignment.hostOf[v])
            assignment.hostOf[v] = Assignment.unplaced
        }
    }
}
