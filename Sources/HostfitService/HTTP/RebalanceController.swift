import Foundation
import Hostfit
import Hummingbird

/// POST /rebalance (advice on the live state, made in the background), GET /rebalance and
/// /rebalance/{id}, and POST /rebalance/{id}/apply (the operator ran the moves).
struct RebalanceController: Sendable {
    let desk: PlacementDesk
    let jobs: RebalanceJobs

    /// The options of `hostfit rebalance`, by the same names.
    struct RebalanceRequest: Decodable {
        var goal: String?
        var maxMoves: Int?
        var minBenefit: Double?
        var minDwellH: Double?
        var marginPct: Double?
        var trend: Bool?
        var threshold: Int?
        var linkGbps: Double?
        var hostsToDrain: [String]?
        var windowStart: String?
        var windowH: Double?
        var expiresAfterH: Double?
        enum CodingKeys: String, CodingKey {
            case goal, threshold, trend
            case maxMoves = "max_moves", minBenefit = "min_benefit", minDwellH = "min_dwell_h", marginPct = "margin_pct", linkGbps = "link_gbps"
            case hostsToDrain = "hosts_to_drain", windowStart = "window_start", windowH = "window_h", expiresAfterH = "expires_after_h"
        }
    }

    struct ApplyRequest: Decodable {
        var steps: Int?
    }

    struct AdviceList: Encodable {
        var advice: [RebalanceAdvice]
    }

    /// Hours as whole seconds, within `range`; else the field refused.
    static func seconds(_ hours: Double?, _ field: String, in range: ClosedRange<Double>) throws(DeskError) -> Int64? {
        guard let hours else { return nil }
        guard hours.isFinite, range.contains(hours) else {
            throw .invalid("\(field) must be \(Resource.number(range.lowerBound)) to \(Resource.number(range.upperBound)) hours", field: field)
        }
        return Int64((hours * 3600).rounded())
    }

    /// The request as the engine's options, and as text for the advice's summary.
    func options(_ asked: RebalanceRequest) throws(DeskError) -> (RebalanceOptions, [String: String]) {
        var described: [String: String] = [:]
        let goalName = asked.goal ?? "fix"
        guard let goal = RebalanceOptions.Goal(rawValue: goalName) else {
            throw .invalid("goal '\(goalName)' is not one of \(RebalanceOptions.Goal.allCases.map(\.rawValue).joined(separator: ", "))", field: "goal")
        }
        var options = RebalanceOptions(goal: goal)
        described["goal"] = goal.rawValue
        described["headroom"] = desk.state.headroom.description
        if let n = asked.maxMoves {
            guard n >= 0 else { throw .invalid("max_moves must be 0 or more", field: "max_moves") }
            options.maxMoves = n
            described["max-moves"] = String(n)
        }
        if let b = asked.minBenefit {
            guard b.isFinite, b >= 0, b <= 1e6 else { throw .invalid("min_benefit must be 0 or more host-hours", field: "min_benefit") }
            options.minBenefit = b
            described["min-benefit"] = Resource.number(b)
        }
        if let dwell = try Self.seconds(asked.minDwellH, "min_dwell_h", in: 0...8760) {
            options.minDwell = dwell
            described["min-dwell"] = "\(dwell)s"
        }
        if let m = asked.marginPct {
            guard m.isFinite, (0...100).contains(m) else { throw .invalid("margin_pct must be a percentage from 0 to 100", field: "margin_pct") }
            options.margin = m / 100
            described["margin"] = Resource.number(m) + "%"
        }
        // A margin given is not learned, and neither is the trend then.
        options.trend = asked.trend ?? (asked.marginPct == nil ? nil : false)
        if let trend = asked.trend { described["trend"] = trend ? "on" : "off" }
        if let t = asked.threshold {
            guard (1...5).contains(t) else { throw .invalid("threshold must be 1 (conservative) to 5 (aggressive)", field: "threshold") }
            options.threshold = t
            described["threshold"] = String(t)
        }
        if let g = asked.linkGbps {
            guard g.isFinite, g > 0, g <= 10_000 else { throw .invalid("link_gbps must be a positive number", field: "link_gbps") }
            options.cost = MoveCost(linkGbps: g)
            described["link-gbps"] = Resource.number(g)
        }
        let drainAsked = asked.hostsToDrain != nil || asked.windowStart != nil || asked.windowH != nil
        if goal == .drain {
            guard let hosts = asked.hostsToDrain, !hosts.isEmpty else { throw .invalid("goal drain needs hosts_to_drain", field: "hosts_to_drain") }
            let known = Set(desk.allHosts().map(\.id))
            if let unknown = hosts.first(where: { !known.contains($0) }) {
                throw .invalid("hosts_to_drain: no host '\(unknown)'\(NameSuggestion.hint(for: unknown, among: known.sorted()))", field: "hosts_to_drain")
            }
            guard let text = asked.windowStart, let start = TracePeriod.time(text) else {
                throw .invalid("goal drain needs window_start, a time as 2026-12-07T20:00:00Z", field: "window_start")
            }
            guard let length = try Self.seconds(asked.windowH, "window_h", in: 0.25...720) else {
                throw .invalid("goal drain needs window_h, the window's length in hours", field: "window_h")
            }
            options.drain = hosts
            options.window = (start, length)
            described["hosts-to-drain"] = hosts.joined(separator: ",")
            described["window"] = "\(ReplayReport.iso(start))/\(length)s"
        } else if drainAsked {
            throw .invalid("hosts_to_drain, window_start and window_h go with goal drain", field: asked.hostsToDrain != nil ? "hosts_to_drain" : "window_start")
        }
        return (options, described)
    }

    var routes: RouteCollection<ServiceContext> {
        let routes = RouteCollection(context: ServiceContext.self)
        let writes = routes.group().add(middleware: Requires(.operator, estate: true))
        let reads = routes.group().add(middleware: Requires(.reader, estate: true))
        writes.post { request, context in
            let asked = try await RequestBody.decode(RebalanceRequest.self, request, context)
            let (options, described) = try options(asked)
            let expires = try Self.seconds(asked.expiresAfterH, "expires_after_h", in: 0.01...720)
            return JSONResponse(try await jobs.start(options, described: described, expiresAfter: expires), status: .accepted)
        }
        reads.get { _, _ in JSONResponse(AdviceList(advice: await jobs.list())) }
        reads.get(":id") { _, context in
            let id = try context.parameters.require("id")
            guard let advice = await jobs.advice(id) else { throw DeskError.notFound("no advice '\(id)'") }
            return JSONResponse(advice)
        }
        writes.post(":id/apply") { request, context in
            let id = try context.parameters.require("id")
            let body = try await RequestBody.data(request, context)
            let asked = body.isEmpty ? ApplyRequest() : try RequestBody.decode(ApplyRequest.self, body)
            return JSONResponse(try await jobs.apply(id, steps: asked.steps))
        }
        return routes
    }
}
