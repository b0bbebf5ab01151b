/// What a plan is made from, as read: hosts, a catalog of models to buy, VMs (with the
/// files they came from, for notes and errors), new VMs to add, headroom and rules. The one
/// way inventory files and options become a problem: plan, check and place build theirs
/// here, and what-if each state of its scenarios; the service reads the same files with
/// the same readers and reconciles them the same way (`InventoryCheck`).
public struct PlanningInputs: Sendable {
    public var hosts: InputRead<VMHost>?
    public var hostsFile: String?
    public var catalog: InputRead<VMHost>?
    public var vms: InputRead<VM>?
    public var vmsFile: String?
    /// New VMs without a host (what `place` rates), after the inventory's.
    public var adding: [VM] = []
    public var headroom = Headroom()
    public var rules = PlacementRules()
    /// Licence prices (`--licences`), checked against the names hosts and VMs give.
    public var licences: InputRead<Licence>?
    public var licencesFile: String?
    public var catalogFile: String?

    public init(hosts: InputRead<VMHost>? = nil, hostsFile: String? = nil, catalog: InputRead<VMHost>? = nil,
                vms: InputRead<VM>? = nil, vmsFile: String? = nil, adding: [VM] = [],
                headroom: Headroom = Headroom(), rules: PlacementRules = PlacementRules()) {
        self.hosts = hosts
        self.hostsFile = hostsFile
        self.catalog = catalog
        self.vms = vms
        self.vmsFile = vmsFile
        self.adding = adding
        self.headroom = headroom
        self.rules = rules
    }

    /// The inventory's VMs as they run: current hosts matched to the host file's names (a
    /// domain away is the same host; an unknown one is not running, said in a note), then
    /// `adding`. Nil without a VM file and nothing to add (every traced entity is then a VM).
    public func inventoryVMs() throws(PlanningInputError) -> (vms: [VM]?, notes: [String]) {
        var list = vms?.items, notes: [String] = []
        if let vms, let vmsFile, let hostsFile {
            let checked = InventoryCheck.reconcile(vms, vmFile: vmsFile, hosts: hosts?.items ?? [], hostFile: hostsFile)
            list = checked.vms
            notes = checked.notes
        }
        guard !adding.isEmpty else { return (list, notes) }
        let known = Set((list ?? []).map(\.id))
        if let clash = adding.first(where: { known.contains($0.id) }) {
            throw PlanningInputError("VM '\(clash.id)' is new and already in \(vmsFile ?? "the inventory")")
        }
        return ((list ?? []) + adding, notes)
    }

    /// The problem, on `demand` (traces or profiles) where given; what reading found leads
    /// its notes. Growth (`grown(by:)`, `scaled(by:)`) is the caller's next step.
    public func problem(demand: TracedDemand? = nil) throws(PlanningInputError) -> PlacementProblem {
        let (list, reconciled) = try inventoryVMs()
        var notes = (hosts?.notes ?? []) + (catalog?.notes ?? []) + (vms?.notes ?? []) + reconciled
        var rules = self.rules
        do {
            let hostSources = [hosts.map { LicenceCheck.Source($0, file: hostsFile ?? "hosts") },
                               catalog.map { LicenceCheck.Source($0, file: catalogFile ?? "models") }].compactMap { $0 }
            let vmSource = vms.map { LicenceCheck.Source($0, file: vmsFile ?? "vms") }
                ?? (adding.isEmpty ? nil : LicenceCheck.Source(InputRead(items: adding, format: "new VMs"), file: "new VMs"))
            notes += (licences?.notes ?? []) + (try LicenceCheck.check(licences: licences, licencesFile: licencesFile, hosts: hostSources, vms: vmSource))
        } catch {
            throw PlanningInputError(error.description)
        }
        if let licences { rules.licences = licences.items }
        return try PlacementProblem(hosts: hosts?.items ?? [], catalog: catalog?.items ?? [], vms: list, demand: demand,
                                    headroom: headroom, rules: rules, inputNotes: notes)
    }
}
