import Foundation
import Hostfit
import HTTPTypes
import Hummingbird

/// GET (a page, one), PUT (many, one) and DELETE of one kind of inventory record: the
/// same routes for hosts and for VMs. Lists page: `limit` (1,000 by default) and `cursor`
/// (the last id of the page before), with a `Link: <...>; rel="next"` header while there
/// are more and `X-Total-Count`.
struct InventoryController<Record: Decodable & Sendable, Listed: Encodable & Sendable>: Sendable {
    let name: String
    let noun: String
    /// Who may put and delete these.
    let writer: Caller.Role
    /// Each takes the caller: a tenant's sees and touches only its own VMs.
    let page: @Sendable (String?, Int, Caller) throws -> DeskResult.Page<Listed>
    let one: @Sendable (String, Caller) -> Listed?
    let put: @Sendable ([Record], Caller) async throws -> DeskResult.Loaded
    let delete: @Sendable (String, Caller) async throws -> DeskResult.Deleted
    /// The file itself: CSV (native or RVTools) or an RVTools workbook.
    let upload: @Sendable (Data, InventoryUpload.Format, Caller) async throws -> DeskResult.Loaded

    static var defaultLimit: Int { 1000 }

    var routes: RouteCollection<ServiceContext> {
        let routes = RouteCollection(context: ServiceContext.self)
        let reads = routes.group().add(middleware: Requires(.reader))
        reads.get { request, context in try list(request, context.caller) }
        reads.get(":id") { _, context in
            let id = try context.parameters.require("id")
            guard let record = one(id, context.caller) else { throw DeskError.notFound("no \(noun) '\(id)'") }
            return JSONResponse(record)
        }
        let writes = routes.group().add(middleware: Requires(writer))
        writes.put { request, context in
            guard let format = InventoryUpload.format(of: request.headers[.contentType]) else {
                throw RequestError.unsupportedMediaType(request.headers[.contentType] ?? "")
            }
            guard format != .json else { return JSONResponse(try await put(try await RequestBody.decode([Record].self, request, context), context.caller)) }
            return JSONResponse(try await upload(try await RequestBody.data(request, context), format, context.caller))
        }
        writes.put(":id") { request, context in
            let id = try context.parameters.require("id")
            return JSONResponse(try await put([try await RequestBody.decode(Record.self, request, context, id: id)], context.caller))
        }
        writes.delete(":id") { _, context in JSONResponse(try await delete(try context.parameters.require("id"), context.caller)) }
        return routes
    }

    private func list(_ request: Request, _ caller: Caller) throws -> JSONResponse<[Listed]> {
        let limit = try RequestBody.integer(request, "limit", in: 1...100_000, fallback: Self.defaultLimit)!
        let cursor = request.uri.queryParameters["cursor"].map(String.init)
        let found = try page(cursor, limit, caller)
        var headers: HTTPFields = [HTTPField.Name("X-Total-Count")!: String(found.total)]
        if let next = found.next {
            let escaped = next.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+#"))) ?? next
            headers[HTTPField.Name("Link")!] = "</\(name)?limit=\(limit)&cursor=\(escaped)>; rel=\"next\""
        }
        return JSONResponse(found.items, headers: headers)
    }
}

extension InventoryController where Record == HostRecord, Listed == HostRecord {
    static func hosts(_ desk: PlacementDesk) -> Self {
        Self(name: "hosts", noun: "host", writer: .admin,
             page: { cursor, limit, _ in try desk.hosts(after: cursor, limit: limit) }, one: { id, _ in desk.host(id) },
             put: { records, _ in try await desk.putHosts(records) }, delete: { id, _ in try await desk.deleteHost(id) },
             upload: { data, format, _ in try await desk.putHosts(try InventoryUpload.hosts(data, format)) })
    }
}

extension InventoryController where Record == VMRecord, Listed == DeskResult.PlacedVM {
    static func vms(_ desk: PlacementDesk) -> Self {
        Self(name: "vms", noun: "VM", writer: .operator,
             page: { try desk.vms(after: $0, limit: $1, as: $2) }, one: { desk.vm($0, as: $1) },
             put: { try await desk.putVMs($0, as: $1) }, delete: { try await desk.deleteVM($0, as: $1) },
             upload: { data, format, caller in try await desk.putVMs(try InventoryUpload.vms(data, format), as: caller) })
    }
}
