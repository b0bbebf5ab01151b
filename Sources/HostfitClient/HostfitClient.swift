import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPTypes
import OpenAPIRuntime
import OpenAPIURLSession

/// The service's client: `Client` and its types (`Components.Schemas`, `Operations`) are
/// generated from the service's OpenAPI document, the one contract; this file adds the
/// way in. Each call answers an enum of the documented outcomes, so a refusal (409 with
/// its rule) is a value to switch on, not an exception.
///
///     let hostfit = Client.hostfit(url: URL(string: "http://127.0.0.1:8080")!, token: "s3cret")
///     let rated = try await hostfit.rateVM(query: .init(top: 3), body: .json(.init(id: "web-3", vcpus: 4, memoryMb: 16384)))
extension Client {
    /// A client of the service at `url`, sending `token` as its bearer token.
    public static func hostfit(url: URL, token: String?, session: URLSession = .shared) -> Client {
        Client(serverURL: url, transport: URLSessionTransport(configuration: .init(session: session)),
               middlewares: token.map { [BearerToken(token: $0)] } ?? [])
    }
}

/// Sends `Authorization: Bearer TOKEN` with every request.
public struct BearerToken: ClientMiddleware {
    public var token: String

    public init(token: String) { self.token = token }

    public func intercept(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
                          next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        request.headerFields[.authorization] = "Bearer \(token)"
        return try await next(request, body, baseURL)
    }
}
