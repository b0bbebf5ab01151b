import Foundation
import Hostfit

// hostfit-bench sizing TRACES_DIR [SPLIT_EPOCH] | scale VMS... | ratings [TRACES_DIR] | binpacking [--time-limit S] [--jobs N] [--every K] ROOT...
let arguments = CommandLine.arguments
do {
    switch arguments.count > 1 ? arguments[1] : "" {
    case "sizing" where arguments.count >= 3:
        try Sizing.run(traces: arguments[2], split: arguments.count > 3 ? Int64(arguments[3])! : 1_373_846_400, hostCount: 60)
    case "scale":
        let rule = arguments.dropFirst(2).compactMap { PackingRule(rawValue: $0) }.first
        try Scale.run(sizes: arguments.dropFirst(2).compactMap { Int($0) }, packing: rule)
    case "binpacking":
        var limit = 10.0, jobs = 2, every = 1, roots: [String] = []
        var rest = arguments.dropFirst(2)[...]
        while let a = rest.popFirst() {
            switch a {
            case "--time-limit": limit = Double(rest.popFirst() ?? "") ?? limit
            case "--jobs": jobs = Int(rest.popFirst() ?? "") ?? jobs
            case "--every": every = Int(rest.popFirst() ?? "") ?? every
            default: roots.append(a)
            }
        }
        try BinPacking.run(roots: roots, limit: limit, jobs: max(1, jobs), every: every)
    case "ratings":
        try Ratings.run(traces: arguments.count > 2 ? arguments[2] : nil)
    case "binpacking-shard" where arguments.count >= 3:
        try BinPacking.shard(limit: Double(arguments[2])!, files: Array(arguments.dropFirst(3)))
    default:
        FileHandle.standardError.write(Data("usage: hostfit-bench sizing TRACES_DIR [SPLIT_EPOCH] | scale VMS... | binpacking [--time-limit S] [--jobs N] [--every K] ROOT...\n".utf8))
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("hostfit-bench: \(error)\n".utf8))
    exit(1)
}
