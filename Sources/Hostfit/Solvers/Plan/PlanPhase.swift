/// The phases of `Planner.plan`, in the order they run; each has its own file
/// (`PlanRun+NAME.swift`) and shows on the progress line.
public enum PlanPhase: String, Sendable, CaseIterable, CustomStringConvertible {
    case bounds
    case packing
    case emptyHosts = "empty-hosts"
    case ejectionChains = "ejection-chains"
    case columnGeneration = "column-generation"
    case ilp
    case largeNeighbourhoodSearch = "lns"
    case migrations
    case balance

    /// As the progress line says it.
    public var description: String {
        switch self {
        case .bounds: "bounds"
        case .packing: "packing"
        case .emptyHosts: "emptying hosts"
        case .ejectionChains: "ejection chains"
        case .columnGeneration: "column generation"
        case .ilp: "ilp"
        case .largeNeighbourhoodSearch: "large-neighbourhood search"
        case .migrations: "fewer migrations"
        case .balance: "balance"
        }
    }
}
