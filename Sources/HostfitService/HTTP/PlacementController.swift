import Foundation
import Hostfit
import HTTPTypes
import Hummingbird

/// POST /ratings, and POST, GET and DELETE /placements: the service's hot paths.
struct PlacementController: Sendable {
    let desk: PlacementDesk

    struct PlacementRequest: Decodable { var vms: [VMRecord] }

    var routes: RouteCollection<ServiceContext> {
        let routes = RouteCollection(context: ServiceContext.self)
        let reads = routes.group().add(middleware: Requires(.reader))
        // The best hosts (`top`, 10 by default; `all=true` for every host) and the others counted by rule.
        reads.post("ratings") { request, context in
            let all = request.uri.queryParameters["all"].map { $0 == "true" || $0 == "1" } ?? false
            let top = try RequestBody.integer(request, "top", in: 0...100_000, fallback: 10)
            return JSONResponse(try await desk.rate(try await RequestBody.decode(VMRecord.self, request, context), top: all ? nil : top, as: context.caller))
        }
        reads.get("placements") { _, context in JSONResponse(desk.placements(as: context.caller)) }
        let writes = routes.group().add(middleware: Requires(.operator))
        writes.post("placements") { request, context in
            let key = request.headers[HTTPField.Name("Idempotency-Key")!]
            if let key, key.isEmpty || key.count > 200 { throw DeskError.invalid("Idempotency-Key must be 1 to 200 characters") }
            let asked = try await RequestBody.decode(PlacementRequest.self, request, context)
            let start = ContinuousClock.now
            let outcome = await Result(catching: { () async throws(DeskError) in try await desk.place(asked.vms, idempotencyKey: key, as: context.caller) })
            ServiceMetrics.placement(outcome.mapError { $0 as any Error }, vms: asked.vms.count, seconds: (ContinuousClock.now - start) / .seconds(1))
            return JSONResponse(try outcome.get(), status: .created)
        }
        writes.delete("placements/:vm") { _, context in JSONResponse(try await desk.release(try context.parameters.require("vm"), as: context.caller)) }
        return routes
    }
}

extension Result where Failure == DeskError {
    /// The outcome of `body`, its error kept as a value.
    init(catching body: () async throws(DeskError) -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
