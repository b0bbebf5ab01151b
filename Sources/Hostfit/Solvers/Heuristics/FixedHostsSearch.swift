import Foundation

/// Looks for a plan on exactly `hosts` identical hosts by simulated annealing over plans
/// that may overload them: every VM is always on some host, and the search lowers the total
/// overload (summed over hosts and resources, in shares of capacity) by moving one VM or
/// swapping two, until none is left. The "fixed number of bins" view of bin-packing local
/// search (as in Fleszar & Hindi's variable neighbourhood search, Computers & OR 29, 2002,
/// and the weight-annealing of Loh, Golden & Wasil, Computers & OR 35, 2008).
///
/// Where every host must be nearly full or hold a fixed number of VMs (Scholl's instances
/// with three VMs of 27-40% of a host each), column generation's dives round their way to a
/// few hosts too many; this reaches the bound by trading VMs between full hosts.
struct FixedHostsSearch {
    /// Per VM, its demand in shares of a host's capacity, per dimension.
    let sizes: [[Double]]
    let hosts: Int
    let vmLimit: Int

    struct Outcome {
        /// The host (0..<hosts) of each VM, when nothing is overloaded.
        var hostOf: [Int]?
        var steps = 0
        var leastOverload: Double
    }

    static let hottest = 0.05, coldest = 0.0005
    /// Steps from the hottest to the coldest temperature, then again.
    static let cycle = 2_000_000

    func run(allowance: Allowance, seed: UInt64) -> Outcome {
        let n = sizes.count, D = sizes.first?.count ?? 0
        guard hosts > 0, n <= hosts * vmLimit else { return Outcome(leastOverload: .infinity) }
        if hosts == 1 {
            let overload = (0..<D).reduce(0.0) { total, d in total + max(0, sizes.reduce(0.0) { $0 + $1[d] } - 1) }
            return Outcome(hostOf: overload > 1e-9 ? nil : [Int](repeating: 0, count: n), leastOverload: overload)
        }
        var random = SeededGenerator(seed: seed)
        var load = [Double](repeating: 0, count: hosts * D)
        var members = [[Int]](repeating: [], count: hosts)
        var hostOf = [Int](repeating: 0, count: n), slot = [Int](repeating: 0, count: n)
        func overload(_ h: Int) -> Double {
            var total = 0.0
            for d in 0..<D where load[h * D + d] > 1 + 1e-9 { total += load[h * D + d] - 1 }
            return total
        }
        func place(_ v: Int, _ h: Int) {
            hostOf[v] = h
            slot[v] = members[h].count
            members[h].append(v)
            for d in 0..<D { load[h * D + d] += sizes[v][d] }
        }
        func remove(_ v: Int) {
            let h = hostOf[v], last = members[h].removeLast()
            if last != v { members[h][slot[v]] = last; slot[last] = slot[v] }
            for d in 0..<D { load[h * D + d] -= sizes[v][d] }
        }
        // Start: largest first, dealt out to the hosts back and forth (balanced, not packed;
        // counts differ by at most one, so the VM limit holds).
        let total = sizes.map { $0.reduce(0, +) }
        for (k, v) in (0..<n).sorted(by: { total[$0] > total[$1] }).enumerated() {
            let round = k / hosts, offset = k % hosts
            place(v, round % 2 == 0 ? offset : hosts - 1 - offset)
        }
        // Overloaded hosts, with positions for O(1) updates.
        var over: [Int] = [], position = [Int](repeating: -1, count: hosts)
        func refresh(_ h: Int) {
            let isOver = overload(h) > 1e-9
            if isOver, position[h] < 0 { position[h] = over.count; over.append(h) }
            if !isOver, position[h] >= 0 {
                let last = over.removeLast()
                if last != h { over[position[h]] = last; position[last] = position[h] }
                position[h] = -1
            }
        }
        for h in 0..<hosts { refresh(h) }
        var current = (0..<hosts).reduce(0.0) { $0 + overload($1) }
        var outcome = Outcome(leastOverload: current)
        let cooling = pow(Self.coldest / Self.hottest, 1 / Double(Self.cycle))
        var temperature = Self.hottest
        var step = 0
        while !over.isEmpty {
            step += 1
            if step & 0x3FFF == 0 {
                // A step draws four random numbers and moves one or two VMs: measured at 0.32 µs
                // in three dimensions on a machine 1.6 times the reference's speed.
                allowance.spend(0x4000 * (0.05 + 0.15 * Double(D)))
                if allowance.expired { break }
                // Loads drift by rounding: add them up again now and then.
                for h in 0..<hosts {
                    for d in 0..<D { load[h * D + d] = members[h].reduce(0.0) { $0 + sizes[$1][d] } }
                    refresh(h)
                }
                current = (0..<hosts).reduce(0.0) { $0 + overload($1) }
            }
            temperature *= cooling
            if step % Self.cycle == 0 { temperature = Self.hottest }
            let a = over[Int.random(in: 0..<over.count, using: &random)]
            let v = members[a][Int.random(in: 0..<members[a].count, using: &random)]
            var b = Int.random(in: 0..<(hosts - 1), using: &random)
            if b >= a { b += 1 }
            // Swap with a VM of b when b is full, or half the time.
            let u: Int? = members[b].count >= vmLimit || (!members[b].isEmpty && Bool.random(using: &random))
                ? members[b][Int.random(in: 0..<members[b].count, using: &random)] : nil
            let before = overload(a) + overload(b)
            remove(v)
            if let u { remove(u); place(u, a) }
            place(v, b)
            let delta = overload(a) + overload(b) - before
            if delta > 1e-12, Double.random(in: 0..<1, using: &random) >= exp(-delta / temperature) {
                remove(v)
                if let u { remove(u); place(u, b) }
                place(v, a)
                continue
            }
            current += delta
            refresh(a)
            refresh(b)
            outcome.leastOverload = min(outcome.leastOverload, max(0, current))
        }
        outcome.steps = step
        if over.isEmpty {
            outcome.hostOf = hostOf
            outcome.leastOverload = 0
        }
        return outcome
    }
}
