import Hostfit

/// An error the CLI reports itself, with its exit code.
package struct CLIFailure: Error {
    package var code: Int32
    package var message: String

    package init(code: Int32, message: String) {
        self.code = code
        self.message = message
    }
}

/// Runs `body`, turning bad input into exit code 2 with `file:line: what is wrong`.
package func reportingInputErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as InputError {
        throw CLIFailure(code: 2, message: error.description)
    }
}
