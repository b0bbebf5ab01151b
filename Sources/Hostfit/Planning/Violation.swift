/// A way a placement breaks the problem's rules. `rule` names the rule, so every rejection,
/// from the checker, a solver or a star rating, can cite it.
///
/// A violation is the same one, whatever its numbers, when it breaks the same rule on the
/// same subject (a host's resource, a VM on a host, a group): equality and hashing go by
/// rule and subject, and `amount` says how badly, so that a change can be judged by what it
/// adds or worsens (`added(since:)`), not by how a message reads.
public struct Violation: Sendable, Hashable, CustomStringConvertible {
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
        /// A caller's own limit on top of a plan's rules (the service's per-cluster quota
        /// of a tenant, through `HostRater.gate`): never a plan's violation.
        case quota
    }

    public var rule: Rule
    public var message: String
    public var line: Int?
    /// What breaks the rule: "host 'h1' cpu", "vm 'a' on 'h1'", "anti-affinity 'web' on 'h1'".
    public var subject: String
    /// How far over: the excess of a resource, VMs over a limit or sharing a host, hosts an
    /// affinity group spans; 0 where the rule is met or not, no more or less.
    public var amount: Double
    /// The resource over its limit, for capacity, overcommit and N+k.
    public var resource: Resource?

    /// Without a subject, the message is the subject.
    public init(rule: Rule, message: String, line: Int? = nil, subject: String? = nil, amount: Double = 0, resource: Resource? = nil) {
        self.rule = rule
        self.message = message
        self.line = line
        self.subject = subject ?? message
        self.amount = amount
        self.resource = resource
    }

    public static func == (a: Violation, b: Violation) -> Bool { a.rule == b.rule && a.subject == b.subject }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(rule)
        hasher.combine(subject)
    }

    public var description: String {
        (line.map { "line \($0): " } ?? "") + "[\(rule.rawValue)] \(message)"
    }
}

extension Collection<Violation> {
    /// The violations here that `before` did not have, or had less badly: what a change to
    /// a placement broke. (A host already over that a change pushes further over counts.)
    public func added(since before: Set<Violation>) -> [Violation] {
        filter { violation in
            guard let index = before.firstIndex(of: violation) else { return true }
            let earlier = before[index].amount
            return violation.amount > earlier + 1e-9 * Swift.max(1, abs(earlier))
        }
    }
}
