import Hummingbird
import HummingbirdAuth

/// Who called: what the bearer token proved. Today one token, an administrator's; tenants
/// and their roles (issue 32) are identities of the same kind.
public struct Caller: Sendable, Equatable {
    public enum Role: String, Sendable, Comparable {
        /// Reads: inventory, ratings, placements, plans.
        case reader
        /// Reads and placements, releases, VMs.
        case `operator`
        /// Everything: hosts, settings.
        case admin

        public static func < (a: Role, b: Role) -> Bool { a.rank < b.rank }
        private var rank: Int { self == .reader ? 0 : self == .operator ? 1 : 2 }
    }

    public var role: Role
    /// The tenant the caller acts for; nil for the whole estate.
    public var tenant: String?
    /// A token was sent and proved nothing: refused wherever a token counts.
    public var rejected = false

    /// No token at all, where reads are public.
    public static let anonymous = Caller(role: .reader, tenant: nil)
    /// A token that proves nothing: refused wherever one is needed, even for public reads.
    static let rejected = Caller(role: .reader, tenant: nil, rejected: true)
}

/// Reads `Authorization: Bearer TOKEN` and puts the caller it proves on the context. Neither
/// a missing nor a wrong token is refused here but by `Requires`, so that open routes
/// (/healthz, /openapi.json) stay open whatever a client sends.
struct BearerAuthenticator: AuthenticatorMiddleware {
    typealias Context = ServiceContext
    let configuration: ServiceConfiguration

    func authenticate(request: Request, context: ServiceContext) async throws -> Caller? {
        guard let token = configuration.token else { return Caller(role: .admin, tenant: nil) }
        guard request.headers[.authorization] != nil else { return configuration.publicRead ? .anonymous : nil }
        guard let bearer = request.headers.bearer, bearer.token == token else { return .rejected }
        return Caller(role: .admin, tenant: nil)
    }
}

/// Lets a request through only for a caller with at least `role`.
struct Requires: RouterMiddleware {
    typealias Context = ServiceContext
    let role: Caller.Role

    init(_ role: Caller.Role) { self.role = role }

    func handle(_ request: Request, context: ServiceContext, next: (Request, ServiceContext) async throws -> Response) async throws -> Response {
        if context.identity?.rejected == true { throw RequestError.wrongToken }
        // Writes always need the token, even where reads are public.
        guard let caller = context.identity, caller != .anonymous || role == .reader else { throw RequestError.tokenNeeded }
        guard caller.role >= role else { throw RequestError.forbidden(role) }
        return try await next(request, context)
    }
}
