import ArgumentParser
import Foundation
import Hostfit
import HostfitCommandLine
import HostfitService
import HostfitWorkbook

/// `hostfit serve`: a program of its own, so that the planner builds without the server
/// stack (`hostfit serve` runs this one).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hostfit serve",
        abstract: "Serve ratings and placements over HTTP on a live inventory kept in SQLite.",
        usage: "hostfit serve --db <file> [--port 8080] [--token-file <file>] [--hosts <file> [--vms <file>] [--traces <path> ...]]",
        discussion: """
        JSON endpoints (described at /openapi.json): PUT, GET and DELETE /hosts/{id} and /vms/{id} (PUT /hosts and /vms take many, as JSON or as the files hostfit reads: hosts.csv, vms.csv, RVTools CSV or .xlsx), POST /ratings (the stars of hostfit place for one VM), POST /placements ({"vms": [...]}: placed one after another, each seeing those before, all or none; an Idempotency-Key header makes a retry safe), DELETE /placements/{vm}, GET /placements, POST /plans (a consolidation plan in the background; GET /plans/{id} for its progress and result), POST /samples (live load: ratings and placements follow it), POST /rebalance (advice: a few safe moves for the load as it is; GET /rebalance/{id}, then POST /rebalance/{id}/apply once they ran), PUT /tenants/{id} (a department with its quota) and POST /tenants/{id}/tokens (a reader, operator or admin token, shown once), GET /audit (every write), /usage, /chargeback and /sizing (per tenant, JSON or CSV), /healthz and /metrics (Prometheus).

        Placements are serialized, checked by the same validator as the CLI and committed to the store (WAL mode) before they are answered: concurrent clients never oversubscribe a host, and a killed server restarts with every acknowledged placement. With --token-file (the estate's admin token) or tenants' tokens, every request but /healthz and /openapi.json needs Authorization: Bearer TOKEN (reads are open with --public-read); a tenant's token sees and touches only its tenant's VMs, within its quota. The store keeps tokens only as hashes.

        Demand: a VM counts its cpu_mhz, memory_used_mb... where given, else its allocation. With --traces (or --profiles), each traced VM is placed on its profile by hour of the week (--buckets hour-of-day for days): a host's VMs must fit together in every hour, not as summed peaks. The store keeps the profiles; a restart places on them without --traces. An inventory that states no CPU use is planned on allocated vCPUs per core (see --vcpu-ratio). GET /healthz says which.

        Example:
          hostfit serve --db hostfit.sqlite --hosts SampleData/hosts.csv \\
            --vms SampleData/estate-vms.csv --traces SampleData/traces
        """,
        version: HostfitVersion.current
    )

    @Option(help: ArgumentHelp("The SQLite store (created when missing).", valueName: "file"))
    var db: String

    @Option(help: ArgumentHelp("Address to listen on (127.0.0.1: this machine only; 0.0.0.0: every interface).", valueName: "address"))
    var host = "127.0.0.1"

    @Option(help: ArgumentHelp("Port to listen on (0: any free one, printed at start).", valueName: "port"))
    var port = 8080

    @Option(name: .customLong("token-file"), help: ArgumentHelp("File whose first line is the bearer token requests need.", valueName: "file"))
    var tokenFile: String?

    @Flag(name: .customLong("public-read"), help: "Let reads (GET, POST /ratings) through without the token.")
    var publicRead = false

    /// --hosts, --vms (and --headroom, --include-powered-off): the files and readers of `hostfit plan`.
    @OptionGroup(title: "Inventory to load at start (VMs on their current hosts)") var inventory: EstateFileOptions

    @OptionGroup(title: "Traces (time-aware placement)") var traceRead: TraceReadOptions

    @Option(help: ArgumentHelp("Profiles CSV written by `hostfit profile`, instead of --traces.", valueName: "file"))
    var profiles: String?

    @Option(help: ArgumentHelp("How a new VM's host is chosen.", valueName: "balance|consolidate"))
    var goal: PlacementGoal = .balance

    @Option(name: .customLong("cost-hours"), help: ArgumentHelp(
        "Hours a host's cost pays for: GET /chargeback?period_h=P then charges cost x P / H.",
        discussion: "43800 for a purchase written off over five years, 720 for a monthly rent. Without it the chargeback splits the cost as given.",
        valueName: "H"))
    var costHours: Double?

    @Option(name: .customLong("vcpu-ratio"), help: ArgumentHelp(
        "Plan CPU as allocated vCPUs, at most N per core; off: as used.",
        discussion: "The choice is kept in the store. Without it, a new store whose VMs state no CPU use (an RVTools vInfo, flavors of vCPUs and memory) is planned on allocations at today's ratio (at least 4:1), as hostfit plan does; otherwise a VM without cpu_mhz or cpu_pct counts each vCPU as a busy core. VMs that state their use are held to it under a ratio too.",
        valueName: "N|off"))
    var vcpuRatio: String?

    @Option(name: .customLong("rebalance-every"), help: ArgumentHelp(
        "Make fresh rebalancing advice (goal fix) at start and then this often: 30m, 1h, 1d.",
        discussion: "Each expires when the next is due; GET /rebalance lists them, POST /rebalance/{id}/apply records that the moves ran.",
        valueName: "duration"))
    var rebalanceEvery: String?

    var rebalanceSeconds: Int64? { rebalanceEvery.flatMap(Duration.seconds) }

    /// --vcpu-ratio as `ServiceDemand.choose` takes it: nil not given, .some(nil) off.
    var givenRatio: Double?? {
        get throws {
            guard let vcpuRatio else { return nil }
            if vcpuRatio == "off" { return .some(nil) }
            guard let ratio = Double(vcpuRatio), ratio > 0, ratio.isFinite, ratio <= 1000 else {
                throw ValidationError("--vcpu-ratio must be a number of vCPUs per core above 0 (4, 6.5), or off")
            }
            return ratio
        }
    }

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
        if inventory.vms != nil && inventory.hosts == nil { throw ValidationError("--vms needs --hosts: their VMs run on them") }
        _ = try givenRatio
        if let costHours, !(costHours.isFinite && costHours >= 1) { throw ValidationError("--cost-hours must be 1 or more hours (43800: five years)") }
        if profiles != nil && !traceRead.traces.isEmpty { throw ValidationError("give --traces or --profiles, not both") }
        if let rebalanceEvery, (rebalanceSeconds ?? 0) < 60 {
            throw ValidationError("--rebalance-every \(rebalanceEvery): give a duration of a minute or more (30m, 1h, 1d)")
        }
    }

    func run() async throws {
        var token: String?
        if let tokenFile {
            guard let text = try? String(contentsOfFile: tokenFile, encoding: .utf8) else {
                throw CLIFailure(code: 2, message: "\(tokenFile): cannot read the token file")
            }
            token = text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) }
            guard let token, !token.isEmpty else { throw CLIFailure(code: 2, message: "\(tokenFile):1: the token is empty") }
        }
        let parsedHeadroom = try inventory.parsedHeadroom()
        let desk: PlacementDesk
        do {
            desk = try PlacementDesk(store: try ServiceStore(path: db), headroom: parsedHeadroom, goal: goal, costHours: costHours)
        } catch {
            throw CLIFailure(code: 2, message: "\(db): cannot open the store: \(error)")
        }
        // The CLI's readers: hosts.csv, vms.csv, RVTools CSV exports and workbooks alike.
        let hostsRead = try inventory.readHosts()
        var vmsRead = try inventory.readVMs()
        let hosts = inventory.hosts
        // Everything is read and checked before the store changes: a start that fails leaves
        // it as it was. Traces become each VM's hourly profile, kept with the VMs.
        var vmsPath = inventory.vms
        var profiles: [String: ServiceProfile]?
        var usage: [String: TracedUsage]?
        if let (traced, history) = try tracedDemand(inventory: desk.allVMs() + (vmsRead?.items ?? [])) {
            let mhzPerCore = PlacementProblem.mhzPerCore(hosts: desk.allHosts() + (hostsRead?.items ?? []))
            // Without an inventory, every traced entity is a VM (not running anywhere yet).
            if vmsRead == nil, desk.allVMs().isEmpty {
                vmsRead = InputRead(items: traced.vms(mhzPerCore: mhzPerCore), format: "traced entities")
                vmsPath = "the traces"
            }
            let made = ServiceProfile.profiles(traced, for: desk.allVMs() + (vmsRead?.items ?? []), mhzPerCore: mhzPerCore)
            profiles = made.profiles
            usage = TracedUsage.of(history, vms: desk.allVMs() + (vmsRead?.items ?? []), percentile: traceRead.percentile)
            for note in made.notes { Terminal.note(note) }
        }
        let startup = DeskStartup(hosts: hostsRead, hostsName: hosts, vms: vmsRead, vmsName: vmsPath, profiles: profiles, usage: usage, vcpuRatio: try givenRatio)
        do {
            for note in try await startup.run(on: desk) { Terminal.note(note) }
        } catch {
            // Messages name the file they are about; one that does not is about what was loaded.
            let loading = vmsPath ?? hosts ?? "the traces"
            let named = [loading, hosts, vmsPath].compactMap { $0 }.contains { error.message.hasPrefix($0 + ":") }
            throw CLIFailure(code: 2, message: named ? error.message : "\(loading): \(error.message)")
        }
        let counts = desk.counts()
        let configuration = ServiceConfiguration(host: host, port: port, token: token, publicRead: publicRead)
        let address = host
        try await HostfitServer.run(desk: desk, configuration: configuration, rebalanceEvery: rebalanceSeconds) { port in
            // The first line of stdout, for scripts and tests that start with --port 0.
            let line = "hostfit serve: listening on http://\(address):\(port) (\(counts.hosts) hosts, \(counts.vms) VMs, \(counts.placed) placed)\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
    }
}

extension ServeCommand {
    /// What --traces or --profiles say: profiles by hour (the service places on those), and
    /// each VM's use as `hostfit plan` reads it for right-sizing (GET /sizing), from one read.
    func tracedDemand(inventory: [VM]) throws -> (profiles: TracedDemand, usage: TracedDemand)? {
        if let profiles {
            let demand = TracedDemand(profiles: try reportingInputErrors { try ProfileFile.read(profiles) })
            return (demand, demand)
        }
        guard !traceRead.traces.isEmpty else { return nil }
        let show: (@Sendable (TraceProgress) -> Void)? = Terminal.isInteractive ? TraceReadOptions.showProgress : nil
        let read = try reportingInputErrors {
            try TraceLoader.read(traceRead.traces, scheme: traceRead.buckets, keepSeries: true, period: traceRead.period,
                                 entityLabel: traceRead.label, progress: show)
        }
        let demand = TracedDemand(read, sizing: .profile, percentile: traceRead.percentile, coreMHz: traceRead.coreMHz, inventory: inventory,
                                  period: traceRead.period)
        let history = TracedDemand(read, sizing: .history, percentile: traceRead.percentile, coreMHz: traceRead.coreMHz, inventory: inventory,
                                   period: traceRead.period)
        Terminal.clearStatus()
        if let quality = demand.quality { try traceRead.report(quality) }
        return (demand, history)
    }
}
