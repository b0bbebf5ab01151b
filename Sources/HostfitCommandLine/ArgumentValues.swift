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

extension RebalanceOptions.Goal: ExpressibleByArgument {}
extension LoadForecast.Shape: ExpressibleByArgument {}

/// A length of time as a person gives it: `90s`, `30m`, `12h`, `3d`, `2w`, or seconds.
package enum Duration {
    package static func seconds(_ text: String) -> Int64? {
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        guard let last = text.last else { return nil }
        if let unit = units[last] {
            guard let n = Double(text.dropLast()), n >= 0, n.isFinite else { return nil }
            return Int64((n * Double(unit)).rounded())
        }
        guard let n = Int64(text), n >= 0 else { return nil }
        return n
    }
}
