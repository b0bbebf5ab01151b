import Foundation
import HTTPTypes
import Hummingbird

/// Every write request (not GET, not POST /ratings) is in the audit: the store writes its
/// row in the transaction of the change it makes, this middleware the row of one that made
/// none (a refusal, a replay). Each answer carries its X-Request-Id.
struct AuditMiddleware: RouterMiddleware {
    typealias Context = ServiceContext
    let store: ServiceStore

    static let requestIDField = HTTPField.Name("X-Request-Id")!

    func handle(_ request: Request, context: ServiceContext, next: (Request, ServiceContext) async throws -> Response) async throws -> Response {
        let id = AuditRequest.requestID(given: request.headers[Self.requestIDField])
        let path = request.uri.path
        guard Self.isWrite(request.method, path), let caller = context.identity, !caller.rejected, caller != .anonymous else {
            var response = try await next(request, context)
            response.headers[Self.requestIDField] = id
            return response
        }
        let audit = AuditRequest(id: id, caller: caller, method: request.method.rawValue, path: path,
                                 successStatus: Self.successStatus(request.method, path), at: Int64(Date().timeIntervalSince1970))
        do {
            var response = try await AuditTrail.$current.withValue(audit) { try await next(request, context) }
            // Answered without a change (an idempotent replay, a revoked token revoked again).
            try? store.audit(audit, status: Int(response.status.code), what: "nothing changed")
            response.headers[Self.requestIDField] = id
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            let message = (error as? DeskError)?.message ?? (error as? RequestError)?.message ?? "\(error)"
            try? store.audit(audit, status: Int(status.code), what: "refused: " + message)
            throw error
        }
    }

    static func isWrite(_ method: HTTPRequest.Method, _ path: String) -> Bool {
        switch method {
        case .get, .head, .options: false
        case .post: path != "/ratings"
        default: true
        }
    }

    /// What a write answers when it succeeds: the status its row is committed with.
    static func successStatus(_ method: HTTPRequest.Method, _ path: String) -> Int {
        guard method == .post else { return 200 }
        if path == "/placements" || path.hasSuffix("/tokens") { return 201 }
        if path == "/plans" || path == "/rebalance" { return 202 }
        return 200
    }
}
