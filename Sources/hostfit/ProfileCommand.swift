import ArgumentParser
import HostfitCommandLine
import Foundation
import Hostfit

struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Turn performance traces into workload profiles.",
        usage: "hostfit profile --traces <path> ... [<options>] --out <file>",
        discussion: """
        Writes one row per entity and resource: mean, p50, p90, p95, p99 and max; the \
        trend (change of the daily mean per 30 days, Theil-Sen); a data confidence of 1 to \
        5 stars from the share of expected samples present; and the chosen percentile of \
        every hour of the day or week (UTC). `hostfit plan --profiles` plans from the file.

        Rows that cannot be read are counted and reported per file with the first few \
        file:line examples; --strict makes them an error.

        Example:
          hostfit profile --traces traces/ --buckets hour-of-week --out profiles.csv
        """
    )

    @OptionGroup var traceOptions: TraceReadOptions

    @Option(help: ArgumentHelp("VM inventory CSV: vcpus and memory_mb give percentages a capacity.", valueName: "file"))
    var vms: String?

    @Option(help: ArgumentHelp("The profiles CSV to write.", valueName: "file"))
    var out: String

    func validate() throws {
        guard !traceOptions.traces.isEmpty else { throw ValidationError("give at least one --traces file or folder") }
    }

    func run() throws {
        let clock = ContinuousClock(), start = clock.now
        let inventory = try vms.map { path in try reportingInputErrors { try VMInventoryFile.read(path) } } ?? []
        let set = try traceOptions.profiles(inventory: inventory)
        guard !set.profiles.isEmpty else {
            // An empty profiles file with exit 0 would pass a misread in silence.
            let why = set.notes.isEmpty ? "the traces hold no CPU, memory, disk or network samples" : set.notes.joined(separator: "; ")
            Terminal.error("no profiles: \(why); nothing written")
            throw ExitCode(1)
        }
        do {
            try AtomicFile.write(Data(ProfileReport.csv(set).utf8), to: out)
        } catch {
            throw CLIFailure(code: 2, message: "\(out): cannot write the profiles: \(error.localizedDescription)")
        }
        let seconds = Double((clock.now - start).components.attoseconds) / 1e18 + Double((clock.now - start).components.seconds)
        let resources = set.profiles.reduce(0) { $0 + $1.resources.count }
        print("Profiled \(set.profiles.count) entities (\(resources) resource profiles, \(set.scheme.rawValue) p\(Resource.number(set.percentile))) in \(String(format: "%.2f", seconds)) s; wrote \(out)")
    }
}
