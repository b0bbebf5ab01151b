/// Why a model could not be solved at all (as opposed to a solve that found it infeasible).
public enum GLPKError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The model failed validation; GLPK never saw it.
    case invalidModel(String)
    /// GLPK rejected a call through its error hook; the process survived, the solve did not.
    case rejected(String)
    /// The incumbent does not have one value per column.
    case invalidIncumbent(String)

    /// A sentence for a user, without GLPK's internals (an assertion's file and line go to
    /// the trace, `MIPParameters.trace`, where whoever debugs GLPK reads them).
    public var userMessage: String {
        switch self {
        case .invalidModel(let why): "the model is invalid (\(why)), so GLPK was not called"
        case .rejected(let why) where why.contains("Assertion failed"): "GLPK stopped on an internal numerical error"
        case .rejected: "GLPK refused the model"
        case .invalidIncumbent(let why): "the starting plan does not fit the model (\(why))"
        }
    }

    public var description: String {
        switch self {
        case .invalidModel(let why): "invalid model: \(why)"
        case .rejected(let why): "GLPK rejected the model: \(why)"
        case .invalidIncumbent(let why): "invalid incumbent: \(why)"
        }
    }
}
