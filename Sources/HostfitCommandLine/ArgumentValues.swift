import ArgumentParser
import Hostfit

// The library's option types as flag values: the parser rejects anything else and lists
// the values it takes.
extension SolverChoice: ExpressibleByArgument {}
extension PackingRule: ExpressibleByArgument {}
extension BucketScheme: ExpressibleByArgument {}
extension DemandSizing: ExpressibleByArgument {}
extension PlacementGoal: ExpressibleByArgument {}

extension Effort: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
    public var defaultValueDescription: String { description }
}

package enum EffortHelp {
    /// The flag's help, the same for plan and whatif.
    package static let text = ArgumentHelp(
        "How much search: quick, normal or thorough (\(Effort.presets.map { "\($0.name) \(Resource.number($0.effort.seconds))" }.joined(separator: ", "))), or a number: reference seconds of work (about seconds on a 2-core build machine), counted, not timed, so the same effort gives the same plan on any machine and under any load. Default: normal, or 80% of --time-limit when that is less.",
        valueName: "quick|normal|thorough|seconds")
}
