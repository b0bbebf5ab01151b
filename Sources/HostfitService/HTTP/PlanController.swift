import Hostfit
import Hummingbird

/// POST /plans (a consolidation plan of the inventory as it stands, in the background) and
/// GET /plans/{id} for its progress and result.
struct PlanController: Sendable {
    let desk: PlacementDesk
    let jobs: PlanJobs

    struct PlanRequest: Decodable {
        var timeLimitS: Double?
        var solver: String?
        enum CodingKeys: String, CodingKey { case timeLimitS = "time_limit_s", solver }
    }

    var routes: RouteCollection<ServiceContext> {
        let routes = RouteCollection(context: ServiceContext.self)
        routes.group().add(middleware: Requires(.operator, estate: true)).post { request, context in
            let asked = try await RequestBody.decode(PlanRequest.self, request, context)
            let limit = asked.timeLimitS ?? 10
            guard limit > 0, limit <= 3600 else { throw DeskError.invalid("time_limit_s must be above 0 and at most 3600", field: "time_limit_s") }
            var options = PlanOptions(solver: .auto, timeLimit: limit)
            if let solver = asked.solver {
                guard let choice = SolverChoice(rawValue: solver) else {
                    throw DeskError.invalid("solver '\(solver)' is not one of \(SolverChoice.allCases.map(\.rawValue).joined(separator: ", "))", field: "solver")
                }
                options.solver = choice
            }
            guard let job = await jobs.start(await desk.snapshot(), options: options) else {
                throw DeskError.conflict("a plan is already running: GET /plans/{id} for it, then ask again")
            }
            return JSONResponse(job, status: .accepted)
        }
        routes.group().add(middleware: Requires(.reader, estate: true)).get(":id") { _, context in
            let id = try context.parameters.require("id")
            guard let job = await jobs.job(id) else { throw DeskError.notFound("no plan '\(id)'") }
            return JSONResponse(job)
        }
        return routes
    }
}
