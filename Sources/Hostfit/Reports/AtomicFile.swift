import Foundation

/// Writes files so that a reader sees the old file or the new one, never half of one:
/// each file goes to a temporary name in the same folder, then is renamed over the target.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws {
        try writeAll([(path, data)])
    }

    /// Writes every file of a set to a temporary name first, then renames them all: a
    /// failure while writing (a full disk) leaves the old files as they were.
    public static func writeAll(_ files: [(path: String, data: Data)]) throws {
        var written: [(temporary: URL, target: URL)] = []
        do {
            for file in files {
                let url = URL(fileURLWithPath: file.path)
                let temporary = url.deletingLastPathComponent()
                    .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
                try file.data.write(to: temporary)
                written.append((temporary, url))
            }
            for (temporary, target) in written where rename(temporary.path, target.path) != 0 {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target.path, NSLocalizedDescriptionKey: String(cString: strerror(errno))])
            }
        } catch {
            for (temporary, _) in written { try? FileManager.default.removeItem(at: temporary) }
            throw error
        }
    }

    /// Writes a set of named files into a folder (created if missing), all or none changed
    /// unless a rename itself fails.
    public static func writeAll(_ files: [(name: String, contents: String)], into directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try writeAll(files.map { ((directory as NSString).appendingPathComponent($0.name), Data($0.contents.utf8)) })
    }
}
