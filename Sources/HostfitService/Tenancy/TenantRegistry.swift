/// Tenants and their tokens as the service holds them in memory: the authenticator looks a
/// token's hash up on every request, under a shared lock; the desk changes them (after its
/// store commit), one change at a time.
final class TenantRegistry: @unchecked Sendable {
    private var tenants: [String: Tenant] = [:]
    /// Every token, revoked ones too, by the hash of its secret.
    private var tokens: [String: AccessToken] = [:]
    private var hashOf: [String: String] = [:]
    private let lock = ReadWriteLock()

    init(tenants: [Tenant] = [], tokens: [(hash: String, token: AccessToken)] = []) {
        for tenant in tenants { self.tenants[tenant.id] = tenant }
        for (hash, token) in tokens {
            self.tokens[hash] = token
            hashOf[token.id] = hash
        }
    }

    /// Who a secret proves, or nil for one that is unknown or revoked.
    func caller(secret: String) -> Caller? {
        let hash = AccessToken.hash(secret)
        return lock.reading {
            guard let token = tokens[hash], token.revokedAt == nil else { return nil }
            return Caller(role: token.role, tenant: token.tenant, token: token.id)
        }
    }

    /// No token stands: the server asks for none (as before tenants existed).
    var isOpen: Bool { lock.reading { !tokens.values.contains { $0.revokedAt == nil } } }

    func tenant(_ id: String) -> Tenant? { lock.reading { tenants[id] } }
    func allTenants() -> [Tenant] { lock.reading { tenants.values.sorted { $0.id < $1.id } } }
    func token(id: String) -> AccessToken? { lock.reading { hashOf[id].flatMap { tokens[$0] } } }
    func hash(ofToken id: String) -> String? { lock.reading { hashOf[id] } }

    /// A tenant's tokens (nil: the estate's), oldest first.
    func tokens(of tenant: String?) -> [AccessToken] {
        lock.reading { tokens.values.filter { $0.tenant == tenant }.sorted { ($0.madeAt, $0.id) < ($1.madeAt, $1.id) } }
    }

    func put(_ tenant: Tenant) { lock.writing { tenants[tenant.id] = tenant } }

    func remove(tenant id: String) {
        lock.writing {
            tenants[id] = nil
            for (hash, token) in tokens where token.tenant == id {
                tokens[hash] = nil
                hashOf[token.id] = nil
            }
        }
    }

    func put(_ token: AccessToken, hash: String) {
        lock.writing {
            if let old = hashOf[token.id] { tokens[old] = nil }
            tokens[hash] = token
            hashOf[token.id] = hash
        }
    }
}
