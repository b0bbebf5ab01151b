import Foundation
import GRDB
import Hostfit

/// The audit: a row per write request, in the transaction of the change it made.
extension ServiceStore {
    /// Runs `body` as one transaction, with the audit row of the request being served (if
    /// it has none yet) in it: `audited` says what the change did and to which VMs.
    func write(audited: @autoclosure () -> (what: String, vms: [String]), _ body: (Database) throws -> Void) throws {
        let request = AuditTrail.current
        let recording = request?.claim() ?? false
        do {
            try pool.write { db in
                try body(db)
                if recording, let request {
                    let (what, vms) = audited()
                    try Self.insert(request, status: request.successStatus, what: what, vms: vms, in: db)
                }
            }
        } catch {
            if recording { request?.unclaim() }
            throw error
        }
    }

    /// The row of a request that committed nothing (refused, or answered from what was kept).
    public func audit(_ request: AuditRequest, status: Int, what: String) throws {
        guard request.claim() else { return }
        try pool.write { db in try Self.insert(request, status: status, what: what, vms: [], in: db) }
    }

    private static func insert(_ request: AuditRequest, status: Int, what: String, vms: [String], in db: Database) throws {
        let caller = request.caller
        let listed = Array(Set(vms)).sorted()
        try db.execute(sql: """
            INSERT INTO audit (at, request, tenant, token, role, method, path, status, what, vms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [request.at, request.id, caller?.tenant, caller?.token, caller?.role.rawValue, request.method, request.path,
                             status, what, listed.joined(separator: ",")])
        let seq = db.lastInsertedRowID
        for vm in listed { try db.execute(sql: "INSERT OR IGNORE INTO audit_vm (vm, seq) VALUES (?, ?)", arguments: [vm, seq]) }
    }

    /// What GET /audit asks for: one tenant's rows (or every row), in a time range, about a VM.
    public struct AuditQuery: Sendable {
        /// nil: every tenant's and the estate's; .some(nil): the estate's own.
        public var tenant: String??
        public var since: Int64?
        public var until: Int64?
        public var vm: String?
        public var after: Int?
        public var limit = 1000
        public init() {}
    }

    /// Rows oldest first (after `after`), at most `limit`.
    public func audit(_ query: AuditQuery) throws -> [AuditEntry] {
        var clauses: [String] = [], arguments: [DatabaseValueConvertible?] = []
        if let tenant = query.tenant {
            if let tenant { clauses.append("a.tenant = ?"); arguments.append(tenant) } else { clauses.append("a.tenant IS NULL") }
        }
        if let since = query.since { clauses.append("a.at >= ?"); arguments.append(since) }
        if let until = query.until { clauses.append("a.at < ?"); arguments.append(until) }
        if let after = query.after { clauses.append("a.seq > ?"); arguments.append(after) }
        var from = "audit a"
        if let vm = query.vm { from = "audit_vm v JOIN audit a ON a.seq = v.seq"; clauses.append("v.vm = ?"); arguments.append(vm) }
        let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        arguments.append(query.limit)
        return try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT a.* FROM \(from) \(filter) ORDER BY a.seq LIMIT ?", arguments: StatementArguments(arguments)!).map { row in
                let vms: String = row["vms"]
                return AuditEntry(seq: row["seq"], at: ReplayReport.iso(row["at"]), request: row["request"], tenant: row["tenant"], token: row["token"],
                                  role: row["role"], method: row["method"], path: row["path"], status: row["status"], what: row["what"],
                                  vms: vms.isEmpty ? [] : vms.split(separator: ",").map(String.init))
            }
        }
    }
}

extension ServiceStore.Change {
    /// What the change did, for the audit: in a few words, and the VMs it touched.
    var audited: (what: String, vms: [String]) {
        var said: [String] = []
        func few(_ items: [String]) -> String {
            items.count <= 5 ? items.joined(separator: ", ") : items.prefix(5).joined(separator: ", ") + " and \(items.count - 5) more"
        }
        let placed = placements.compactMap { p in p.host.map { "\(p.vm) on \($0)" } }
        let released = placements.filter { $0.host == nil }.map(\.vm)
        if !placed.isEmpty { said.append("placed " + few(placed)) }
        if !released.isEmpty { said.append("released " + few(released)) }
        let putVMs = vms.map(\.id).filter { id in !placements.contains { $0.vm == id } }
        if !putVMs.isEmpty { said.append("put VMs " + few(putVMs)) }
        if !hosts.isEmpty { said.append("put hosts " + few(hosts.map(\.id))) }
        if !deletedVMs.isEmpty { said.append("deleted VMs " + few(deletedVMs)) }
        if !deletedHosts.isEmpty { said.append("deleted hosts " + few(deletedHosts)) }
        if !live.isEmpty { said.append("samples for \(Set(live.map(\.vm)).count) VMs") }
        if replaceProfiles { said.append("profiles for \(profiles.count) VMs") }
        if !tenants.isEmpty { said.append("put tenants " + few(tenants.map(\.id))) }
        if !deletedTenants.isEmpty { said.append("deleted tenants " + few(deletedTenants)) }
        for (_, token) in tokens {
            said.append("\(token.revokedAt == nil ? "made" : "revoked") token \(token.id) (\(token.role.rawValue)\(token.tenant.map { " of \($0)" } ?? ""))")
        }
        if let advice { said.append("rebalance advice \(advice.id)") }
        let vmIDs = vms.map(\.id) + placements.map(\.vm) + deletedVMs
        return (note ?? (said.isEmpty ? "nothing changed" : said.joined(separator: "; ")), vmIDs)
    }
}
