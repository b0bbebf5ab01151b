import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hostfit

/// `--prometheus URL --query Q`: `query_range` answers fetched from a Prometheus server and
/// kept as files, which the trace readers then read as any other export (the network is
/// the edge's business; the readers see bytes). A range longer than one request may ask
/// (Prometheus refuses more than 11,000 points a series) is fetched in consecutive pieces.
package enum PrometheusFetch {
    static let pointsPerRequest: Int64 = 10_000

    /// The answers' files in `folder`, in query and time order.
    package static func fetch(server: String, queries: [String], from: Int64, until: Int64, step: Int64,
                              into folder: String) throws(InputError) -> [String] {
        guard var base = URLComponents(string: server), let scheme = base.scheme, ["http", "https"].contains(scheme), base.host != nil else {
            throw InputError(file: server, "not an http:// or https:// address of a Prometheus server")
        }
        base.path = base.path.hasSuffix("/") ? base.path + "api/v1/query_range" : base.path + "/api/v1/query_range"
        var files: [String] = []
        for (q, query) in queries.enumerated() {
            var start = from, piece = 0
            while start < until {
                let end = min(until, start + step * (pointsPerRequest - 1))
                var components = base
                components.queryItems = [URLQueryItem(name: "query", value: query), URLQueryItem(name: "start", value: String(start)),
                                         URLQueryItem(name: "end", value: String(end)), URLQueryItem(name: "step", value: String(step))]
                let body = try get(components.url!, server: server, query: query)
                let path = (folder as NSString).appendingPathComponent("query-\(q + 1)-\(piece + 1).json")
                do { try body.write(to: URL(fileURLWithPath: path)) } catch {
                    throw InputError(file: path, "cannot keep the answer: \(error.localizedDescription)")
                }
                files.append(path)
                start = end + step
                piece += 1
            }
        }
        return files
    }

    /// One GET, waited for (60 s at most); an error answer says Prometheus's own words.
    private static func get(_ url: URL, server: String, query: String) throws(InputError) -> Data {
        var request = URLRequest(url: url, timeoutInterval: 60)
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: (Data?, URLResponse?, Error?) = (nil, nil, nil)
        URLSession.shared.dataTask(with: request) { data, response, error in
            result = (data, response, error)
            done.signal()
        }.resume()
        done.wait()
        if let error = result.2 { throw InputError(file: server, "cannot reach the server: \(error.localizedDescription)") }
        let status = (result.1 as? HTTPURLResponse)?.statusCode ?? 0
        let data = result.0 ?? Data()
        guard status == 200 else {
            let said = (try? JSONSerialization.jsonObject(with: data) as? [String: Any])?["error"] as? String
            throw InputError(file: server, "query '\(query)': HTTP \(status)\(said.map { ": \($0)" } ?? "")")
        }
        return data
    }
}
