/// Something a plan wants its reader to know, with a code a program can match and a
/// sentence a person can read. Codes are stable; messages may be reworded.
public struct PlanNote: Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, CaseIterable {
        /// Ejection chains saved hosts.
        case ejectionChains = "ejection-chains"
        /// What column generation (and tight packing inside it) did.
        case columnGeneration = "column-generation"
        /// What GLPK's branch and bound on the assignment model did.
        case ilp
        /// The ILP did not run, and why.
        case ilpSkipped = "ilp-skipped"
        case largeNeighbourhoodSearch = "large-neighbourhood-search"
        /// Balancing moved only VMs that migrate anyway.
        case balance
        /// The caller stopped the search (Ctrl-C): this is the best plan so far.
        case stopped
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
