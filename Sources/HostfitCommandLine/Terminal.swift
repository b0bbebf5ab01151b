import Foundation

/// stdout for results, stderr for diagnostics; progress only when stderr is a terminal.
package enum Terminal {
    package static let isInteractive = isatty(STDERR_FILENO) == 1

    package static func error(_ message: String) {
        FileHandle.standardError.write(Data("hostfit: \(message)\n".utf8))
    }

    package static func note(_ message: String) {
        FileHandle.standardError.write(Data("note: \(message)\n".utf8))
    }

    /// A status line that the next one overwrites (terminal only).
    /// The running program's own path (symbolic links resolved), for what lives beside it.
    package static var executable: String? { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") }

    package static func status(_ message: String) {
        guard isInteractive else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(message)".utf8))
    }

    package static func clearStatus() {
        guard isInteractive else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    package static func progress(_ message: String) {
        guard isInteractive else { return }
        FileHandle.standardError.write(Data("\(message)\n".utf8))
    }
}
