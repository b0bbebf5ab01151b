import Foundation
import Hostfit

/// Tenants, their tokens and their VMs: who may see and touch which VM (another tenant's is
/// a 404, so that names do not leak), and quotas checked in the same serialized step that
/// places, so that concurrent requests can never pass them.
extension PlacementDesk {
    /// A token as made: the secret is in this answer and nowhere else.
    public struct MadeToken: Codable, Sendable, Equatable {
        public var id: String
        public var token: String
        public var tenant: String?
        public var role: Caller.Role
        public var madeAt: String
        enum CodingKeys: String, CodingKey { case id, token, tenant, role, madeAt = "made_at" }
    }

    /// A tenant as GET /tenants answers it: its quota, pool, use and tokens (never secrets).
    public struct TenantView: Codable, Sendable, Equatable {
        public var tenant: Tenant
        public var use: TenantUse
        public var tokens: [AccessToken]
        public func encode(to encoder: Encoder) throws {
            try tenant.encode(to: encoder)
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(use, forKey: .use)
            try c.encode(tokens, forKey: .tokens)
        }
        public init(from decoder: Decoder) throws {
            tenant = try Tenant(from: decoder)
            let c = try decoder.container(keyedBy: Key.self)
            use = try c.decode(TenantUse.self, forKey: .use)
            tokens = try c.decode([AccessToken].self, forKey: .tokens)
        }
        init(tenant: Tenant, use: TenantUse, tokens: [AccessToken]) {
            self.tenant = tenant
            self.use = use
            self.tokens = tokens
        }
        enum Key: String, CodingKey { case use, tokens }
    }

    // MARK: tokens

    /// Who a bearer secret proves (nil: unknown or revoked); a server with no token is open.
    public nonisolated func caller(secret: String) -> Caller? { tenancy.caller(secret: secret) }
    public nonisolated var isOpen: Bool { tenancy.isOpen }

    /// The --token-file secret as the estate's admin token (replacing the one an earlier
    /// start gave): today's deployments keep working.
    public func installFileToken(_ secret: String) throws(DeskError) {
        let hash = AccessToken.hash(secret)
        if let old = tenancy.token(id: AccessToken.fileTokenID), tenancy.hash(ofToken: old.id) == hash, old.revokedAt == nil { return }
        let token = AccessToken(id: AccessToken.fileTokenID, tenant: nil, role: .admin, madeAt: ReplayReport.iso(Self.now()), revokedAt: nil)
        var change = ServiceStore.Change()
        change.tokens = [(hash, token)]
        do { try store.commit(change) } catch { throw .storeFailed("\(error)") }
        tenancy.put(token, hash: hash)
    }

    /// A new token for `tenant` with `role`; its secret is shown in this answer only. On a
    /// server that has no token yet, the first must be an admin's (or nobody could manage it).
    public func makeToken(tenant id: String, role: Caller.Role) throws(DeskError) -> MadeToken {
        guard tenancy.tenant(id) != nil else { throw .notFound("no tenant '\(id)'") }
        if tenancy.isOpen, role != .admin {
            throw .conflict("this server has no token yet, so anyone may do anything: make an admin token first (role admin), or start it with --token-file")
        }
        let secret = AccessToken.secret(), hash = AccessToken.hash(secret)
        let token = AccessToken(id: AccessToken.newID(), tenant: id, role: role, madeAt: ReplayReport.iso(Self.now()), revokedAt: nil)
        var change = ServiceStore.Change()
        change.tokens = [(hash, token)]
        do { try store.commit(change) } catch { throw .storeFailed("\(error)") }
        tenancy.put(token, hash: hash)
        return MadeToken(id: token.id, token: secret, tenant: id, role: role, madeAt: token.madeAt)
    }

    /// Revokes a tenant's token: refused from the next request on.
    public func revokeToken(tenant id: String, token tokenID: String) throws(DeskError) -> AccessToken {
        guard var token = tenancy.token(id: tokenID), token.tenant == id, let hash = tenancy.hash(ofToken: tokenID) else {
            throw .notFound("tenant '\(id)' has no token '\(tokenID)'")
        }
        guard token.revokedAt == nil else { return token }
        token.revokedAt = ReplayReport.iso(Self.now())
        var change = ServiceStore.Change()
        change.tokens = [(hash, token)]
        do { try store.commit(change) } catch { throw .storeFailed("\(error)") }
        tenancy.put(token, hash: hash)
        return token
    }

    // MARK: tenants

    public func putTenant(_ tenant: Tenant) throws(DeskError) -> TenantView {
        let checked: Tenant
        do { checked = try tenant.checked() } catch { throw .record(error, "tenant '\(tenant.id)'") }
        var change = ServiceStore.Change()
        change.tenants = [checked]
        do { try store.commit(change) } catch { throw .storeFailed("\(error)") }
        tenancy.put(checked)
        return view(checked)
    }

    /// Deletes a tenant and its tokens; refused while it owns VMs.
    public func deleteTenant(_ id: String) throws(DeskError) -> DeskResult.Deleted {
        guard tenancy.tenant(id) != nil else { throw .notFound("no tenant '\(id)'") }
        let owned = state.read { c in c.vmOrder.filter { c.owners[$0] == id } }
        guard owned.isEmpty else {
            throw .conflict("tenant '\(id)' owns \(owned.count) VMs (\(owned.prefix(5).joined(separator: ", "))): delete them first")
        }
        var change = ServiceStore.Change()
        change.deletedTenants = [id]
        do { try store.commit(change) } catch { throw .storeFailed("\(error)") }
        tenancy.remove(tenant: id)
        return DeskResult.Deleted(deleted: id)
    }

    public nonisolated func tenants() -> [TenantView] { tenancy.allTenants().map(view) }

    public nonisolated func tenant(_ id: String) -> TenantView? { tenancy.tenant(id).map(view) }

    nonisolated func view(_ tenant: Tenant) -> TenantView {
        TenantView(tenant: tenant, use: state.read { $0.use[tenant.id] } ?? TenantUse(), tokens: tenancy.tokens(of: tenant.id))
    }

    // MARK: whose VM

    /// The VM named `id` as `caller` may see it: another tenant's VM is not there.
    nonisolated func visible(_ id: String, to caller: Caller) -> VM? {
        state.read { c in c.vms[id].flatMap { caller.owns(c.owners[$0.id]) ? $0 : nil } }
    }

    /// Refuses a VM that exists but is not the caller's, as if it did not exist.
    nonisolated func refuseIfNotOwned(_ id: String, by caller: Caller) throws(DeskError) {
        guard !caller.seesAll else { return }
        let owner: String?? = state.read { c in c.vms[id] == nil ? .none : .some(c.owners[id]) }
        if case .some(let owner) = owner, owner != caller.tenant { throw .notFound("no VM '\(id)'") }
    }

    /// Who will own `ids` after the caller puts or places them: the owner they have, else
    /// the caller's tenant for new ones.
    nonisolated func owners(of ids: [String], by caller: Caller) -> [String: String] {
        state.read { c in
            var result: [String: String] = [:]
            for id in ids {
                if let owner = c.owners[id] { result[id] = owner } else if c.vms[id] == nil, let t = caller.tenant { result[id] = t }
            }
            return result
        }
    }

    /// VMs of a tenant with a host pool are put with its tags as required (ratings too).
    nonisolated func pooled(_ records: [VMRecord], for caller: Caller) -> [VMRecord] {
        guard !caller.seesAll, let tenant = caller.tenant, let tags = tenancy.tenant(tenant)?.hostTags, !tags.isEmpty else { return records }
        return records.map { r in
            var r = r
            r.requires = Array(Set(r.requires ?? []).union(tags)).sorted()
            return r
        }
    }

    // MARK: quotas

    /// Refuses where `running` (VMs that will run, by id, each replacing itself where it runs
    /// now) would take an owner past a quota, its own or one of a cluster's. `owners` gives
    /// the owner of each after the change; `clusterOf` the cluster of a host (hosts put in
    /// the same change included).
    func refuseOverQuota(running: [VM], owners: [String: String], clusterOf newHost: [String: String] = [:]) throws(DeskError) {
        typealias Delta = (gone: TenantUse, come: TenantUse)
        var delta: [String: Delta] = [:], inCluster: [String: [String: Delta]] = [:]
        let (use, clusterUse): ([String: TenantUse], [String: [String: TenantUse]]) = state.read { c in
            func cluster(_ host: String) -> String { newHost[host] ?? c.hosts[host]?.cluster ?? "" }
            for next in running {
                if let old = c.vms[next.id], let host = old.currentHost, let owner = c.owners[next.id] {
                    delta[owner, default: (TenantUse(), TenantUse())].gone += TenantUse(old)
                    inCluster[owner, default: [:]][cluster(host), default: (TenantUse(), TenantUse())].gone += TenantUse(old)
                }
                if let owner = owners[next.id] ?? c.owners[next.id] {
                    delta[owner, default: (TenantUse(), TenantUse())].come += TenantUse(next)
                    if let host = next.currentHost {
                        inCluster[owner, default: [:]][cluster(host), default: (TenantUse(), TenantUse())].come += TenantUse(next)
                    }
                }
            }
            let owners = Array(delta.keys)
            return (Dictionary(uniqueKeysWithValues: owners.map { ($0, c.use[$0] ?? TenantUse()) }),
                    Dictionary(uniqueKeysWithValues: owners.map { ($0, c.clusterUse(of: $0)) }))
        }
        for (owner, (gone, come)) in delta.sorted(by: { $0.key < $1.key }) {
            guard let quota = tenancy.tenant(owner)?.quota else { continue }
            let now = use[owner] ?? TenantUse()
            if let refusal = quota.refusal(now: now, after: now - gone + come) { throw .quotaExceeded(refusal, tenant: owner) }
            for (cluster, (gone, come)) in (inCluster[owner] ?? [:]).sorted(by: { $0.key < $1.key }) {
                let now = clusterUse[owner]?[cluster] ?? TenantUse()
                if let refusal = quota.refusal(in: cluster, now: now, after: now - gone + come) { throw .quotaExceeded(refusal, tenant: owner) }
            }
        }
    }

    /// What `owner`'s placed VMs hold in each cluster, with `earlier` (VMs of the same
    /// request placed before, each with its `currentHost`).
    nonisolated func clusterUse(of owner: String, with earlier: [VM], problem: PlacementProblem) -> [String: TenantUse] {
        var use = state.read { $0.clusterUse(of: owner) }
        for vm in earlier {
            if let h = vm.currentHost.flatMap(problem.host(named:)) { use[problem.hosts[h].cluster, default: TenantUse()] += TenantUse(vm) }
        }
        return use
    }

    /// The gate that keeps a tenant's VM `vm` out of clusters whose quota it would pass,
    /// after `earlier`; nil where no limit applies.
    nonisolated func clusterGate(for vm: VM, owner: String?, earlier: [VM] = [], problem: PlacementProblem) -> HostRater.Gate? {
        guard let owner, let quota = tenancy.tenant(owner)?.quota, let limits = quota.clusters, !limits.isEmpty else { return nil }
        let now = clusterUse(of: owner, with: earlier, problem: problem), one = TenantUse(vm)
        var barred: [String: String] = [:]
        for cluster in limits.keys {
            let use = now[cluster] ?? TenantUse()
            if let refused = quota.refusal(in: cluster, now: use, after: use + one) { barred[cluster] = "tenant '\(owner)' would pass its \(refused.words)" }
        }
        guard !barred.isEmpty else { return nil }
        let clusterOf = problem.rules.clusterOf, closed = problem.rules.clusters.map { barred[$0] }
        return { _, h in closed[clusterOf[h]].map { (.quota, $0) } }
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }
}
