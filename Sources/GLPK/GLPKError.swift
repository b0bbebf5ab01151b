/// Why a model could not be solved at all (as opposed to a solve that found it infeasible).
public enum GLPKError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The model failed validation; GLPK never saw it.
    case invalidModel(String)
    /// GLPK rejected a call through its error hook; the process survived, the solve did not.
    case rejected(String)
    /// The incumbent does not have one value per column.
    case invalidIncumbent(String)

    public var description: String {
        switch self {
        case .invalidModel(let why): "invalid model: \(why)"
        case .rejected(let why): "GLPK rejected the model: \(why)"
        case .invalidIncumbent(let why): "invalid incumbent: \(why)"
        }
    }
}
