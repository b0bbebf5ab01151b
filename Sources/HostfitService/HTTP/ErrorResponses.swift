import Hostfit
import HTTPTypes
import Hummingbird

/// What the HTTP layer itself refuses, before the desk sees a request.
enum RequestError: Error, Sendable {
    case tokenNeeded
    case wrongToken
    case forbidden(Caller.Role)
    /// The body is over the limit (bytes).
    case tooLarge(Int)
    case unsupportedMediaType(String)
}

/// The error body every refusal has: what is wrong, and the field, VM or rule it concerns.
struct ErrorBody: Encodable, Sendable {
    var error: String
    var field: String?
    var vm: String?
    var rule: String?
    /// A quota's refusal: which, its limit, what runs and what was asked, for which tenant
    /// (and in which cluster, for a cluster's limit).
    var quota: String?
    var limit: Double?
    var used: Double?
    var asked: Double?
    var tenant: String?
    var cluster: String?
}

// The one place where refusals become HTTP statuses.

extension DeskError: HTTPResponseError {
    public var status: HTTPResponse.Status {
        switch self {
        case .invalid: .badRequest
        case .notFound: .notFound
        case .conflict: .conflict
        case .quotaExceeded: .forbidden
        case .keyReused: .unprocessableContent
        case .storeFailed, .validationFailed: .internalServerError
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var body = ErrorBody(error: message, field: field, vm: vm, rule: rule?.rawValue)
        if case .quotaExceeded(let q, let tenant) = self {
            (body.rule, body.quota, body.limit, body.used, body.asked, body.tenant, body.cluster) = ("quota", q.quota, q.limit, q.used, q.asked, tenant, q.cluster)
        }
        return ServiceJSON.response(body, status: status)
    }
}

extension RequestError: HTTPResponseError {
    var status: HTTPResponse.Status {
        switch self {
        case .tokenNeeded, .wrongToken: .unauthorized
        case .forbidden: .forbidden
        case .tooLarge: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        }
    }

    var message: String {
        switch self {
        case .tokenNeeded: "this needs the bearer token: Authorization: Bearer TOKEN"
        case .wrongToken: "the bearer token is wrong"
        case .forbidden(let role): "this needs the role \(role.rawValue)"
        case .tooLarge(let limit): "the body is over \(limit / 1_048_576) MB: send fewer VMs per request"
        case .unsupportedMediaType(let type): "Content-Type '\(type)' is not read here: send application/json, text/csv or \(InventoryUpload.workbookType)"
        }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [:]
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        return ServiceJSON.response(ErrorBody(error: message), status: status, headers: headers)
    }
}
