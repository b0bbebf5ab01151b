import ArgumentParser
import Foundation
import Hostfit

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
            // A command's own checks run before the parser names options it does not know, so a
            // misspelt --traces would read as "give --traces": the unknown option comes first.
            Terminal.error(unknownOption(type).map { "Error: \($0)" } ?? type.fullMessage(for: error))
            exit(2)
        }
    }

    /// The first option on the command line that the command (or its subcommand) does not
    /// take, with the closest it does take; nil when every one is known.
    static func unknownOption<Command: ParsableCommand>(_ type: Command.Type, arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> String? {
        var command: ParsableCommand.Type = type
        var rest = arguments[...]
        if let name = rest.first, let sub = type.configuration.subcommands.first(where: { $0._commandName == name }) {
            command = sub
            rest = rest.dropFirst()
        }
        let help = command.helpMessage(columns: 10_000)
        let known = Set(help.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "-") }).filter { $0.hasPrefix("--") && $0.count > 2 }.map(String.init))
        for argument in rest.prefix(while: { $0 != "--" }) where argument.hasPrefix("--") {
            let name = String(argument.split(separator: "=", maxSplits: 1)[0])
            if !known.contains(name) { return "Unknown option '\(name)'\(NameSuggestion.hint(for: name, among: known.sorted()))" }
        }
        return nil
    }
}
