import Foundation
import Hostfit

/// Sizing methods side by side on a real trace: plan on the first part, replay the rest.
enum Sizing {
    struct Method {
        var name: String
        var problem: PlacementProblem
        var improve: Bool
        var packing: PackingRule? = nil
    }

    static func run(traces: String, split: Int64, hostCount: Int) throws {
        let clock = ContinuousClock(), started = clock.now
        let read = try TraceLoader.read([traces], scheme: .hourOfWeek, keepSeries: true)
        let train = DemandHistory(read, until: split, step: 300)
        let test = DemandHistory(read, from: split, step: 300)
        let vms = read.entities.compactMap { entity -> VM? in
            guard let a = read.profileAllocation(entity), train.series[entity] != nil else { return nil }
            return VM(id: entity, vcpus: a.cores ?? 1, memoryMB: a.memoryMB ?? 1)
        }
        let hosts = (1...hostCount).map { VMHost(id: String(format: "host%03d", $0), cpuCores: 32, cpuMHzPerCore: 2600, memoryMB: 262_144) }
        let headroom = try Headroom(parsing: "cpu=80,memory=90")
        let inventory = Inventory(hosts: hosts, vms: vms)
        print("Bitbrains Rnd, \(vms.count) VMs: planned on \(date(train.start)) to \(date(split)) (\(train.slots) five-minute intervals),")
        print("replayed on \(date(split)) to \(date(test.start + Int64(test.slots) * test.step)) (\(test.slots) intervals); hosts of 32 cores x 2.6 GHz, 256 GB; headroom cpu=80 memory=90")
        print(String(format: "read in %.1f s", seconds(clock.now - started)))

        func stat(_ series: [Double], _ f: ([Double]) -> Double) -> Double { f(series) }
        func staticDemand(_ f: @escaping ([Double]) -> Double) -> PlacementProblem {
            PlacementProblem(inventory: inventory, headroom: headroom, rules: PlacementRules(), buckets: 1, traced: nil) { vm, resource in
                train.series[vm.id]?[resource].map { [f($0)] }
            }
        }
        let allocation = PlacementProblem(inventory: inventory, headroom: headroom, rules: PlacementRules(), buckets: 1, traced: nil) { vm, resource in
            guard let a = read.profileAllocation(vm.id) else { return nil }
            return resource == .cpu ? a.cpuMHz.map { [$0] } : resource == .memory ? a.memoryMB.map { [$0] } : nil
        }
        let hourOfWeek = PlacementProblem(inventory: inventory, headroom: headroom, rules: PlacementRules(), buckets: 168, traced: nil) { vm, resource in
            guard let series = train.series[vm.id]?[resource] else { return nil }
            var buckets = [[Double]](repeating: [], count: 168)
            for (k, value) in series.enumerated() { buckets[BucketScheme.hourOfWeek.bucket(train.start + Int64(k) * train.step)].append(value) }
            let fill = series.max() ?? 0
            return buckets.map { values in
                var v = values
                return v.isEmpty ? fill : percentile(&v, 0.95)
            }
        }
        let history = PlacementProblem(inventory: inventory, headroom: headroom, history: train)
        let methods = [
            // The simple methods as the issue measured them: first-fit decreasing, nothing after.
            Method(name: "allocation", problem: allocation, improve: false, packing: .ffdSum),
            Method(name: "sum of per-VM peaks", problem: staticDemand { $0.max() ?? 0 }, improve: false, packing: .ffdSum),
            Method(name: "sum of per-VM p95", problem: staticDemand { var v = $0; return percentile(&v, 0.95) }, improve: false, packing: .ffdSum),
            Method(name: "hour-of-week p95 profile", problem: hourOfWeek, improve: false, packing: .ffdSum),
            Method(name: "first fit on the 5-min series", problem: history, improve: false, packing: .ffdSum),
            Method(name: "Hostfit default (series + improve)", problem: history, improve: true),
        ]

        // The bound: the peak of summed demand over usable capacity, per resource.
        var bound = 0.0
        for resource in [Resource.cpu, .memory] {
            var total = [Double](repeating: 0, count: train.slots)
            for vm in vms { if let s = train.series[vm.id]?[resource] { for k in 0..<train.slots { total[k] += s[k] } } }
            let usable = (hosts[0].capacity[resource] ?? 1) * headroom.fraction(for: resource)
            bound = max(bound, (total.max() ?? 0) / usable)
        }

        print("")
        print(pad("method", 36) + pad("hosts", 7, right: true) + pad("over capacity", 15, right: true) + pad("over headroom", 15, right: true) + pad("seconds", 9, right: true) + "  valid")
        for method in methods {
            let start = clock.now
            var options = PlanOptions(solver: .heuristic, improve: method.improve)
            options.packing = method.packing
            let outcome = Planner.plan(method.problem, options: options)
            let elapsed = seconds(clock.now - start)
            let plan = try ValidatedPlan(outcome, for: method.problem)   // every plan passes the validator
            let replay = Replay.run(plan.placement, hosts: hosts, history: test, headroom: headroom)
            let unplaced = plan.unplaced.isEmpty ? "" : " (\(plan.unplaced.count) unplaced)"
            print(pad(method.name, 36) + pad("\(plan.hostsUsed)", 7, right: true)
                  + pad(String(format: "%.3f%%", replay.overCapacityShare * 100), 15, right: true)
                  + pad(String(format: "%.3f%%", replay.overHeadroomShare * 100), 15, right: true)
                  + pad(String(format: "%.2f", elapsed), 9, right: true) + "  yes" + unplaced)
        }
        print(String(format: "lower bound (peak of summed demand over usable capacity): %.1f hosts, so %d", bound, Int(bound.rounded(.up))))
        // The same bound for the hour-of-week p95 profile: it sums each VM's worst week.
        var profileBound = 0.0
        for (r, resource) in hourOfWeek.resources.enumerated() where resource == .cpu || resource == .memory {
            let usable = (hosts[0].capacity[resource] ?? 1) * headroom.fraction(for: resource)
            for b in 0..<168 {
                let total = (0..<hourOfWeek.vmCount).reduce(0.0) { $0 + hourOfWeek.demand($1, r, b) }
                profileBound = max(profileBound, total / usable)
            }
        }
        print(String(format: "hour-of-week p95 profile's own bound: %.1f hosts: summing each VM's p95 per hour sums each VM's worst week,", profileBound))
        print("above the peak of what the VMs really demanded together; the coincidence of peaks lives in the series itself")

        // Issue 5: large-neighbourhood search on the same plan (GLPK repacking a few hosts at a time).
        let before = try ValidatedPlan(Planner.plan(history, options: PlanOptions(solver: .heuristic)), for: history)
        let lnsStart = clock.now
        let searched = Planner.plan(history, options: PlanOptions(solver: .auto, timeLimit: 30))
        let lnsSeconds = seconds(clock.now - lnsStart)
        let after = try ValidatedPlan(searched, for: history)
        let lnsReplay = Replay.run(after.placement, hosts: hosts, history: test, headroom: headroom)
        print("")
        print("Large-neighbourhood search (--solver auto, 30 s): \(before.hostsUsed) hosts before, \(after.hostsUsed) after"
              + " (bound \(searched.lowerBound.hosts), gap \(String(format: "%.1f", (searched.gap ?? 0) * 100))%), \(String(format: "%.1f", lnsSeconds)) s;"
              + " held out: \(String(format: "%.3f%%", lnsReplay.overCapacityShare * 100)) over capacity, \(String(format: "%.3f%%", lnsReplay.overHeadroomShare * 100)) over headroom")
        for note in searched.notes where note.code == .largeNeighbourhoodSearch { print("  \(note.message)") }

        print("")
        print("Packing rules on the 5-min series (Panigrahy et al. 2011), alone and with the improvement phase;")
        print("held-out share over headroom by how balancing accepts swaps (each half of the history is the default):")
        let acceptances: [SwapAcceptance] = [.none, .wholeHistory, .eachHalf]
        print(pad("rule", 10) + pad("hosts", 7, right: true) + pad("seconds", 9, right: true) + pad("improved", 10, right: true)
              + acceptances.map { pad($0 == .none ? "no swaps" : $0.rawValue, 15, right: true) }.joined() + pad("seconds", 9, right: true))
        for rule in PackingRule.allCases {
            var options = PlanOptions(solver: .heuristic, improve: false)
            options.packing = rule
            let t0 = clock.now
            let plain = try ValidatedPlan(Planner.plan(history, options: options), for: history)
            let t1 = clock.now
            options.improve = true
            var shares: [String] = [], hostsImproved = 0, improveSeconds = 0.0
            for acceptance in acceptances {
                options.swaps = acceptance
                let t2 = clock.now
                let improved = try ValidatedPlan(Planner.plan(history, options: options), for: history)
                if acceptance == .eachHalf { hostsImproved = improved.hostsUsed; improveSeconds = seconds(clock.now - t2) }
                let replay = Replay.run(improved.placement, hosts: hosts, history: test, headroom: headroom)
                shares.append(pad(String(format: "%.3f%%", replay.overHeadroomShare * 100), 15, right: true))
            }
            print(pad(rule.rawValue, 10) + pad("\(plain.hostsUsed)", 7, right: true) + pad(String(format: "%.2f", seconds(t1 - t0)), 9, right: true)
                  + pad("\(hostsImproved)", 10, right: true) + shares.joined() + pad(String(format: "%.2f", improveSeconds), 9, right: true))
        }
    }

    static func percentile(_ values: inout [Double], _ q: Double) -> Double {
        values.sort()
        guard !values.isEmpty else { return 0 }
        let rank = q * Double(values.count - 1), lo = Int(rank)
        let hi = min(lo + 1, values.count - 1)
        return values[lo] + (values[hi] - values[lo]) * (rank - Double(lo))
    }

    static func date(_ t: Int64) -> String {
        let f = DateFormatter()
        f.dateFormat = "MMM d HH:mm"
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: Date(timeIntervalSince1970: TimeInterval(t)))
    }
}

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }

func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
    s.count >= width ? s : (right ? String(repeating: " ", count: width - s.count) + s : s + String(repeating: " ", count: width - s.count))
}
