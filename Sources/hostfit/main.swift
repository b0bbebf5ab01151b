import ArgumentParser
import Foundation

// Exit codes are part of the contract: 0 success, 1 ran but could not place everything
// (or a check found violations), 2 bad input or usage, 3 an internal error.
do {
    var command = try HostfitCommand.parseAsRoot()
    try command.run()
} catch let code as ExitCode {
    exit(code.rawValue)
} catch let failure as CLIFailure {
    Terminal.error(failure.message)
    exit(failure.code)
} catch {
    if HostfitCommand.exitCode(for: error) == .success {
        HostfitCommand.exit(withError: error)  // --help and friends
    }
    Terminal.error(HostfitCommand.fullMessage(for: error))
    exit(2)
}
