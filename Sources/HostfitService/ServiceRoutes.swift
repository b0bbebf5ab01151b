import Foundation
import Hostfit
import Hummingbird
import Metrics
import Prometheus

/// The request context of the service: its body limit is the service's.
public struct ServiceContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public init(source: Source) { coreContext = .init(source: source) }
    /// 8 MB: about 40,000 VMs in one placement request.
    public var maxUploadSize: Int { 8 * 1024 * 1024 }
}

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

/// The JSON endpoints (described in `OpenAPIDocument`), each a thin shell over the desk.
enum ServiceRoutes {
    static func router(desk: PlacementDesk, configuration: ServiceConfiguration, jobs: PlanJobs = PlanJobs(),
                       registry: PrometheusCollectorRegistry) -> Router<ServiceContext> {
        let router = Router(context: ServiceContext.self)
        router.add(middleware: MetricsMiddleware())  // hb_requests, hb_request_duration, hb_errors by route
        let guardian = Guardian(configuration: configuration)

        router.get("healthz") { _, _ in answer(.json(200, await desk.counts())) }  // open: load balancers ask it
        router.get("metrics") { request, _ in
            if let refusal = guardian.check(request, write: false) { return answer(refusal) }
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                            body: .init(byteBuffer: ByteBuffer(string: registry.emitToString())))
        }
        router.get("openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }

        inventoryRoutes(router, "hosts", noun: "host", guardian: guardian, list: { await desk.hostList() }, one: { await desk.host($0) },
                        put: { await desk.putHosts($0) as ServiceAnswer }, delete: { await desk.deleteHost($0) },
                        upload: { data, format in
                            let read: InputRead<VMHost>
                            do { read = try InventoryUpload.hosts(data, format) } catch { return .error(400, "\(error)") }
                            return await desk.putHosts(read)
                        })
        inventoryRoutes(router, "vms", noun: "VM", guardian: guardian, list: { await desk.vmList() }, one: { await desk.vm($0) },
                        put: { (records: [VMRecord]) in await desk.putVMs(records) }, delete: { await desk.deleteVM($0) },
                        upload: { data, format in
                            let read: InputRead<VM>
                            do { read = try InventoryUpload.vms(data, format) } catch { return .error(400, "\(error)") }
                            return await desk.putVMs(read)
                        })

        router.post("ratings", use: guarded(guardian, write: false) { request, context in
            await withBody(VMRecord.self, request, context) { await desk.rate($0) }
        })
        router.post("plans", use: guarded(guardian, write: true) { request, context in
            await withBody(PlanRequest.self, request, context) { asked in
                let limit = asked.timeLimitS ?? 10
                guard limit > 0, limit <= 3600 else { return .error(400, "time_limit_s must be above 0 and at most 3600", field: "time_limit_s") }
                var options = PlanOptions(solver: .auto, timeLimit: limit)
                if let solver = asked.solver {
                    guard let choice = SolverChoice(rawValue: solver) else {
                        return .error(400, "solver '\(solver)' is not one of \(SolverChoice.allCases.map(\.rawValue).joined(separator: ", "))", field: "solver")
                    }
                    options.solver = choice
                }
                guard let job = await jobs.start(await desk.snapshot(), options: options) else {
                    return .error(409, "a plan is already running: GET /plans/{id} for it, then ask again")
                }
                return .json(202, job)
            }
        })
        router.get("plans/:id", use: guarded(guardian, write: false) { _, context in
            let id = try context.parameters.require("id")
            guard let job = await jobs.job(id) else { return .error(404, "no plan '\(id)'") }
            return .json(200, job)
        })
        router.get("placements", use: guarded(guardian, write: false) { _, _ in .json(200, await desk.placements()) })
        router.post("placements", use: guarded(guardian, write: true) { request, context in
            let key = request.headers.first { $0.name.canonicalName == "idempotency-key" }?.value
            if let key, key.isEmpty || key.count > 200 { return .error(400, "Idempotency-Key must be 1 to 200 characters") }
            return await withBody(PlacementRequest.self, request, context) { asked in
                let start = ContinuousClock.now
                let answer = await desk.place(asked.vms, idempotencyKey: key)
                ServiceMetrics.placement(answer, vms: asked.vms.count, seconds: (ContinuousClock.now - start) / .seconds(1))
                return answer
            }
        })
        router.delete("placements/:vm", use: guarded(guardian, write: true) { _, context in
            await desk.release(try context.parameters.require("vm"))
        })
        return router
    }

    struct PlacementRequest: Decodable { var vms: [VMRecord] }

    struct PlanRequest: Decodable {
        var timeLimitS: Double?
        var solver: String?
        enum CodingKeys: String, CodingKey { case timeLimitS = "time_limit_s", solver }
    }

    typealias Handler = @Sendable (Request, ServiceContext) async throws -> Response

    /// A handler behind the token check.
    static func guarded(_ guardian: Guardian, write: Bool,
                        _ handle: @escaping @Sendable (Request, ServiceContext) async throws -> ServiceAnswer) -> Handler {
        { request, context in
            if let refusal = guardian.check(request, write: write) { return answer(refusal) }
            return answer(try await handle(request, context))
        }
    }

    /// The body as `T` handed to `use`, or the refusal that says what is wrong with it.
    static func withBody<T: Decodable>(_ type: T.Type, _ request: Request, _ context: ServiceContext, id: String? = nil,
                                       _ use: (T) async -> ServiceAnswer) async -> ServiceAnswer {
        switch await body(type, request, context, id: id) {
        case .success(let value): return await use(value)
        case .failure(let refusal): return refusal.answer
        }
    }

    /// GET (all, one), PUT (many, one) and DELETE of one kind of inventory record: the
    /// same five routes for hosts and for VMs.
    static func inventoryRoutes<Record: Decodable & Sendable, Listed: Encodable & Sendable>(
        _ router: Router<ServiceContext>, _ name: String, noun: String, guardian: Guardian,
        list: @escaping @Sendable () async -> [Listed], one: @escaping @Sendable (String) async -> Listed?,
        put: @escaping @Sendable ([Record]) async -> ServiceAnswer, delete: @escaping @Sendable (String) async -> ServiceAnswer,
        upload: @escaping @Sendable (Data, InventoryUpload.Format) async -> ServiceAnswer
    ) {
        router.get(RouterPath(name), use: guarded(guardian, write: false) { _, _ in .json(200, await list()) })
        router.get(RouterPath("\(name)/:id"), use: guarded(guardian, write: false) { _, context in
            let id = try context.parameters.require("id")
            guard let record = await one(id) else { return .error(404, "no \(noun) '\(id)'") }
            return .json(200, record)
        })
        // JSON records, or the file itself: CSV (native or RVTools) or an RVTools workbook.
        router.put(RouterPath(name), use: guarded(guardian, write: true) { request, context in
            guard let format = InventoryUpload.format(of: request.headers[.contentType]) else {
                return .error(415, "Content-Type '\(request.headers[.contentType] ?? "")' is not read here: send application/json, text/csv or \(InventoryUpload.workbookType)")
            }
            guard format != .json else { return await withBody([Record].self, request, context) { await put($0) } }
            switch await rawBody(request, context) {
            case .success(let data): return await upload(data, format)
            case .failure(let refusal): return refusal.answer
            }
        })
        router.put(RouterPath("\(name)/:id"), use: guarded(guardian, write: true) { request, context in
            let id = try context.parameters.require("id")
            return await withBody(Record.self, request, context, id: id) { await put([$0]) }
        })
        router.delete(RouterPath("\(name)/:id"), use: guarded(guardian, write: true) { _, context in
            await delete(try context.parameters.require("id"))
        })
    }

    static func answer(_ answer: ServiceAnswer) -> Response {
        Response(status: .init(code: answer.status), headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: ByteBuffer(string: answer.body + "\n")))
    }

    /// The request's bytes, or the 413 over the size limit.
    static func rawBody(_ request: Request, _ context: ServiceContext) async -> Result<Data, Refusal> {
        var request = request
        do {
            return .success(Data(try await request.collectBody(upTo: context.maxUploadSize).readableBytesView))
        } catch {
            return .failure(Refusal(.error(413, "the body is over \(context.maxUploadSize / 1_048_576) MB: send fewer VMs per request")))
        }
    }

    /// The request's JSON as `T`, or a 400 naming the field (413 over the size limit).
    /// With `id`, a body without "id" takes the path's, and one with another is refused.
    static func body<T: Decodable>(_ type: T.Type, _ request: Request, _ context: ServiceContext, id: String? = nil) async -> Result<T, Refusal> {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: context.maxUploadSize)
        } catch {
            return .failure(Refusal(.error(413, "the body is over \(context.maxUploadSize / 1_048_576) MB: send fewer VMs per request")))
        }
        var data = Data(buffer.readableBytesView)
        if let id {
            guard var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
                return .failure(Refusal(.error(400, "the body is not a JSON object")))
            }
            if let given = object["id"] {
                guard (given as? String) == id else { return .failure(Refusal(.error(400, "id in the body differs from the path's '\(id)'", field: "id"))) }
            }
            object["id"] = id
            data = (try? JSONSerialization.data(withJSONObject: object)) ?? data
        }
        do {
            return .success(try JSONDecoder().decode(T.self, from: data))
        } catch let error as DecodingError {
            return .failure(Refusal(describe(error)))
        } catch {
            return .failure(Refusal(.error(400, "the body is not valid JSON")))
        }
    }

    /// A decoding error as the user needs it: which field, and what was wrong with it.
    static func describe(_ error: DecodingError) -> ServiceAnswer {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return .error(400, "missing field '\(field)'", field: field)
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let field = path(context.codingPath)
            let expected = type == String.self ? "a string" : (type == Int.self || type == Double.self) ? "a number" : type is [Any].Type ? "an array" : "\(type)"
            return .error(400, "field '\(field)': expected \(expected)", field: field)
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            return .error(400, field.isEmpty ? "the body is not valid JSON" : "field '\(field)': \(context.debugDescription)", field: field.isEmpty ? nil : field)
        @unknown default:
            return .error(400, "the body could not be read")
        }
    }
}

struct Refusal: Error { var answer: ServiceAnswer; init(_ answer: ServiceAnswer) { self.answer = answer } }

/// The bearer token check: writes always (when a token is set), reads unless public.
struct Guardian: Sendable {
    var configuration: ServiceConfiguration

    func check(_ request: Request, write: Bool) -> ServiceAnswer? {
        guard let token = configuration.token, write || !configuration.publicRead else { return nil }
        let given = request.headers[.authorization] ?? ""
        guard given == "Bearer \(token)" else {
            return .error(401, given.isEmpty ? "this needs the bearer token: Authorization: Bearer TOKEN" : "the bearer token is wrong")
        }
        return nil
    }
}

/// The service: its routes on Hummingbird, until the process is told to stop.
public enum HostfitServer {
    /// Runs until SIGTERM or SIGINT; `onRunning` gets the port bound (useful with port 0).
    /// Metrics go to a Prometheus registry served at /metrics (swift-metrics is bootstrapped
    /// with it once per process).
    public static func run(desk: PlacementDesk, configuration: ServiceConfiguration, onRunning: @escaping @Sendable (Int) -> Void) async throws {
        let registry = ServiceMetrics.bootstrap()
        let jobs = try PlanJobs(store: desk.store)
        let app = Application(router: ServiceRoutes.router(desk: desk, configuration: configuration, jobs: jobs, registry: registry),
                              configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "hostfit"),
                              onServerRunning: { channel in onRunning(channel.localAddress?.port ?? configuration.port) })
        try await app.runService()
    }
}
