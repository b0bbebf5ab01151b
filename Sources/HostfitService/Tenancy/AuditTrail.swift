import Foundation
import Synchronization

/// One write request as the audit records it: who, for which tenant, what, when, the
/// request's id and the answer's status. The store writes it in the transaction of the
/// first change the request commits (so a change is never without its row, nor a row
/// without its change); a write that commits nothing is recorded alone when answered.
public final class AuditRequest: Sendable {
    public let id: String
    public let caller: Caller?
    public let method: String
    public let path: String
    /// The status the request answers when it succeeds (201 for a placement...).
    public let successStatus: Int
    public let at: Int64
    private let claimed = Mutex(false)

    public init(id: String, caller: Caller?, method: String, path: String, successStatus: Int, at: Int64) {
        self.id = id
        self.caller = caller
        self.method = method
        self.path = path
        self.successStatus = successStatus
        self.at = at
    }

    /// True once: whoever gets it writes the row.
    func claim() -> Bool { claimed.withLock { was in defer { was = true }; return !was } }
    /// The transaction that claimed it rolled back.
    func unclaim() { claimed.withLock { $0 = false } }
    var isRecorded: Bool { claimed.withLock { $0 } }

    /// A request id to answer with: the client's X-Request-Id where it is a sane one.
    static func requestID(given: String?) -> String {
        if let given, !given.isEmpty, given.count <= 200, given.allSatisfy({ $0.isASCII && !$0.isNewline && $0 != "\0" }) { return given }
        return "req_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
    }
}

/// The write request the current task serves, if any: set by the HTTP layer, read by the
/// store. Background work a request starts inherits it, and finds it claimed.
public enum AuditTrail {
    @TaskLocal public static var current: AuditRequest?
}

/// A row of the audit, as GET /audit answers it.
public struct AuditEntry: Codable, Sendable, Equatable {
    public var seq: Int
    public var at: String
    public var request: String
    public var tenant: String?
    public var token: String?
    public var role: String?
    public var method: String
    public var path: String
    public var status: Int
    /// What changed, in a few words ("placed web-1 on esx02").
    public var what: String
    public var vms: [String]
}
