import Foundation
import Hostfit

/// Synthetic scale test: VMs with hour-of-week demand (office hours, nightly batch or flat,
/// with noise) onto three host models, planned by the heuristic pipeline.
enum Scale {
    static func problem(vms count: Int, seed: UInt64) -> PlacementProblem {
        var rng = SeededGenerator(seed: seed)
        let models: [(cores: Int, mhz: Double, memory: Double)] = [(32, 2600, 262_144), (48, 2400, 393_216), (64, 2200, 524_288)]
        let hosts = (0..<(count / 8)).map { k in
            let m = models[k % 3]
            return VMHost(id: "h\(k)", model: "m\(k % 3)", cpuCores: m.cores, cpuMHzPerCore: m.mhz, memoryMB: m.memory)
        }
        var vms: [VM] = []
        var shapes: [[Double]] = []
        var memory: [Double] = []
        for v in 0..<count {
            let vcpus = [1, 2, 4, 8].randomElement(using: &rng)!
            let base = Double.random(in: 200...1500, using: &rng) * Double(vcpus)
            let kind = Int.random(in: 0..<3, using: &rng)
            shapes.append((0..<168).map { b in
                let hour = b % 24, weekday = b / 24 < 5
                let busy: Double = switch kind {
                case 0: (weekday && hour >= 8 && hour < 18) ? 2.5 : 0.6
                case 1: (hour >= 1 && hour < 5) ? 3 : 0.5
                default: 1
                }
                return base * busy * Double.random(in: 0.8...1.2, using: &rng)
            })
            memory.append(Double(vcpus) * Double.random(in: 1024...6144, using: &rng))
            vms.append(VM(id: "vm\(v)", vcpus: vcpus, memoryMB: memory[v] * 1.5))
        }
        let headroom = Headroom()
        return PlacementProblem(inventory: Inventory(hosts: hosts, vms: vms), headroom: headroom, rules: PlacementRules(), buckets: 168, traced: nil) { vm, resource in
            let v = Int(vm.id.dropFirst(2))!
            return resource == .cpu ? shapes[v] : resource == .memory ? [Double](repeating: memory[v], count: 168) : nil
        }
    }

    static func run(sizes: [Int], packing: PackingRule? = nil) throws {
        print("Synthetic hour-of-week demand (office hours, nightly batch, flat), 2 resources, 168 buckets, 3 host models;")
        print("'first plan' is bounds + first-fit decreasing; the improvement phase then uses the rest of the time limit.")
        print(pad("VMs", 9, right: true) + pad("hosts", 8, right: true) + pad("bound", 8, right: true) + pad("first plan s", 14, right: true)
              + pad("total s", 9, right: true) + pad("peak MB", 9, right: true) + "  target")
        for n in sizes {
            let clock = ContinuousClock(), t0 = clock.now
            let problem = problem(vms: n, seed: UInt64(n))
            let t1 = clock.now
            let limit = n <= 10_000 ? 5.0 : 60.0
            var options = PlanOptions(solver: .auto, timeLimit: limit * 0.9)
            options.packing = packing
            let outcome = Planner.plan(problem, options: options)
            let t2 = clock.now
            let plan = try ValidatedPlan(outcome, for: problem)
            let peak = peakResidentMB()
            let planSeconds = seconds(t2 - t1)
            let met = planSeconds < limit && peak < 4096 && plan.unplaced.isEmpty
            let first = outcome.phases.filter { $0.phase == .bounds || $0.phase == .packing }.reduce(0) { $0 + $1.seconds }
            _ = t0
            print(pad("\(n)", 9, right: true) + pad("\(plan.hostsUsed)", 8, right: true) + pad("\(outcome.lowerBound.hosts)", 8, right: true)
                  + pad(String(format: "%.2f", first), 14, right: true) + pad(String(format: "%.2f", planSeconds), 9, right: true)
                  + pad(String(format: "%.0f", peak), 9, right: true) + "  < \(Int(limit)) s, < 4 GB: " + (met ? "met" : "NOT met"))
        }
    }

    static func peakResidentMB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
        return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
    }
}
