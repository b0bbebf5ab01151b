import ArgumentParser
import Foundation

/// The top level of hostfit and hostfit-serve. Exit codes are part of the contract: 0
/// success, 1 ran but could not place everything (or a check found violations), 2 bad
/// input or usage, 3 an internal error.
package enum CommandMain {
    package static func run<Command: ParsableCommand>(_ type: Command.Type) -> Never {
        do {
            var command = try type.parseAsRoot()
            try command.run()
            exit(0)
        } catch {
            fail(type, error)
        }
    }

    /// The same for a command that runs async (a server).
    package static func runAsync<Command: AsyncParsableCommand>(_ type: Command.Type) async -> Never {
        do {
            var command = try type.parseAsRoot()
            if var async = command as? any AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
            exit(0)
        } catch {
            fail(type, error)
        }
    }

    private static func fail<Command: ParsableCommand>(_ type: Command.Type, _ error: any Error) -> Never {
        do {
            throw error
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch let failure as CLIFailure {
            Terminal.error(failure.message)
            exit(failure.code)
        } catch {
            if type.exitCode(for: error) == .success {
                type.exit(withError: error)  // --help, --version
            }
            Terminal.error(type.fullMessage(for: error))
            exit(2)
        }
    }
}
