import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth

/// The request context of the service: who called (set by `BearerAuthenticator`), the body
/// limit, and JSON with sorted keys and a final newline (what curl users and diffs expect).
public struct ServiceContext: AuthRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Caller?
    public init(source: Source) { coreContext = .init(source: source) }
    /// 8 MB: about 40,000 VMs in one placement request.
    public var maxUploadSize: Int { 8 * 1024 * 1024 }
    public var responseEncoder: ServiceJSON { ServiceJSON() }
    /// Who called, as the routes past `Requires` see it.
    var caller: Caller { identity ?? .anonymous }
}

/// The service's JSON: sorted keys, one line, a newline after it.
public struct ServiceJSON: ResponseEncoder {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    public func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        var data = try Self.encoder.encode(value)
        data.append(0x0A)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A value as the service answers it, with `status` and `headers`.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        data.append(0x0A)
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// An Encodable value as a response (the status and headers of `ServiceJSON.response`).
struct JSONResponse<Value: Encodable & Sendable>: ResponseGenerator {
    var value: Value
    var status: HTTPResponse.Status = .ok
    var headers: HTTPFields = [:]

    init(_ value: Value, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) {
        self.value = value
        self.status = status
        self.headers = headers
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        ServiceJSON.response(value, status: status, headers: headers)
    }
}
