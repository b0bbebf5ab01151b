import Foundation
import Hostfit

/// Consolidation plans run as background jobs on a snapshot of the inventory: the desk is
/// free again as soon as the snapshot is taken, so reads and placements never wait on a
/// plan. A plan is a proposal (its placements are not applied), checked by the validator
/// before it is reported. Jobs are kept in the store (the newest `kept`): a finished plan
/// survives a restart, and one that a restart cut short says so.
public actor PlanJobs {
    public struct Progress: Codable, Sendable {
        public var phase: String
        public var hosts: Int?
        public var bound: Int
        public var elapsedS: Double
        public var timeLimitS: Double
        enum CodingKeys: String, CodingKey { case phase, hosts, bound, elapsedS = "elapsed_s", timeLimitS = "time_limit_s" }
    }

    public struct Result: Codable, Sendable {
        public var hostsUsed: Int
        public var lowerBound: Int
        public var status: String
        public var gap: Double?
        public var migrations: Int
        public var vmsUnplaced: Int
        public var headline: String
        /// vm -> host
        public var placements: [String: String]
        enum CodingKeys: String, CodingKey {
            case hostsUsed = "hosts_used", lowerBound = "lower_bound", status, gap, migrations, vmsUnplaced = "vms_unplaced", headline, placements
        }
    }

    public struct Job: Codable, Sendable {
        public var id: String
        public enum State: String, Codable, Sendable { case running, done, failed }
        public var state: State
        public var progress: Progress?
        public var result: Result?
        public var error: String?
    }

    private var jobs: [String: Job] = [:]
    private var next = 1
    /// At most this many plans at once: a plan uses a core while it searches.
    let running = 1
    let store: ServiceStore?
    /// Plans kept (each holds a placement of every VM).
    static let kept = 50

    /// Jobs in memory only, without a store.
    public init() { store = nil }

    /// The jobs `store` kept; a job still running when the server stopped is failed.
    public init(store: ServiceStore) throws {
        self.store = store
        for (seq, body) in try store.kept(.plans) {
            guard var job = try? JSONDecoder().decode(Job.self, from: Data(body.utf8)) else { continue }
            if job.state == .running {
                job.state = .failed
                job.error = "the server stopped while this plan ran: POST /plans to run it again"
                try? store.save(.plans, id: job.id, seq: seq, body: ServiceStore.json(job), keeping: Self.kept)
            }
            jobs[job.id] = job
            next = max(next, seq + 1)
        }
    }

    /// Keeps `id` as it stands in the store; a store that refuses keeps it in memory only.
    private func keep(_ id: String) {
        guard let store, let job = jobs[id], let seq = Int(id.dropFirst(5)), let body = try? ServiceStore.json(job) else { return }
        try? store.save(.plans, id: id, seq: seq, body: body, keeping: Self.kept)
        for old in jobs.keys where (Int(old.dropFirst(5)) ?? 0) <= seq - Self.kept { jobs[old] = nil }
    }

    /// Starts a plan of `problem`; nil when one is already running.
    public func start(_ problem: PlacementProblem, options: PlanOptions) -> Job? {
        guard jobs.values.count(where: { $0.state == .running }) < running else { return nil }
        let id = "plan-\(next)"
        next += 1
        let job = Job(id: id, state: .running, progress: nil, result: nil, error: nil)
        jobs[id] = job
        keep(id)
        var options = options
        options.progress = { [weak self] p in
            let progress = Progress(phase: p.phase.rawValue, hosts: p.hosts, bound: p.bound, elapsedS: (p.elapsed * 10).rounded() / 10, timeLimitS: p.timeLimit)
            Task { await self?.update(id, progress: progress) }
        }
        let planOptions = options
        Task.detached(priority: .utility) { [weak self] in
            let outcome = Planner.plan(problem, options: planOptions)
            do {
                let plan = try ValidatedPlan(outcome, for: problem)
                let summary = PlanReport(plan).summary
                let placements = Dictionary(uniqueKeysWithValues: plan.placement.entries.map { ($0.vm, $0.host) })
                let result = Result(hostsUsed: summary.hostsUsed, lowerBound: summary.lowerBound, status: summary.status, gap: summary.gap,
                                    migrations: summary.migrations, vmsUnplaced: summary.vmsUnplaced, headline: summary.headline, placements: placements)
                await self?.finish(id, result: result, error: nil)
            } catch {
                await self?.finish(id, result: nil, error: "\(error)")
            }
        }
        return job
    }

    func update(_ id: String, progress: Progress) {
        guard jobs[id]?.state == .running else { return }
        jobs[id]?.progress = progress
    }

    func finish(_ id: String, result: Result?, error: String?) {
        jobs[id]?.state = result == nil ? .failed : .done
        jobs[id]?.result = result
        jobs[id]?.error = error
        keep(id)
    }

    public func job(_ id: String) -> Job? { jobs[id] }
}
