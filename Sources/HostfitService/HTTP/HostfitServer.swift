import Foundation
import Hostfit
import Hummingbird

/// How the service is reached and guarded.
public struct ServiceConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The bearer token writes need (and reads, unless `publicRead`); nil: no token asked.
    public var token: String?
    public var publicRead: Bool

    public init(host: String = "127.0.0.1", port: Int = 8080, token: String? = nil, publicRead: Bool = false) {
        self.host = host
        self.port = port
        self.token = token
        self.publicRead = publicRead
    }
}

/// The service: its controllers on Hummingbird, until the process is told to stop.
public enum HostfitServer {
    /// The routes, for the server and for in-process tests.
    public static func router(desk: PlacementDesk, configuration: ServiceConfiguration, jobs: PlanJobs, advice: RebalanceJobs,
                              document: Data) -> Router<ServiceContext> {
        let router = Router(context: ServiceContext.self)
        router.add(middleware: MetricsMiddleware())  // hb_requests, hb_request_duration, hb_errors by route
        router.add(middleware: BearerAuthenticator(configuration: configuration, desk: desk))
        router.add(middleware: AuditMiddleware(store: desk.store))
        router.addRoutes(SystemController(desk: desk, registry: ServiceMetrics.bootstrap(), document: document).routes)
        router.addRoutes(InventoryController.hosts(desk).routes, atPath: "hosts")
        router.addRoutes(InventoryController.vms(desk).routes, atPath: "vms")
        router.addRoutes(PlacementController(desk: desk).routes)
        router.addRoutes(SampleController(desk: desk).routes)
        router.addRoutes(PlanController(desk: desk, jobs: jobs).routes, atPath: "plans")
        router.addRoutes(RebalanceController(desk: desk, jobs: advice).routes, atPath: "rebalance")
        router.addRoutes(TenantController(desk: desk).routes, atPath: "tenants")
        router.addRoutes(AuditController(store: desk.store).routes, atPath: "audit")
        router.addRoutes(AccountingController(desk: desk).routes)
        return router
    }

    /// Runs until SIGTERM or SIGINT; `onRunning` gets the port bound (useful with port 0).
    /// Metrics go to a Prometheus registry served at /metrics (swift-metrics is bootstrapped
    /// with it once per process). With `rebalanceEvery` (seconds), fresh `fix` advice is made
    /// that often, each expiring when the next is due.
    public static func run(desk: PlacementDesk, configuration: ServiceConfiguration, rebalanceEvery: Int64? = nil,
                           onRunning: @escaping @Sendable (Int) -> Void) async throws {
        // The --token-file token is the estate's first admin token, kept (hashed) with the others.
        if let token = configuration.token { try await desk.installFileToken(token) }
        let jobs = try PlanJobs(store: desk.store)
        let advice = try RebalanceJobs(desk: desk)
        var scheduled: Task<Void, Never>?
        if let every = rebalanceEvery { scheduled = await advice.schedule(every: every, expiresAfter: every) }
        defer { scheduled?.cancel() }
        let app = Application(router: router(desk: desk, configuration: configuration, jobs: jobs, advice: advice, document: try OpenAPIDocument.load()),
                              configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "hostfit"),
                              onServerRunning: { channel in onRunning(channel.localAddress?.port ?? configuration.port) })
        try await app.runService()
    }
}
