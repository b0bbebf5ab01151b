import CGzip
import Foundation

/// Reads a file in chunks, inflating it on the fly when it is gzip (known by its magic
/// bytes, not its name). Concatenated gzip members are read whole; a truncated or corrupt
/// file is an error that names it. Buffers are reused: one chunk is alive at a time.
final class ByteSource {
    static let chunkSize = 1 << 20

    let displayName: String
    private let file: UnsafeMutablePointer<FILE>
    private(set) var isGzip = false
    private var stream = z_stream()
    private var streamOpen = false
    private var input: [UInt8]
    private var inputStart = 0, inputEnd = 0
    private var inputEnded = false
    /// The current chunk: `chunk[0..<chunkCount]`.
    private(set) var chunk: [UInt8]
    private(set) var chunkCount = 0
    /// Bytes read from disk so far (compressed size for gzip).
    private(set) var bytesRead = 0

    init(path: String, displayName: String? = nil) throws(InputError) {
        self.displayName = displayName ?? path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw InputError(file: self.displayName, "no such file") }
        guard !isDirectory.boolValue, let handle = fopen(path, "rb") else { throw InputError(file: self.displayName, "cannot be read") }
        file = handle
        input = [UInt8](repeating: 0, count: Self.chunkSize / 2)
        chunk = [UInt8](repeating: 0, count: Self.chunkSize)
        refill()
        isGzip = inputEnd >= 2 && input[0] == 0x1F && input[1] == 0x8B
        if isGzip {
            guard openStream() else {
                fclose(file)
                throw InputError(file: self.displayName, "cannot start gzip decompression")
            }
        }
    }

    deinit {
        if streamOpen { inflateEnd(&stream) }
        fclose(file)
    }

    private func refill() {
        let n = input.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        bytesRead += n
        inputStart = 0
        inputEnd = n
        if n < input.count { inputEnded = true }
    }

    private func openStream() -> Bool {
        streamOpen = inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK
        return streamOpen
    }

    /// Loads the next chunk; false at the end of the file.
    func next() throws(InputError) -> Bool {
        chunkCount = 0
        if !isGzip {
            if inputStart == inputEnd {
                if inputEnded { return false }
                refill()
                if inputEnd == 0 { return false }
            }
            let n = inputEnd - inputStart
            chunk.withUnsafeMutableBufferPointer { out in
                input.withUnsafeBufferPointer { inp in
                    _ = memcpy(out.baseAddress!, inp.baseAddress! + inputStart, n)
                }
            }
            chunkCount = n
            inputStart = inputEnd
            return true
        }
        while chunkCount == 0 {
            if inputStart == inputEnd {
                if inputEnded {
                    if streamOpen { throw InputError(file: displayName, "truncated gzip file: it ends inside the compressed data") }
                    return false
                }
                refill()
                continue
            }
            if !streamOpen {
                // Another member follows, or trailing padding that is not gzip: stop there.
                guard inputEnd - inputStart >= 2, input[inputStart] == 0x1F, input[inputStart + 1] == 0x8B else {
                    inputStart = inputEnd
                    inputEnded = true
                    continue
                }
                guard openStream() else { throw InputError(file: displayName, "cannot restart gzip decompression") }
            }
            let status: Int32 = input.withUnsafeMutableBufferPointer { inp in
                chunk.withUnsafeMutableBufferPointer { out in
                    stream.next_in = inp.baseAddress! + inputStart
                    stream.avail_in = UInt32(inputEnd - inputStart)
                    stream.next_out = out.baseAddress!
                    stream.avail_out = UInt32(out.count)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    inputStart = inputEnd - Int(stream.avail_in)
                    chunkCount = out.count - Int(stream.avail_out)
                    return status
                }
            }
            switch status {
            case Z_OK, Z_BUF_ERROR:
                break
            case Z_STREAM_END:
                inflateEnd(&stream)
                streamOpen = false
            default:
                let why = stream.msg.map { String(cString: $0) } ?? "zlib code \(status)"
                throw InputError(file: displayName, "corrupt gzip data (\(why))")
            }
        }
        return true
    }
}
