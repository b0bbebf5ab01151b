import Foundation
import Hostfit

// hostfit-bench sizing TRACES_DIR [SPLIT_EPOCH] | scale VMS...
let arguments = CommandLine.arguments
do {
    switch arguments.count > 1 ? arguments[1] : "" {
    case "sizing" where arguments.count >= 3:
        try Sizing.run(traces: arguments[2], split: arguments.count > 3 ? Int64(arguments[3])! : 1_373_846_400, hostCount: 60)
    case "scale":
        let rule = arguments.dropFirst(2).compactMap { PackingRule(rawValue: $0) }.first
        try Scale.run(sizes: arguments.dropFirst(2).compactMap { Int($0) }, packing: rule)
    default:
        FileHandle.standardError.write(Data("usage: hostfit-bench sizing TRACES_DIR [SPLIT_EPOCH] | scale VMS...\n".utf8))
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("hostfit-bench: \(error)\n".utf8))
    exit(1)
}
