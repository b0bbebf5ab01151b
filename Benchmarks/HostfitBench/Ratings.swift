import Foundation
import Hostfit

/// Issue 16's targets: rating one VM against 1,000 hosts (168-bucket profiles under 5 ms, a
/// week of 5-minute history under 20 ms), placing 1,000 new VMs one by one (under 2 s), and
/// online placement against the batch plan on Bitbrains (at most 10% more hosts).
enum Ratings {
    /// 1,000 hosts running `perHost` synthetic VMs each, and `fresh` new ones, `buckets` per day-week.
    static func estate(buckets: Int, fresh: Int, seed: UInt64) -> (PlacementProblem, Assignment, [Int]) {
        var rng = SeededGenerator(seed: seed)
        let hostCount = 1000, perHost = 6
        let hosts = (0..<hostCount).map { VMHost(id: "h\($0)", cpuCores: 48, cpuMHzPerCore: 2400, memoryMB: 393_216) }
        let total = hostCount * perHost + fresh
        var shapes: [[Double]] = [], memory: [Double] = []
        var vms: [VM] = []
        for v in 0..<total {
            let base = Double.random(in: 300...2500, using: &rng)
            let kind = Int.random(in: 0..<3, using: &rng)
            shapes.append((0..<buckets).map { b in
                let hour = (b * 168 / buckets) % 24
                let busy: Double = kind == 0 ? ((8..<18).contains(hour) ? 2.5 : 0.6) : kind == 1 ? ((1..<5).contains(hour) ? 3 : 0.5) : 1
                return base * busy * Double.random(in: 0.85...1.15, using: &rng)
            })
            memory.append(Double.random(in: 2048...24_576, using: &rng))
            vms.append(VM(id: "vm\(v)", vcpus: 4, memoryMB: memory[v]))
        }
        let problem = PlacementProblem(inventory: Inventory(hosts: hosts, vms: vms), headroom: Headroom(), rules: PlacementRules(),
                                       buckets: buckets, traced: nil) { vm, resource in
            let v = Int(vm.id.dropFirst(2))!
            return resource == .cpu ? shapes[v] : resource == .memory ? [Double](repeating: memory[v], count: buckets) : nil
        }
        let current = Assignment(hostOf: (0..<total).map { $0 < hostCount * perHost ? $0 % hostCount : Assignment.unplaced })
        return (problem, current, Array((hostCount * perHost)..<total))
    }

    static func run(traces: String?) throws {
        print("Rating one new VM against 1,000 hosts running 6,000 VMs (mean of 200 ratings, every host rated), and placing 1,000 one by one:")
        print(pad("demand", 26) + pad("per rating ms", 15, right: true) + pad("target", 9, right: true) + pad("1,000 placed s", 16, right: true) + pad("target", 8, right: true))
        for (name, buckets, target) in [("168-bucket profiles", 168, 5.0), ("a week of 5-min history", 2016, 20.0)] {
            let (problem, current, fresh) = estate(buckets: buckets, fresh: 1000, seed: 16)
            let rater = HostRater(problem, current: current)
            let clock = ContinuousClock()
            let t0 = clock.now
            var sink = 0.0
            for k in 0..<200 { sink += rater.rate(fresh[k % fresh.count]).first?.score ?? 0 }
            let perRating = seconds(clock.now - t0) * 1000 / 200
            let t1 = clock.now
            var placer = IncrementalPlacer(problem, current: current)
            let placed = placer.placeOneByOne(fresh, goal: .consolidate, everyRating: true).placed
            let placeAll = seconds(clock.now - t1)
            print(pad(name, 26) + pad(String(format: "%.2f", perRating), 15, right: true) + pad("< \(Int(target)) \(perRating < target ? "met" : "NOT")", 9, right: true)
                  + pad(String(format: "%.2f", placeAll), 16, right: true)
                  + pad(buckets == 168 ? "< 2 \(placeAll < 2 ? "met" : "NOT")" : "-", 8, right: true)
                  + "  (\(placed.count { $0.host != nil }) placed; checksum \(Int(sink)))")
        }
        guard let traces else { return }
        // Online against batch: the Bitbrains VMs, one at a time with consolidate, against plan.
        let demand = try TracedDemand.read([traces], sizing: .history)
        let hosts = (1...60).map { VMHost(id: String(format: "host%03d", $0), cpuCores: 32, cpuMHzPerCore: 2600, memoryMB: 262_144) }
        let problem = try PlacementProblem(hosts: hosts, vms: nil, demand: demand, headroom: try Headroom(parsing: "cpu=80,memory=90"))
        let clock = ContinuousClock(), t0 = clock.now
        var placer = IncrementalPlacer(problem, current: Assignment(vmCount: problem.vmCount))
        let online = placer.placeOneByOne(Array(0..<problem.vmCount), goal: .consolidate, everyRating: true).placed
        let onlineSeconds = seconds(clock.now - t0)
        let onlineHosts = Set(online.compactMap(\.host)).count
        let t1 = clock.now
        let batch = try ValidatedPlan(Planner.plan(problem, options: PlanOptions(timeLimit: 30)), for: problem)
        let batchSeconds = seconds(clock.now - t1)
        let extra = Double(onlineHosts - batch.hostsUsed) / Double(batch.hostsUsed) * 100
        print("Bitbrains Rnd, \(problem.vmCount) VMs over \(problem.buckets) five-minute intervals, hosts of 32 cores x 2.6 GHz, 256 GB:")
        print(String(format: "  one at a time (consolidate): %d hosts, %d placed, %.2f s; batch plan: %d hosts, %.1f s; online uses %.1f%% more (target at most 10%%: %@)",
                     onlineHosts, online.count { $0.host != nil }, onlineSeconds, batch.hostsUsed, batchSeconds, extra, extra <= 10 ? "met" : "NOT met"))
    }
}
