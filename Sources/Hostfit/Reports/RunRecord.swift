import Foundation

/// What shaped a run, kept in summary.json so that the plan can be re-checked (and the run
/// repeated) from the file alone: Hostfit's version, each input file with its size, and
/// every option that shaped the plan, by its flag name.
public struct RunRecord: Codable, Sendable, Equatable {
    public struct Input: Codable, Sendable, Equatable {
        /// The flag that named it: hosts, models, vms, traces, profiles.
        public var role: String
        /// As given on the command line.
        public var path: String
        /// Resolved, so that a check from another folder finds it.
        public var absolutePath: String
        /// File size, or the summed size of a folder's files.
        public var bytes: Int

        enum CodingKeys: String, CodingKey { case role, path, absolutePath = "absolute_path", bytes }
    }

    public var version: String
    public var inputs: [Input]
    /// Flag name (without --) to value, as a user would type it: "sizing": "history".
    public var options: [String: String]

    public init(version: String = HostfitVersion.current, inputs: [Input] = [], options: [String: String] = [:]) {
        self.version = version
        self.inputs = inputs
        self.options = options
    }

    /// Records `path` under `role`, with its size.
    public mutating func add(_ role: String, _ path: String) {
        let url = URL(fileURLWithPath: path)
        inputs.append(Input(role: role, path: path, absolutePath: url.standardizedFileURL.path, bytes: Self.size(of: url.path)))
    }

    /// The paths recorded for `role`, each as given when it exists from here, else resolved.
    public func paths(_ role: String) -> [String] {
        inputs.filter { $0.role == role }.map { FileManager.default.fileExists(atPath: $0.path) ? $0.path : $0.absolutePath }
    }

    static func size(of path: String) -> Int {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return 0 }
        if !isDirectory.boolValue {
            return (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        }
        var total = 0
        if let walker = FileManager.default.enumerator(atPath: path) {
            while let name = walker.nextObject() as? String {
                total += (try? FileManager.default.attributesOfItem(atPath: path + "/" + name)[.size] as? Int) ?? 0
            }
        }
        return total
    }
}

/// The library's version, as `hostfit --version` and summary.json say it. (Not an enum
/// named `Hostfit`: it would shadow the module name in `Hostfit.VMHost`.)
public enum HostfitVersion {
    public static let current = "0.7.0"
}
