import Foundation

/// What a rating of hosts for a new VM prefers (System Center VMM's placement goals).
public enum PlacementGoal: String, Sendable, CaseIterable {
    /// The host left least and most evenly loaded (Kubernetes' LeastAllocated with
    /// BalancedAllocation; SCVMM's load balancing).
    case balance
    /// The tightest fit: fill busy hosts, keep empty ones empty (Kubernetes' MostAllocated;
    /// SCVMM's resource maximization).
    case consolidate
}

/// One host's rating for one VM: 0 to 5 stars in half steps, 0 when the VM cannot go there.
public struct HostRating: Sendable, Equatable {
    public var host: String
    public var stars: Double
    /// 0...100, higher is better; 0 when excluded.
    public var score: Double
    /// Why, in words: the rule and its numbers for 0 stars, the limiting resource otherwise.
    public var reason: String
    /// The rule that excludes the host (the validator's), for 0 stars.
    public var rule: Violation.Rule?
}

/// Rates every host for a VM against the infrastructure as it is now: the loads of the VMs
/// placed so far (their current hosts, then each VM placed through `place`), over time.
///
/// Hard rules are exactly the engine's: a host passes `HostLoads.fits` (state, max_vms, tags,
/// cluster, anti-affinity, capacity with headroom in every time bucket) and keeps its
/// cluster's N+k reserve, so a host rated above 0 is one where `PlanValidator` accepts the
/// VM added. Above 0 the score is time-aware, from three terms per resource (weighted):
/// - room: 1 - the host's peak utilization with the VM (balance), or its mean utilization
///   with the VM (consolidate: the fuller the better);
/// - complementarity: 1 - (rise of the host's peak) / (the VM's own peak), so a VM busy at
///   night rates higher on a host busy by day than on one busy at night with the same peak;
/// - balance: 1 - the spread of peak utilization across resources (Kubernetes'
///   BalancedAllocation); for consolidate, whether the host already runs VMs.
/// score = 100 x (0.5 room + 0.3 complementarity + 0.2 third term); stars = score / 20 in
/// half steps, at least half a star where the VM fits. A VM that needs a licence the host
/// does not pay for yet scores half there (the reason gives the price): the host that pays
/// already is the cheaper home. O(H x R x B) per rating.
public struct HostRater: Sendable {
    /// A caller's rule on top of the problem's: why host `h` may not take VM `v`, or nil.
    public typealias Gate = @Sendable (_ v: Int, _ h: Int) -> (Violation.Rule, String)?

    public private(set) var loads: HostLoads
    /// Consulted with the problem's rules by every rating and placement while set (a
    /// tenant's quota in a cluster, say); nil, the usual case, costs nothing.
    public var gate: Gate?
    /// What each host pays in licences its VMs need, where VMs need any.
    private var licences: LicenceTally?
    public var problem: PlacementProblem { loads.problem }

    /// Loads from `current` (host index per VM, `Assignment.unplaced` for VMs not running).
    public init(_ problem: PlacementProblem, current: Assignment) {
        var loads = HostLoads(problem)
        loads.hostOf = current.hostOf
        for (v, h) in current.hostOf.enumerated() where h >= 0 { loads.add(v, to: h) }
        self.loads = loads
        if problem.licensing.placementMatters { licences = LicenceTally(problem, current) }
    }

    /// Loads from the VMs' `currentHost` in the inventory.
    public init(_ problem: PlacementProblem) {
        let hostOf = problem.vms.map { vm in vm.currentHost.flatMap { problem.host(named: $0) } ?? Assignment.unplaced }
        self.init(problem, current: Assignment(hostOf: hostOf))
    }

    /// Every host, best first (ties by host order).
    public func rate(_ vm: Int, goal: PlacementGoal = .balance, weights: [Resource: Double] = [:]) -> [HostRating] {
        let problem = loads.problem
        let w = weightVector(weights)
        let ratings = (0..<problem.hostCount).filter { !problem.isPurchasable($0) }.map { rate(vm, on: $0, goal: goal, weights: w) }
        return ratings.enumerated().sorted { a, b in
            a.element.score != b.element.score ? a.element.score > b.element.score : a.offset < b.offset
        }.map(\.element)
    }

    /// The host `rate(vm).first { $0.stars > 0 }` names, rated, without rating every host in
    /// words: what a placement needs, at a fraction of the cost. Nil when no host takes it.
    public func best(_ vm: Int, goal: PlacementGoal = .balance, weights: [Resource: Double] = [:]) -> HostRating? {
        let problem = loads.problem
        let w = weightVector(weights)
        var top = -1, topScore = -Double.infinity
        for h in 0..<problem.hostCount where !problem.isPurchasable(h) && admits(vm, h) {
            let score = Self.rounded(score(vm, on: h, goal: goal, weights: w).score)
            if score > topScore { top = h; topScore = score }
        }
        return top < 0 ? nil : rate(vm, on: top, goal: goal, weights: w)
    }

    public func rate(_ v: Int, on h: Int, goal: PlacementGoal, weights: [Resource: Double]) -> HostRating {
        rate(v, on: h, goal: goal, weights: weightVector(weights))
    }

    private func rate(_ v: Int, on h: Int, goal: PlacementGoal, weights: [Double]) -> HostRating {
        let problem = loads.problem
        let host = problem.hosts[h]
        if let (rule, why) = exclusion(v, h) { return HostRating(host: host.id, stars: 0, score: 0, reason: why, rule: rule) }
        let (score, limiting) = score(v, on: h, goal: goal, weights: weights)
        let stars = max(0.5, min(5, (score / 10).rounded() / 2))
        var reason = limiting.map { "fits; \(problem.resources[$0.r].name) peaks at \(Resource.number(($0.peak * 1000).rounded() / 10))% of its headroom with it" } ?? "fits"
        if let licences, case let added = licences.added([v], on: h), added > 0 {
            let names = problem.licensing.needs[v].filter { !licences.pays(h, $0) }.map { problem.licensing.licences[$0].name }
            reason += "; the host would start paying \(names.joined(separator: ", ")) (\(Resource.number(added)))"
        }
        return HostRating(host: host.id, stars: stars, score: Self.rounded(score), reason: reason, rule: nil)
    }

    static func rounded(_ score: Double) -> Double { (score * 10).rounded() / 10 }

    func weightVector(_ weights: [Resource: Double]) -> [Double] {
        loads.problem.resources.map { weights[$0] ?? 1 }
    }

    /// The score of a host the VM may use, and its fullest resource with the VM there.
    func score(_ v: Int, on h: Int, goal: PlacementGoal, weights: [Double]) -> (score: Double, limiting: (r: Int, peak: Double)?) {
        let problem = loads.problem
        let R = problem.resourceCount, B = problem.buckets
        var room = 0.0, complement = 0.0, total = 0.0
        var limiting: (r: Int, peak: Double)?
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: R) { peaks in
            var counted = 0
            for r in 0..<R {
                let cap = problem.capacity(h, r)
                guard cap.isFinite, cap > 0, problem.peakDemand(v, r) > 0 || loads.peak(h, r) > 0 else { continue }
                let w = weights[r]
                guard w > 0 else { continue }
                let lbase = (h * R + r) * B, dbase = (v * R + r) * B
                let (before, after, sum) = loads.load.withUnsafeBufferPointer { load in
                    problem.demand.withUnsafeBufferPointer { demand in
                        Self.peaksAndSum(load.baseAddress! + lbase, demand.baseAddress! + dbase, B)
                    }
                }
                let mean = sum / Double(B)
                let own = problem.peakDemand(v, r)
                let c = own > 0 ? max(0, min(1, 1 - (after - before) / own)) : 1
                room += w * (goal == .balance ? 1 - after / cap : mean / cap)
                complement += w * c
                total += w
                peaks[counted] = after / cap
                counted += 1
                if after / cap > (limiting?.peak ?? -1) { limiting = (r, after / cap) }
            }
            let third: Double
            switch goal {
            case .balance:
                var sum = 0.0
                for k in 0..<counted { sum += peaks[k] }
                let mean = counted == 0 ? 0 : sum / Double(counted)
                var squares = 0.0
                for k in 0..<counted { squares += (peaks[k] - mean) * (peaks[k] - mean) }
                let spread = counted == 0 ? 0 : (squares / Double(counted)).squareRoot()
                third = max(0, 1 - 2 * spread)
            case .consolidate:
                third = loads.count[h] > 0 ? 1 : 0
            }
            var score = total > 0 ? 100 * (0.5 * room / total + 0.3 * complement / total + 0.2 * third) : 100 * 0.2 * third + 80
            if let licences, licences.added([v], on: h) > 0 { score *= 0.5 }
            return (score, limiting)
        }
    }

    /// The peak of `load`, the peak and the sum of `load + demand`, over `count` buckets
    /// (at least 0). Four independent chains: with 168 hourly buckets this loop is most of a
    /// rating, and a single chain waits on each max in turn.
    @inline(__always)
    static func peaksAndSum(_ load: UnsafePointer<Double>, _ demand: UnsafePointer<Double>, _ count: Int) -> (before: Double, after: Double, sum: Double) {
        var l0 = 0.0, l1 = 0.0, l2 = 0.0, l3 = 0.0
        var a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var b = 0
        while b + 4 <= count {
            let x0 = load[b], x1 = load[b + 1], x2 = load[b + 2], x3 = load[b + 3]
            let y0 = x0 + demand[b], y1 = x1 + demand[b + 1], y2 = x2 + demand[b + 2], y3 = x3 + demand[b + 3]
            l0 = x0 > l0 ? x0 : l0; l1 = x1 > l1 ? x1 : l1; l2 = x2 > l2 ? x2 : l2; l3 = x3 > l3 ? x3 : l3
            a0 = y0 > a0 ? y0 : a0; a1 = y1 > a1 ? y1 : a1; a2 = y2 > a2 ? y2 : a2; a3 = y3 > a3 ? y3 : a3
            s0 += y0; s1 += y1; s2 += y2; s3 += y3
            b += 4
        }
        var before = max(max(l0, l1), max(l2, l3)), after = max(max(a0, a1), max(a2, a3)), sum = (s0 + s1) + (s2 + s3)
        while b < count {
            let x = load[b], y = x + demand[b]
            if x > before { before = x }
            if y > after { after = y }
            sum += y
            b += 1
        }
        return (before, after, sum)
    }

    /// Places the VM (the next ratings see it).
    public mutating func place(_ vm: Int, on host: Int) {
        loads.add(vm, to: host)
        licences?.add(vm, to: host)
        if loads.hostOf.indices.contains(vm) { loads.hostOf[vm] = host }
    }

    /// Takes a placed VM off its host (the next ratings no longer see it).
    public mutating func release(_ vm: Int, from host: Int) {
        loads.remove(vm, from: host)
        licences?.remove(vm, from: host)
        if loads.hostOf.indices.contains(vm) { loads.hostOf[vm] = Assignment.unplaced }
    }

    /// Adds VMs to the problem, unplaced, keeping the loads (see `PlacementProblem.append`);
    /// false, changing nothing, where the problem must be built anew.
    public mutating func append(_ vms: [VM], demandOf: (VM, Resource) -> [Double]? = { _, _ in nil }) -> Bool {
        guard loads.append(vms, demandOf: demandOf) else { return false }
        if loads.problem.licensing.placementMatters {
            if licences == nil { licences = LicenceTally(loads.problem, Assignment(hostOf: loads.hostOf)) } else { licences?.adopt(loads.problem.licensing) }
        }
        return true
    }

    /// Whether the VM may go on the host: `exclusion(v, h) == nil`, without its words.
    func admits(_ v: Int, _ h: Int) -> Bool {
        if let gate, gate(v, h) != nil { return false }
        guard loads.problem.rules.unitOf[v] < 0 else { return exclusion(v, h) == nil }
        return loads.fits(v, on: h) && (loads.problem.rules.reserve == 0 || reserveExclusion(v, h) == nil)
    }

    /// The rule that keeps the VM off the host, with its numbers; nil when it may go there.
    func exclusion(_ v: Int, _ h: Int) -> (Violation.Rule, String)? {
        if let gate, let barred = gate(v, h) { return barred }
        // Most hosts take the VM: the incremental test settles that without a scan of buckets.
        if problem.rules.unitOf[v] < 0, loads.fits(v, on: h) { return reserveExclusion(v, h) }
        if let first = loads.blockers(v, on: h, all: false).first { return (first.rule, first.message) }
        if loads.fits(v, on: h) { return reserveExclusion(v, h) }
        return (.capacity, "does not fit (rules or capacity)")
    }

    /// N+k: the VM on the host must leave its cluster able to lose its k largest hosts.
    func reserveExclusion(_ v: Int, _ h: Int) -> (Violation.Rule, String)? {
        guard problem.rules.reserve > 0 else { return nil }
        var trial = loads
        trial.add(v, to: h)
        if trial.reserveRatio(cluster: problem.rules.clusterOf[h]) > 1 + 1e-9 {
            return (.reserve, "the cluster would lose its N+\(problem.rules.reserve) reserve")
        }
        return nil
    }

    /// "Tue 2013-07-09 14:05" (UTC) for a moment of a history.
    static func moment(_ epoch: Int64) -> String {
        let days = Int64((Double(epoch) / 86_400).rounded(.down)), seconds = epoch - days * 86_400
        // Civil date from days since 1970-01-01 (Hinnant's algorithm), 1970-01-01 a Thursday.
        let z = days + 719_468, era = (z >= 0 ? z : z - 146_096) / 146_097, doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365, doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        let weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][Int(((days % 7) + 10) % 7)]
        return String(format: "%@ %04lld-%02lld-%02lld %02lld:%02lld", weekday, y, m, d, seconds / 3600, (seconds % 3600) / 60)
    }

    /// "Tue 14:00" for hour-of-week buckets, "14:00" for hour-of-day ones, nil otherwise.
    static func bucketLabel(_ b: Int, of count: Int) -> String? {
        let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        switch count {
        case 168: return "\(days[b / 24]) \(String(format: "%02d", b % 24)):00"
        case 24: return "\(String(format: "%02d", b)):00"
        default: return nil
        }
    }
}

/// A new VM's ratings and the host it went to (nil when every host rated 0 stars).
public struct PlacementSuggestion: Sendable {
    public var vm: String
    /// Every host, best first.
    public var ratings: [HostRating]
    public var host: String?
}

extension HostRater {
    /// "★★★½☆" for 3.5 stars.
    public static func drawn(_ stars: Double) -> String {
        let full = Int(stars), half = stars - Double(full) >= 0.5
        return String(repeating: "★", count: full) + (half ? "½" : "") + String(repeating: "☆", count: 5 - full - (half ? 1 : 0))
    }
}
