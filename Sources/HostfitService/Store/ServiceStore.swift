import Foundation
import GRDB
import Hostfit

/// The service's SQLite store (GRDB, WAL mode): hosts, VMs, placements and the answers
/// to idempotent requests. Every change the service acknowledges is one committed
/// transaction here first, so a killed server restarts with every acknowledged placement
/// and none half-made. Synchronous NORMAL in WAL: a killed process loses nothing; a power
/// cut may lose the last commits, never the database.
public final class ServiceStore: Sendable {
    let pool: DatabasePool
    /// Ends the checkpointing thread when the store goes.
    private let stopCheckpoints = DispatchSemaphore(value: 0)

    public struct Contents: Sendable {
        public var hosts: [HostRecord] = []
        public var vms: [VMRecord] = []
        /// vm -> host
        public var placements: [String: String] = [:]
        public var answers: [String: StoredAnswer] = [:]
        /// vm -> its hourly demand, where traces gave one
        public var profiles: [String: ServiceProfile] = [:]
        /// How demand is sized for this store (`ServiceDemand.CPU` as text), once chosen.
        public var settings: [String: String] = [:]
        /// vm -> resource -> the live samples' window (POST /samples)
        public var live: [String: [Resource: LoadWindow]] = [:]
        public var tenants: [Tenant] = []
        /// Every token made (revoked ones too), with the hash of its secret.
        public var tokens: [(hash: String, token: AccessToken)] = []
        /// vm -> the tenant that owns it
        public var owners: [String: String] = [:]
        /// vm -> what its traces said of its use (for right-sizing)
        public var usage: [String: TracedUsage] = [:]
    }

    /// What an idempotent placement answered, to answer a retry the same.
    public struct StoredAnswer: Sendable, Equatable {
        /// The request as JSON: a retry must send the same.
        public var request: String
        public var placements: DeskResult.Placements
    }

    public init(path: String) throws {
        var configuration = Configuration()
        // Checkpoints copy the log into the database and sync it: 13-17 ms here, on whichever
        // commit crossed the limit, which every request queued behind it waited for (the p99 of
        // the service). A thread of its own does them passively (never blocking a commit); the
        // automatic one stays only as a far limit (80 MB of log under sustained writes; cut
        // back to 16 MB once written through).
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 20000")
            try db.execute(sql: "PRAGMA journal_size_limit = 16777216")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        let checkpointer = try DatabaseQueue(path: path)
        let stop = stopCheckpoints
        Thread.detachNewThread {
            while stop.wait(timeout: .now() + .milliseconds(500)) == .timedOut {
                _ = try? checkpointer.inDatabase { try $0.execute(sql: "PRAGMA wal_checkpoint(PASSIVE)") }
            }
        }
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "host") { t in
                t.primaryKey("id", .text)
                t.column("body", .text).notNull()
            }
            try db.create(table: "vm") { t in
                t.primaryKey("id", .text)
                t.column("body", .text).notNull()
            }
            try db.create(table: "placement") { t in
                t.primaryKey("vm", .text).references("vm", onDelete: .cascade)
                t.column("host", .text).notNull().references("host")
            }
            try db.create(table: "answer") { t in
                t.primaryKey("key", .text)
                t.column("request", .text).notNull()
                t.column("status", .integer).notNull()
                t.column("body", .text).notNull()
            }
        }
        migrator.registerMigration("v2") { db in
            try db.create(table: "profile") { t in
                t.primaryKey("vm", .text).references("vm", onDelete: .cascade)
                t.column("body", .text).notNull()
            }
            try db.create(table: "setting") { t in
                t.primaryKey("key", .text)
                t.column("value", .text).notNull()
            }
        }
        migrator.registerMigration("v3") { db in
            try db.create(table: "plan") { t in
                t.primaryKey("id", .text)
                t.column("seq", .integer).notNull()
                t.column("body", .text).notNull()
            }
        }
        migrator.registerMigration("v4") { db in
            try db.create(table: "live") { t in
                t.column("vm", .text).notNull().references("vm", onDelete: .cascade)
                t.column("resource", .text).notNull()
                t.column("body", .blob).notNull()
                t.primaryKey(["vm", "resource"])
            }
        }
        migrator.registerMigration("v5") { db in
            try db.create(table: "advice") { t in
                t.primaryKey("id", .text)
                t.column("seq", .integer).notNull()
                t.column("body", .text).notNull()
            }
        }
        migrator.registerMigration("v6") { db in
            try db.create(table: "tenant") { t in
                t.primaryKey("id", .text)
                t.column("body", .text).notNull()
            }
            // Only the hash of a token's secret: the secret is shown once, when made.
            try db.create(table: "token") { t in
                t.primaryKey("id", .text)
                t.column("hash", .text).notNull().unique()
                t.column("tenant", .text)
                t.column("body", .text).notNull()
            }
            try db.create(table: "owner") { t in
                t.primaryKey("vm", .text).references("vm", onDelete: .cascade)
                t.column("tenant", .text).notNull()
            }
            try db.create(table: "audit") { t in
                t.autoIncrementedPrimaryKey("seq")
                t.column("at", .integer).notNull()
                t.column("request", .text).notNull()
                t.column("tenant", .text)
                t.column("token", .text)
                t.column("role", .text)
                t.column("method", .text).notNull()
                t.column("path", .text).notNull()
                t.column("status", .integer).notNull()
                t.column("what", .text).notNull()
                t.column("vms", .text).notNull()
            }
            try db.create(index: "audit_at", on: "audit", columns: ["at"])
            try db.create(index: "audit_tenant", on: "audit", columns: ["tenant", "seq"])
            try db.create(table: "audit_vm") { t in
                t.column("vm", .text).notNull()
                t.column("seq", .integer).notNull()
                t.primaryKey(["vm", "seq"])
            }
            try db.create(table: "usage") { t in
                t.primaryKey("vm", .text).references("vm", onDelete: .cascade)
                t.column("body", .text).notNull()
            }
        }
        try migrator.migrate(pool)
    }

    deinit { stopCheckpoints.signal() }

    static let encoder: JSONEncoder = { let e = JSONEncoder(); e.outputFormatting = [.sortedKeys]; return e }()

    static func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }

    public func load() throws -> Contents {
        try pool.read { db in
            var contents = Contents()
            let decoder = JSONDecoder()
            for row in try Row.fetchAll(db, sql: "SELECT body FROM host ORDER BY rowid") {
                contents.hosts.append(try decoder.decode(HostRecord.self, from: Data((row["body"] as String).utf8)))
            }
            for row in try Row.fetchAll(db, sql: "SELECT body FROM vm ORDER BY rowid") {
                contents.vms.append(try decoder.decode(VMRecord.self, from: Data((row["body"] as String).utf8)))
            }
            for row in try Row.fetchAll(db, sql: "SELECT vm, host FROM placement") { contents.placements[row["vm"]] = row["host"] as String }
            for row in try Row.fetchAll(db, sql: "SELECT key, request, body FROM answer") {
                let placements = try decoder.decode(DeskResult.Placements.self, from: Data((row["body"] as String).utf8))
                contents.answers[row["key"]] = StoredAnswer(request: row["request"], placements: placements)
            }
            for row in try Row.fetchAll(db, sql: "SELECT vm, body FROM profile") {
                contents.profiles[row["vm"]] = try decoder.decode(ServiceProfile.self, from: Data((row["body"] as String).utf8))
            }
            for row in try Row.fetchAll(db, sql: "SELECT key, value FROM setting") { contents.settings[row["key"]] = row["value"] as String }
            for row in try Row.fetchAll(db, sql: "SELECT vm, resource, body FROM live") {
                guard let resource = Resource.standard(named: row["resource"]), let window = LoadWindow(data: row["body"]) else { continue }
                contents.live[row["vm"], default: [:]][resource] = window
            }
            // Series that follow a live window are kept as the window.
            for (vm, profile) in contents.profiles where !profile.live.isEmpty {
                for resource in profile.live { contents.profiles[vm]!.series[resource] = contents.live[vm]?[resource]?.series(profile.scheme) }
            }
            for row in try Row.fetchAll(db, sql: "SELECT body FROM tenant ORDER BY id") {
                contents.tenants.append(try decoder.decode(Tenant.self, from: Data((row["body"] as String).utf8)))
            }
            for row in try Row.fetchAll(db, sql: "SELECT hash, body FROM token ORDER BY rowid") {
                contents.tokens.append((row["hash"], try decoder.decode(AccessToken.self, from: Data((row["body"] as String).utf8))))
            }
            for row in try Row.fetchAll(db, sql: "SELECT vm, tenant FROM owner") { contents.owners[row["vm"]] = row["tenant"] as String }
            for row in try Row.fetchAll(db, sql: "SELECT vm, body FROM usage") {
                contents.usage[row["vm"]] = try decoder.decode(TracedUsage.self, from: Data((row["body"] as String).utf8))
            }
            return contents
        }
    }

    /// One transaction: hosts and VMs upserted, VMs and hosts deleted, placements set
    /// (nil releases), profiles and settings kept, and an idempotent answer kept; all or nothing.
    public struct Change: Sendable {
        public var hosts: [HostRecord] = []
        public var vms: [VMRecord] = []
        public var deletedHosts: [String] = []
        public var deletedVMs: [String] = []
        public var placements: [(vm: String, host: String?)] = []
        public var answer: (key: String, StoredAnswer)?
        public var profiles: [(vm: String, ServiceProfile)] = []
        /// The profiles above replace every stored one (new traces at start).
        public var replaceProfiles = false
        public var settings: [String: String] = [:]
        /// Live windows to keep (replacing a VM's window for the resource).
        public var live: [(vm: String, resource: Resource, window: LoadWindow)] = []
        /// Rebalancing advice as it now stands (APPLIED with the moves above).
        public var advice: (id: String, seq: Int, body: String)?
        public var tenants: [Tenant] = []
        /// Tenants deleted, with their tokens.
        public var deletedTenants: [String] = []
        /// Tokens made or revoked, with the hash of the secret.
        public var tokens: [(hash: String, token: AccessToken)] = []
        /// VMs given to a tenant.
        public var owners: [(vm: String, tenant: String)] = []
        /// What traces said of VMs' use (replacing every stored one).
        public var usage: [String: TracedUsage]?
        /// What the audit says was done, where the change alone says it badly.
        public var note: String?
        public init() {}
    }

    public func commit(_ change: Change) throws {
        try write(audited: change.audited) { db in
            for host in change.hosts {
                try db.execute(sql: "INSERT INTO host (id, body) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET body = excluded.body",
                               arguments: [host.id, try Self.json(host)])
            }
            for vm in change.vms {
                try db.execute(sql: "INSERT INTO vm (id, body) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET body = excluded.body",
                               arguments: [vm.id, try Self.json(vm)])
            }
            for (vm, host) in change.placements {
                if let host {
                    try db.execute(sql: "INSERT INTO placement (vm, host) VALUES (?, ?) ON CONFLICT(vm) DO UPDATE SET host = excluded.host",
                                   arguments: [vm, host])
                } else {
                    try db.execute(sql: "DELETE FROM placement WHERE vm = ?", arguments: [vm])
                }
            }
            for id in change.deletedVMs { try db.execute(sql: "DELETE FROM vm WHERE id = ?", arguments: [id]) }
            for id in change.deletedHosts { try db.execute(sql: "DELETE FROM host WHERE id = ?", arguments: [id]) }
            if change.replaceProfiles { try db.execute(sql: "DELETE FROM profile") }
            for (vm, profile) in change.profiles {
                try db.execute(sql: "INSERT INTO profile (vm, body) VALUES (?, ?) ON CONFLICT(vm) DO UPDATE SET body = excluded.body",
                               arguments: [vm, try Self.json(profile)])
            }
            for (vm, resource, window) in change.live {
                try db.execute(sql: "INSERT INTO live (vm, resource, body) VALUES (?, ?, ?) ON CONFLICT(vm, resource) DO UPDATE SET body = excluded.body",
                               arguments: [vm, resource.name, window.data])
            }
            for (key, value) in change.settings {
                try db.execute(sql: "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                               arguments: [key, value])
            }
            for tenant in change.tenants {
                try db.execute(sql: "INSERT INTO tenant (id, body) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET body = excluded.body",
                               arguments: [tenant.id, try Self.json(tenant)])
            }
            for (hash, token) in change.tokens {
                try db.execute(sql: "INSERT INTO token (id, hash, tenant, body) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET hash = excluded.hash, body = excluded.body",
                               arguments: [token.id, hash, token.tenant, try Self.json(token)])
            }
            for (vm, tenant) in change.owners {
                try db.execute(sql: "INSERT INTO owner (vm, tenant) VALUES (?, ?) ON CONFLICT(vm) DO UPDATE SET tenant = excluded.tenant",
                               arguments: [vm, tenant])
            }
            for id in change.deletedTenants {
                try db.execute(sql: "DELETE FROM token WHERE tenant = ?", arguments: [id])
                try db.execute(sql: "DELETE FROM tenant WHERE id = ?", arguments: [id])
            }
            if let usage = change.usage {
                try db.execute(sql: "DELETE FROM usage")
                for (vm, body) in usage.sorted(by: { $0.key < $1.key }) {
                    try db.execute(sql: "INSERT INTO usage (vm, body) VALUES (?, ?)", arguments: [vm, try Self.json(body)])
                }
            }
            if let (id, seq, body) = change.advice {
                try db.execute(sql: "INSERT INTO advice (id, seq, body) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET body = excluded.body",
                               arguments: [id, seq, body])
            }
            if let (key, answer) = change.answer {
                // status: the column of the first schema, where answers were kept as HTTP text.
                try db.execute(sql: "INSERT INTO answer (key, request, status, body) VALUES (?, ?, 201, ?)",
                               arguments: [key, answer.request, try Self.json(answer.placements)])
            }
        }
    }

    // MARK: background jobs

    /// The tables of background jobs: plans, and rebalancing advice. Each row is a job's JSON
    /// as it stands, numbered in the order the jobs began.
    enum Jobs: String {
        case plans = "plan"
        case advice
    }

    /// Keeps a job as it stands, and only the newest `keeping` of its kind.
    func save(_ jobs: Jobs, id: String, seq: Int, body: String, keeping: Int) throws {
        let table = jobs.rawValue
        try write(audited: ("\(jobs == .plans ? "plan" : "rebalance advice") \(id)", [])) { db in
            try db.execute(sql: "INSERT INTO \(table) (id, seq, body) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET body = excluded.body",
                           arguments: [id, seq, body])
            try db.execute(sql: "DELETE FROM \(table) WHERE seq <= (SELECT MAX(seq) FROM \(table)) - ?", arguments: [keeping])
        }
    }

    /// The jobs of a kind kept, oldest first.
    func kept(_ jobs: Jobs) throws -> [(seq: Int, body: String)] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT seq, body FROM \(jobs.rawValue) ORDER BY seq").map { ($0["seq"] as Int, $0["body"] as String) }
        }
    }
}
