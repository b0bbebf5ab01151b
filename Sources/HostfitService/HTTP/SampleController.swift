import Foundation
import Hostfit
import Hummingbird

/// POST /samples: live load for the VMs as they run, so that ratings and placements follow it.
struct SampleController: Sendable {
    let desk: PlacementDesk

    var routes: RouteCollection<ServiceContext> {
        let routes = RouteCollection(context: ServiceContext.self)
        let writes = routes.group().add(middleware: Requires(.operator))
        writes.post("samples") { request, context in
            guard let format = InventoryUpload.format(of: request.headers[.contentType]), format != .workbook else {
                throw RequestError.unsupportedMediaType(request.headers[.contentType] ?? "")
            }
            let samples = try SampleUpload.samples(try await RequestBody.data(request, context), format)
            return JSONResponse(try await desk.ingest(samples, as: context.caller))
        }
        return routes
    }
}
