import Foundation
import Hummingbird
import Prometheus

/// /healthz (open: load balancers ask it), /metrics (Prometheus) and /openapi.json (open).
struct SystemController: Sendable {
    let desk: PlacementDesk
    let registry: PrometheusCollectorRegistry
    /// openapi.json, sent as it is.
    let document: Data

    var routes: RouteCollection<ServiceContext> {
        let routes = RouteCollection(context: ServiceContext.self)
        routes.get("healthz") { _, _ in JSONResponse(desk.counts()) }
        routes.get("openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: document)))
        }
        routes.group().add(middleware: Requires(.reader)).get("metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                     body: .init(byteBuffer: ByteBuffer(string: registry.emitToString())))
        }
        return routes
    }
}
