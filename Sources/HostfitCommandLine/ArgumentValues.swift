import ArgumentParser
import Hostfit

// The library's option types as flag values: the parser rejects anything else and lists
// the values it takes.
extension SolverChoice: ExpressibleByArgument {}
extension PackingRule: ExpressibleByArgument {}
extension BucketScheme: ExpressibleByArgument {}
extension DemandSizing: ExpressibleByArgument {}
extension PlacementGoal: ExpressibleByArgument {}
