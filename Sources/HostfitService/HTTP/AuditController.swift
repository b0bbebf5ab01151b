import Hostfit
import Hummingbird

/// GET /audit: the writes, oldest first; an admin's all of them (or one tenant's with
/// `tenant`), anyone else's only its tenant's. Filters: `since`, `until` (ISO 8601 or
/// epoch seconds), `vm`, `after` (the last seq of the page before), `limit`.
struct AuditController: Sendable {
    let store: ServiceStore

    var routes: RouteCollection<ServiceContext> {
        let routes = RouteCollection(context: ServiceContext.self)
        routes.group().add(middleware: Requires(.reader)).get { request, context in
            var query = ServiceStore.AuditQuery()
            let caller = context.caller
            let asked = request.uri.queryParameters["tenant"].map(String.init)
            if caller.seesAll {
                if let asked { query.tenant = .some(asked) }
            } else {
                if let asked, asked != caller.tenant { throw DeskError.notFound("no tenant '\(asked)'") }
                query.tenant = .some(caller.tenant)
            }
            query.since = try Self.time(request, "since")
            query.until = try Self.time(request, "until")
            query.vm = request.uri.queryParameters["vm"].map(String.init)
            query.after = try RequestBody.integer(request, "after", in: 0...Int.max, fallback: nil)
            query.limit = try RequestBody.integer(request, "limit", in: 1...100_000, fallback: 1000)!
            let entries: [AuditEntry]
            do { entries = try store.audit(query) } catch { throw DeskError.storeFailed("\(error)") }
            if Accept.csv(request) {
                var csv = CSVWriter(header: ["seq", "at", "request", "tenant", "token", "role", "method", "path", "status", "what", "vms"])
                for e in entries {
                    csv.append([String(e.seq), e.at, e.request, e.tenant ?? "", e.token ?? "", e.role ?? "", e.method, e.path, String(e.status),
                                e.what, e.vms.joined(separator: ";")])
                }
                return Accept.csvResponse(csv.text)
            }
            return ServiceJSON.response(["entries": entries])
        }
        return routes
    }

    static func time(_ request: Request, _ name: String) throws -> Int64? {
        guard let text = request.uri.queryParameters[name[...]].map(String.init) else { return nil }
        if let seconds = Int64(text) { return seconds }
        guard let time = TracePeriod.time(text) else {
            throw DeskError.invalid("\(name) '\(text)' is not a time: give ISO 8601 (2026-12-05T10:00:00Z) or epoch seconds", field: name)
        }
        return time
    }
}

/// Answers as CSV for the spreadsheet people hand on, where the client prefers text/csv
/// to JSON (by q, then by order: "application/json, text/csv" is JSON).
enum Accept {
    static func csv(_ request: Request) -> Bool {
        guard let accept = request.headers[.accept] else { return false }
        var best: (csv: Bool, q: Double)?
        for item in accept.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let type = parts.first, ["text/csv", "application/json", "*/*", "application/*", "text/*"].contains(type) else { continue }
            let q = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            if q > (best?.q ?? 0) { best = (type == "text/csv" || type == "text/*", q) }
        }
        return best?.csv ?? false
    }

    static func csvResponse(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
