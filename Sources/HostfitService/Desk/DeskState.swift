import Foundation
import Hostfit

/// The desk's inventory as readers see it: hosts, VMs and where each runs, the demand
/// sizing, and a journal of the placements made, for rating replicas to follow.
///
/// The desk (one writer) mirrors each committed change here under a write lock, in place;
/// readers (GETs, ratings) take a read lock for as long as they copy what they answer, on
/// any thread and never in the desk's queue. Nothing read may outlive the lock: a copy
/// of the dictionaries that escaped would make the next write copy them whole.
final class DeskState: @unchecked Sendable {
    struct Contents {
        var hostOrder: [String] = []
        var hosts: [String: VMHost] = [:]
        var vmOrder: [String] = []
        /// Each VM with `currentHost` set where it runs.
        var vms: [String: VM] = [:]
        var placed = 0
        var demand = ServiceDemand()
        /// False until the first VMs of an empty store settle the CPU sizing.
        var cpuDecided = true
        /// Grows by one with each change; the journal's last entry made it.
        var version = 0
        /// The changes that took the state from `journalBase` to `version`.
        var journal: [Change] = []
        var journalBase = 0
        /// vm -> the tenant that owns it (none: the estate's).
        var owners: [String: String] = [:]
        /// tenant -> what its placed VMs hold (what quotas are checked on).
        var use: [String: TenantUse] = [:]
        /// tenant -> host -> what its VMs there hold, and the same by cluster (per-cluster
        /// quotas), summed anew from the hosts' when a host changes cluster.
        var useOnHost: [String: [String: TenantUse]] = [:]
        var useInCluster: [String: [String: TenantUse]] = [:]
        /// vm -> what its traces said of its use (right-sizing).
        var usage: [String: TracedUsage] = [:]
        /// VMs with live samples.
        var sampled: Set<String> = []
    }

    /// A change as replicas replay it: placements one by one, anything else by a rebuild.
    enum Change: Sendable {
        /// VMs placed (each with its `currentHost`).
        case placed([VM])
        case released(String)
        /// Nothing placed moved: replicas have nothing to do.
        case loadsUnchanged
        /// Hosts, VMs or sizing changed: replicas build anew.
        case rebuilt
    }

    /// Journal entries kept: a replica further behind builds anew.
    static let journalLimit = 4096

    let headroom: Headroom
    let rules: PlacementRules
    let goal: PlacementGoal
    private var contents = Contents()
    private let lock = ReadWriteLock()

    init(headroom: Headroom, rules: PlacementRules, goal: PlacementGoal) {
        self.headroom = headroom
        self.rules = rules
        self.goal = goal
    }

    func read<T, E: Error>(_ body: (borrowing Contents) throws(E) -> T) throws(E) -> T {
        try lock.reading { () throws(E) in try body(contents) }
    }

    /// Applies `update` and records `change` in the journal, as one version.
    func write(_ change: Change, _ update: (inout Contents) -> Void) {
        lock.writing {
            update(&contents)
            contents.journal.append(change)
            contents.version += 1
            if contents.journal.count > Self.journalLimit {
                let drop = contents.journal.count - Self.journalLimit / 2
                contents.journal.removeFirst(drop)
                contents.journalBase += drop
            }
        }
    }
}

extension DeskState.Contents {
    var hostList: [VMHost] { hostOrder.compactMap { hosts[$0] } }
    var vmList: [VM] { vmOrder.compactMap { vms[$0] } }

    /// Puts `list` over the VMs (same id: the new one), in order, recounting the placed.
    mutating func put(_ list: [VM]) {
        for vm in list {
            if let old = vms[vm.id] { count(old, -1) } else { vmOrder.append(vm.id) }
            vms[vm.id] = vm
            count(vm, 1)
        }
    }

    /// Counts a VM in (or out of, `sign` -1) the placed and its owner's use, where it runs.
    private mutating func count(_ vm: VM, _ sign: Int) {
        guard vm.currentHost != nil else { return }
        placed += sign
        if let owner = owners[vm.id], let host = vm.currentHost {
            let one = TenantUse(vm)
            use[owner] = sign > 0 ? (use[owner] ?? TenantUse()) + one : (use[owner] ?? TenantUse()) - one
            let there = useOnHost[owner]?[host] ?? TenantUse()
            useOnHost[owner, default: [:]][host] = sign > 0 ? there + one : there - one
            if useOnHost[owner]?[host]?.vms == 0 { useOnHost[owner]![host] = nil }
            let cluster = hosts[host]?.cluster ?? ""
            let inCluster = useInCluster[owner]?[cluster] ?? TenantUse()
            useInCluster[owner, default: [:]][cluster] = sign > 0 ? inCluster + one : inCluster - one
            if useInCluster[owner]?[cluster]?.vms == 0 { useInCluster[owner]![cluster] = nil }
        }
    }

    /// What `tenant`'s placed VMs hold in each cluster.
    func clusterUse(of tenant: String) -> [String: TenantUse] { useInCluster[tenant] ?? [:] }

    /// Sums each tenant's use by cluster anew from its use by host.
    private mutating func recountClusters() {
        useInCluster = useOnHost.mapValues { byHost in
            byHost.reduce(into: [:]) { sum, entry in sum[hosts[entry.key]?.cluster ?? "", default: TenantUse()] += entry.value }
        }
    }

    /// Gives a VM (in the inventory or about to be) to a tenant.
    mutating func own(_ id: String, by tenant: String) {
        guard owners[id] != tenant else { return }
        if let vm = vms[id] { count(vm, -1) }
        owners[id] = tenant
        if let vm = vms[id] { count(vm, 1) }
    }

    mutating func put(_ list: [VMHost]) {
        for host in list {
            if hosts[host.id] == nil { hostOrder.append(host.id) }
            hosts[host.id] = host
        }
        // A host may change cluster, or arrive after VMs counted on it: rare, and cheap.
        if !list.isEmpty, !useOnHost.isEmpty { recountClusters() }
    }

    mutating func removeVM(_ id: String) {
        guard let old = vms[id] else { return }
        count(old, -1)
        vms[id] = nil
        owners[id] = nil
        usage[id] = nil
        sampled.remove(id)
        vmOrder.removeAll { $0 == id }
    }

    mutating func removeHost(_ id: String) {
        guard hosts.removeValue(forKey: id) != nil else { return }
        hostOrder.removeAll { $0 == id }
        recountClusters()
    }

    mutating func setHost(of id: String, _ host: String?) {
        guard let old = vms[id] else { return }
        count(old, -1)
        vms[id]!.currentHost = host
        count(vms[id]!, 1)
    }

    /// A page of `order` after the item named `cursor` (nil: from the start); the cursor of
    /// the next page is the last id given.
    static func page<T>(_ order: [String], after cursor: String?, limit: Int, _ item: (String) -> T?) throws(DeskError) -> DeskResult.Page<T> {
        var start = 0
        if let cursor {
            guard let at = order.firstIndex(of: cursor) else {
                throw .invalid("cursor '\(cursor)' names nothing listed: start again without one", field: "cursor")
            }
            start = at + 1
        }
        let end = min(order.count, start + limit)
        let items = order[start..<end].compactMap(item)
        return DeskResult.Page(items: items, next: end < order.count ? order[end - 1] : nil, total: order.count)
    }
}

/// pthread's reader-writer lock: readers share it, a writer has it alone.
final class ReadWriteLock: @unchecked Sendable {
    private let rw = UnsafeMutablePointer<pthread_rwlock_t>.allocate(capacity: 1)

    init() {
        rw.initialize(to: pthread_rwlock_t())
        // Writers first: glibc's default lets a steady stream of readers starve the desk.
        var attributes = pthread_rwlockattr_t()
        pthread_rwlockattr_init(&attributes)
        pthread_rwlockattr_setkind_np(&attributes, Int32(PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP))
        pthread_rwlock_init(rw, &attributes)
        pthread_rwlockattr_destroy(&attributes)
    }

    deinit {
        pthread_rwlock_destroy(rw)
        rw.deallocate()
    }

    func reading<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        pthread_rwlock_rdlock(rw)
        defer { pthread_rwlock_unlock(rw) }
        return try body()
    }

    func writing<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        pthread_rwlock_wrlock(rw)
        defer { pthread_rwlock_unlock(rw) }
        return try body()
    }
}
