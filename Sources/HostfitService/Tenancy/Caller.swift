/// Who called: what the bearer token proved. A token belongs to a tenant (a department,
/// customer or cost centre) and has a role; the --token-file token is the estate's admin,
/// of no tenant.
public struct Caller: Sendable, Equatable {
    public enum Role: String, Sendable, Comparable, Codable, CaseIterable {
        /// Reads: its tenant's VMs, ratings, usage (all of them for a caller of no tenant).
        case reader
        /// Reads and placements, releases, VMs of its tenant.
        case `operator`
        /// Everything: hosts, tenants, settings, every tenant's VMs.
        case admin

        public static func < (a: Role, b: Role) -> Bool { a.rank < b.rank }
        private var rank: Int { self == .reader ? 0 : self == .operator ? 1 : 2 }
    }

    public var role: Role
    /// The tenant the caller acts for; nil for the whole estate.
    public var tenant: String?
    /// The token's id (never the token), for the audit.
    public var token: String?
    /// A token was sent and proved nothing: refused wherever a token counts.
    public var rejected = false

    public init(role: Role, tenant: String?, token: String? = nil) {
        self.role = role
        self.tenant = tenant
        self.token = token
    }

    /// The estate's own: an admin of no tenant (a server without tokens, embedders, tests).
    public static let estate = Caller(role: .admin, tenant: nil)
    /// No token at all, where reads are public.
    public static let anonymous = Caller(role: .reader, tenant: nil)
    /// A token that proves nothing: refused wherever one is needed, even for public reads.
    static let rejected: Caller = {
        var c = Caller(role: .reader, tenant: nil)
        c.rejected = true
        return c
    }()

    /// Whether the caller sees and touches every VM (else only its tenant's).
    public var seesAll: Bool { role == .admin || tenant == nil }

    /// Whether a VM owned by `owner` (nil: the estate's) is the caller's to see and touch.
    public func owns(_ owner: String?) -> Bool { seesAll || owner == tenant }
}
