import Foundation
import Hummingbird

/// Request bodies, read in one place: within the context's size limit, decoded as JSON with
/// errors that name the field, or taken as the bytes of a file.
enum RequestBody {
    /// The request's bytes, or `tooLarge` over the limit.
    static func data(_ request: Request, _ context: ServiceContext) async throws -> Data {
        var request = request
        do {
            return Data(try await request.collectBody(upTo: context.maxUploadSize).readableBytesView)
        } catch {
            throw RequestError.tooLarge(context.maxUploadSize)
        }
    }

    /// The request's JSON as `T`, or what is wrong with it (the field by name). With `id`, a
    /// body without "id" takes the path's, and one with another is refused.
    static func decode<T: Decodable>(_ type: T.Type, _ request: Request, _ context: ServiceContext, id: String? = nil) async throws -> T {
        var data = try await data(request, context)
        if let id {
            guard var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
                throw DeskError.invalid("the body is not a JSON object")
            }
            if let given = object["id"] {
                guard (given as? String) == id else { throw DeskError.invalid("id in the body differs from the path's '\(id)'", field: "id") }
            }
            object["id"] = id
            data = (try? JSONSerialization.data(withJSONObject: object)) ?? data
        }
        return try decode(type, data)
    }

    /// `data` as JSON of `T`, or what is wrong with it (the field by name).
    static func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw describe(error)
        } catch {
            throw DeskError.invalid("the body is not valid JSON")
        }
    }

    /// A decoding error as the user needs it: which field, and what was wrong with it.
    static func describe(_ error: DecodingError) -> DeskError {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return .invalid("missing field '\(field)'", field: field)
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let field = path(context.codingPath)
            let expected = type == String.self ? "a string" : (type == Int.self || type == Double.self) ? "a number" : type is [Any].Type ? "an array" : "\(type)"
            return .invalid("field '\(field)': expected \(expected)", field: field)
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            return .invalid(field.isEmpty ? "the body is not valid JSON" : "field '\(field)': \(context.debugDescription)", field: field.isEmpty ? nil : field)
        @unknown default:
            return .invalid("the body could not be read")
        }
    }

    /// A query parameter as a whole number in `range`, `fallback` when absent.
    static func integer(_ request: Request, _ name: String, in range: ClosedRange<Int>, fallback: Int?) throws -> Int? {
        guard let text = request.uri.queryParameters[name[...]].map(String.init) else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw DeskError.invalid("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)", field: name)
        }
        return value
    }
}
