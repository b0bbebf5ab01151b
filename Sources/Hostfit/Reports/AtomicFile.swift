import Foundation

/// Writes files so that a reader sees the old file or the new one, never half of one:
/// each file goes to a temporary name in the same folder, then is renamed over the target.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try data.write(to: temporary)
            if rename(temporary.path, url.path) != 0 {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path, NSLocalizedDescriptionKey: String(cString: strerror(errno))])
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    /// Writes every file of a set, or none when any cannot even be started: all contents
    /// are made before the first rename.
    public static func writeAll(_ files: [(name: String, contents: String)], into directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for file in files {
            try write(Data(file.contents.utf8), to: (directory as NSString).appendingPathComponent(file.name))
        }
    }
}
