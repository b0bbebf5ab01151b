// An embedder that imports Hostfit alone can make a stop and a trace.
@_exported import class GLPK.StopToken
@_exported import typealias GLPK.GLPKTrace
import GLPK

/// Who may stop one plan's search, and where GLPK's log goes: handed down from
/// `PlanOptions` to every phase and every GLPK call of that plan. Nothing here is shared by
/// the process, so two plans in one program stop (and trace) independently.
public struct SearchControl: Sendable {
    public var stop: StopToken
    public var glpkTrace: GLPKTrace?

    public init(stop: StopToken = StopToken(), glpkTrace: GLPKTrace? = nil) {
        self.stop = stop
        self.glpkTrace = glpkTrace
    }

    var stopRequested: Bool { stop.isRequested }

    /// GLPK parameters that answer to this plan's stop and trace.
    func glpk(_ parameters: MIPParameters) -> MIPParameters {
        var parameters = parameters
        parameters.stop = stop
        parameters.trace = glpkTrace
        return parameters
    }
}

extension Duration {
    /// For time limits, which are in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
