/// A way a placement breaks the problem's rules. `rule` names the rule, so every rejection,
/// from the checker, a solver or a star rating, can cite it.
public struct Violation: Sendable, Equatable, CustomStringConvertible {
    public enum Rule: String, Sendable {
        /// Every id in a placement names a VM and a host of the inventory.
        case knownIDs = "known-ids"
        /// A VM runs on one host at most.
        case placedOnce = "placed-once"
        /// Only active hosts run VMs.
        case hostState = "host-state"
        /// The summed demand fits the capacity times headroom, per resource and time bucket.
        case capacity
        /// A host runs at most its max_vms VMs.
        case maxVMs = "max-vms"
        /// A VM runs only on a host with every tag it requires (a licence pool, say).
        case requires
        /// A VM with a cluster runs in that cluster.
        case cluster
        /// A pinned VM stays on its current host.
        case pinned
        /// VMs of one affinity group share a host.
        case affinity
        /// VMs of one anti-affinity group never share a host.
        case antiAffinity = "anti-affinity"
        /// Allocated vCPUs per physical core, and allocated memory per physical memory,
        /// stay within the overcommit ratios (independent of measured demand).
        case overcommit
        /// N+k: after any k hosts of a cluster fail, the rest of the cluster still holds its
        /// demand in every time bucket.
        case reserve = "n-plus-k"
    }

    public var rule: Rule
    public var message: String
    public var line: Int?

    public var description: String {
        (line.map { "line \($0): " } ?? "") + "[\(rule.rawValue)] \(message)"
    }
}
