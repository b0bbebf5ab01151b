import Hummingbird
import HummingbirdAuth

/// Reads `Authorization: Bearer TOKEN` and puts the caller it proves on the context. Neither
/// a missing nor a wrong token is refused here but by `Requires`, so that open routes
/// (/healthz, /openapi.json) stay open whatever a client sends.
/// A server with no token at all (no --token-file, no tenant's token) asks for none.
struct BearerAuthenticator: AuthenticatorMiddleware {
    typealias Context = ServiceContext
    let configuration: ServiceConfiguration
    let desk: PlacementDesk

    func authenticate(request: Request, context: ServiceContext) async throws -> Caller? {
        if configuration.token == nil, desk.isOpen { return .estate }
        guard request.headers[.authorization] != nil else { return configuration.publicRead ? .anonymous : nil }
        guard let bearer = request.headers.bearer else { return .rejected }
        if let token = configuration.token, bearer.token == token { return Caller(role: .admin, tenant: nil, token: AccessToken.fileTokenID) }
        return desk.caller(secret: bearer.token) ?? .rejected
    }
}

/// Lets a request through only for a caller with at least `role`.
struct Requires: RouterMiddleware {
    typealias Context = ServiceContext
    let role: Caller.Role
    /// Reads of the whole estate: callers of a tenant need the admin role for them.
    let estate: Bool

    init(_ role: Caller.Role, estate: Bool = false) {
        self.role = role
        self.estate = estate
    }

    func handle(_ request: Request, context: ServiceContext, next: (Request, ServiceContext) async throws -> Response) async throws -> Response {
        if context.identity?.rejected == true { throw RequestError.wrongToken }
        // Writes always need the token, even where reads are public.
        guard let caller = context.identity, caller != .anonymous || role == .reader else { throw RequestError.tokenNeeded }
        guard caller.role >= role else { throw RequestError.forbidden(role) }
        // What concerns the whole estate (hosts, plans, rebalancing, tenants) is an admin's.
        if estate, !caller.seesAll { throw RequestError.forbidden(.admin) }
        return try await next(request, context)
    }
}
