import GLPK

/// Whether the search was asked to stop (Ctrl-C): every phase checks it where it checks
/// its clock, and keeps its best plan.
enum Stop {
    static var requested: Bool { GLPKSolver.cancelRequested }

    static func expired(_ deadline: ContinuousClock.Instant?) -> Bool {
        requested || deadline.map { ContinuousClock.now >= $0 } == true
    }
}

extension Duration {
    /// For time limits, which are in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
