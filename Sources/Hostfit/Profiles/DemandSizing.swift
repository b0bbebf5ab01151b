/// How traces become each VM's demand (`--sizing`), from the most faithful to the simplest:
///
/// - `history`: the demand at every interval of the trace; a host's VMs must fit together at
///   every moment, not their summed peaks (the product's default, and its reason to exist).
/// - `profile`: the chosen percentile of each hour of the day or week (`BucketScheme`).
/// - `percentile`: each VM's chosen percentile over its whole trace, one static figure.
/// - `peak`: each VM's maximum, one static figure (what most planners add up).
/// - `allocation`: what each VM was given (vCPUs, memory), whatever it used.
public enum DemandSizing: String, Sendable, CaseIterable {
    case history, profile, percentile, peak, allocation
}
