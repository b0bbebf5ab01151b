/// The work a plan has done, counted in units of about a microsecond of the project's
/// reference machine (one core of the 2-core build machine), as CP-SAT counts its
/// "deterministic time": every search step adds what it costs, estimated from the sizes it
/// touched, never read from the clock. A phase stops when its share of the work is spent,
/// so the same inputs, options and seed give the same plan on any machine and under any
/// load. One meter per plan, used on the plan's thread only.
final class WorkMeter: @unchecked Sendable {
    private(set) var units = 0.0
    /// A phase stopped at its share of the time limit before its share of the work.
    private(set) var stoppedByClock = false

    func spend(_ units: Double) { self.units += max(0, units) }
    func clockStopped() { stoppedByClock = true }

    /// Units of one GLPK simplex iteration on a model of `rows` rows and `entries` nonzeros:
    /// its pricing scans the matrix, its ratio test a row of the basis factor (measured on
    /// column generation's master LP, 500 rows: 21 microseconds an iteration at 200 columns,
    /// 290 at 6,700).
    static func simplexCost(rows: Int, entries: Int) -> Double { max(0.05, (Double(rows) * 4 + Double(entries) * 0.7) / 100) }

    /// Units of one simplex iteration inside GLPK's branch and cut, node set-up and cuts
    /// included (measured: about 20 microseconds at 100 rows, 340 at 8,600 rows and 66,000
    /// nonzeros).
    static func branchCost(rows: Int, entries: Int) -> Double { 15 + 0.6 * simplexCost(rows: rows, entries: entries) }

    /// Units of one branch-and-bound node beyond its iterations: set-up and, with cuts on,
    /// MIR and cover rounds over every row (measured on a host-buying model of 492 rows and
    /// 14,528 nonzeros, about 4 ms a node on a machine 1.6 times the reference's speed).
    static func nodeCost(entries: Int, cuts: Bool) -> Double { 5 + Double(entries) * (cuts ? 0.45 : 0.05) }

    /// Units of one cell of the one-dimensional pricing's dynamic program (a compare, an add
    /// and a bit set; measured on Scholl's HARD instances, 100,000 cells a row).
    static let knapsackCellCost = 0.0014

    /// Units of one node of the few-VMs enumeration (`PatternPricer.fewItems`): a binary
    /// search, a lookup and a bound.
    static let enumerationNodeCost = 0.03

    /// Units of testing one VM against one host (`HostLoads.fits`): most tests end on the
    /// per-resource peak and trough; the rest scan buckets.
    static func fitCost(_ problem: PlacementProblem) -> Double {
        Double(problem.resourceCount) * (0.004 + Double(problem.buckets) * 0.0001)
    }

    /// Units of a pass over one VM's demand on one host (a move's or swap's effect on the load).
    static func scanCost(_ problem: PlacementProblem) -> Double {
        Double(problem.resourceCount) * (0.002 + Double(problem.buckets) * 0.001)
    }
}
