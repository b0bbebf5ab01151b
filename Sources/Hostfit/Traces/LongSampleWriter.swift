import Foundation

/// Samples as read, in the native long layout (`timestamp,entity,metric,value`): what a Spark
/// job shuffles by entity when its trace files are cut by time (the Azure dataset's), so
/// that each task then profiles whole entities. Values are written to the last bit, in
/// Hostfit's units as the readers left them (CPU percentages stay percentages), so the
/// profile of the rows read back is the profile of the traces.
public enum LongSamples {
    /// Reads `paths` as `TraceLoader.read` does and writes their samples to `out` (each
    /// worker's in a file of its own beside it, joined at the end). The read accounts for
    /// the files; allocations (vmtable) are not samples and are not written.
    public static func write(_ paths: [String], period: TracePeriod = TracePeriod(), entityLabel: String? = nil,
                             to out: String) throws(InputError) -> TraceRead {
        let made = Counter()
        let (read, sinks) = try TraceLoader.stream(paths, period: period, entityLabel: entityLabel, into: {
            LongSampleWriter(path: "\(out).w\(made.next())")
        })
        defer { for sink in sinks { try? FileManager.default.removeItem(atPath: sink.path) } }
        for sink in sinks { if let error = sink.finish() { throw InputError(file: out, error) } }
        if let name = sinks.lazy.compactMap(\.unwritable).first {
            throw InputError(file: out, "entity '\(name)' has a comma, quote or line break: it cannot be written in the native long layout")
        }
        guard FileManager.default.createFile(atPath: out + ".tmp", contents: Data("timestamp,entity,metric,value\n".utf8)),
              let handle = FileHandle(forWritingAtPath: out + ".tmp") else { throw InputError(file: out, "cannot be written") }
        do {
            try handle.seekToEnd()
            for sink in sinks {
                guard let input = FileHandle(forReadingAtPath: sink.path) else { continue }
                while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty { try handle.write(contentsOf: chunk) }
                try input.close()
            }
            try handle.close()
            guard rename(out + ".tmp", out) == 0 else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            try? FileManager.default.removeItem(atPath: out + ".tmp")
            throw InputError(file: out, "cannot be written: \(error.localizedDescription)")
        }
        return read
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func next() -> Int { lock.withLock { count += 1; return count } }
    }
}

/// One worker's samples, buffered and appended to its own file.
final class LongSampleWriter: SampleSink {
    let path: String
    private var handle: FileHandle?
    private var buffer: [UInt8] = []
    private var names: [String?] = []
    private(set) var unwritable: String?
    private var failure: String?

    init(path: String) {
        self.path = path
        FileManager.default.createFile(atPath: path, contents: nil)
        handle = FileHandle(forWritingAtPath: path)
        if handle == nil { failure = "cannot write \(path)" }
        buffer.reserveCapacity(1 << 20)
    }

    func add(entity: Int, name: (Int) -> String, time: Int64, metric: Metric, value: Double) {
        if entity >= names.count { names += repeatElement(nil, count: entity - names.count + 1) }
        if names[entity] == nil {
            let n = name(entity)
            if n.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) { unwritable = unwritable ?? n }
            names[entity] = n
        }
        buffer += "\(time),\(names[entity]!),\(metric.name),\(value)\n".utf8
        if buffer.count >= 1 << 20 { flush() }
    }

    func endFile(_ file: String) {}

    private func flush() {
        guard !buffer.isEmpty else { return }
        do { try handle?.write(contentsOf: buffer) } catch { failure = failure ?? "cannot write \(path): \(error.localizedDescription)" }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is left and closes the file; the reason where it could not be written.
    func finish() -> String? {
        flush()
        try? handle?.close()
        handle = nil
        return failure
    }
}
