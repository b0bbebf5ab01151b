import Hummingbird

/// Tenants and their tokens (an admin's), and a tenant's own view of itself:
/// GET/PUT/DELETE /tenants/{id}, POST /tenants/{id}/tokens (the secret answered once),
/// DELETE /tenants/{id}/tokens/{token_id}.
struct TenantController: Sendable {
    let desk: PlacementDesk

    struct TokenRequest: Decodable { var role: String }

    var routes: RouteCollection<ServiceContext> {
        let routes = RouteCollection(context: ServiceContext.self)
        routes.group().add(middleware: Requires(.admin)).get { _, _ in JSONResponse(["tenants": desk.tenants()]) }
        // A tenant's callers see their own tenant; another is not there.
        routes.group().add(middleware: Requires(.reader)).get(":id") { _, context in
            let id = try context.parameters.require("id")
            guard context.caller.owns(id), let view = desk.tenant(id) else { throw DeskError.notFound("no tenant '\(id)'") }
            return JSONResponse(view)
        }
        let admin = routes.group().add(middleware: Requires(.admin))
        admin.put(":id") { request, context in
            let id = try context.parameters.require("id")
            return JSONResponse(try await desk.putTenant(try await RequestBody.decode(Tenant.self, request, context, id: id)))
        }
        admin.delete(":id") { _, context in JSONResponse(try await desk.deleteTenant(try context.parameters.require("id"))) }
        admin.post(":id/tokens") { request, context in
            let asked = try await RequestBody.decode(TokenRequest.self, request, context)
            guard let role = Caller.Role(rawValue: asked.role) else {
                throw DeskError.invalid("role '\(asked.role)' is not one of \(Caller.Role.allCases.map(\.rawValue).joined(separator: ", "))", field: "role")
            }
            return JSONResponse(try await desk.makeToken(tenant: try context.parameters.require("id"), role: role), status: .created)
        }
        admin.delete(":id/tokens/:token") { _, context in
            JSONResponse(try await desk.revokeToken(tenant: try context.parameters.require("id"), token: try context.parameters.require("token")))
        }
        return routes
    }
}
