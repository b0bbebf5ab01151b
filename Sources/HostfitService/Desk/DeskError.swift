import Hostfit

/// Why the desk refused a request. The desk speaks no HTTP: the service turns each case
/// into its status in one place (`DeskError+HTTP`), `hostfit serve` into exit code 2.
public enum DeskError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The request itself is wrong: a record's field, a file's line, a VM twice.
    case invalid(String, field: String? = nil, vm: String? = nil)
    /// No host, VM or plan of that name (or a VM that is not placed).
    case notFound(String)
    /// Well formed, but the estate as it stands refuses it: a rule it would break, a VM
    /// already placed, no host to take it, a host that still runs VMs, a plan running.
    case conflict(String, rule: Violation.Rule? = nil, vm: String? = nil)
    /// A tenant's quota would be passed: nothing was placed or changed.
    case quotaExceeded(QuotaExceeded, tenant: String)
    /// An Idempotency-Key sent before with another request.
    case keyReused(String)
    /// The store did not commit; nothing changed.
    case storeFailed(String)
    /// The validator refused what the rater chose (a bug): nothing was placed.
    case validationFailed(Violation)

    public var message: String {
        switch self {
        case .invalid(let message, _, _), .notFound(let message), .conflict(let message, _, _): message
        case .quotaExceeded(let q, let tenant):
            "tenant '\(tenant)' would pass its \(q.words); nothing was done"
        case .keyReused(let key): "Idempotency-Key '\(key)' was used for another request: use a new key for new VMs"
        case .storeFailed(let why): "store: \(why); nothing changed"
        case .validationFailed(let violation): "internal error: the placement failed validation, nothing was placed: \(violation.message)"
        }
    }

    public var description: String { message }

    /// The request field at fault, where one is.
    public var field: String? {
        if case .invalid(_, let field, _) = self { return field }
        return nil
    }

    /// The VM concerned, where one is.
    public var vm: String? {
        switch self {
        case .invalid(_, _, let vm), .conflict(_, _, let vm): vm
        default: nil
        }
    }

    /// The rule that refused, where one did.
    public var rule: Violation.Rule? {
        switch self {
        case .conflict(_, let rule, _): rule
        case .validationFailed(let violation): violation.rule
        default: nil
        }
    }

    /// A record's error, named for the request (`vm 'x': memory_mb: ...`).
    static func record(_ error: RecordError, _ what: String, vm: String? = nil) -> DeskError {
        .invalid("\(what): \(error.message)", field: error.field, vm: vm)
    }
}
