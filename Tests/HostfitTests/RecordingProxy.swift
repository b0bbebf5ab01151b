import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A proxy on loopback that answers nothing and writes down the first line of every
/// request: with the browser pointed at it, any fetch the page makes shows up here.
final class RecordingProxy: @unchecked Sendable {
    let port: Int
    private let socket: Int32
    private let lock = NSLock()
    private var lines: [String] = []
    private var stopped = false

    init() throws {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0, listen(fd, 64) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        socket = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    private func serve() {
        while true {
            var fds = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let ready = poll(&fds, 1, 200)
            if lock.withLock({ stopped }) { break }
            guard ready > 0 else { continue }
            let client = accept(socket, nil, nil)
            guard client >= 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 2048)
            var clientPoll = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
            let n = poll(&clientPoll, 1, 2000) > 0 ? read(client, &buffer, buffer.count) : 0
            let first = String(decoding: buffer.prefix(max(0, n)), as: UTF8.self).split(separator: "\r\n").first.map(String.init) ?? "(no request line)"
            lock.withLock { lines.append(first) }
            close(client)
        }
        close(socket)
    }

    /// Request lines so far ("GET http://example.com/a.png HTTP/1.1", "CONNECT host:443 ...").
    var requests: [String] { lock.withLock { lines } }

    /// The hosts of those requests.
    var hosts: [String] {
        requests.compactMap { line in
            let parts = line.split(separator: " ")
            guard parts.count >= 2 else { return nil }
            let target = parts[1].replacingOccurrences(of: "http://", with: "").replacingOccurrences(of: "https://", with: "")
            return target.split(separator: "/").first.map { String($0.split(separator: ":").first ?? "") }
        }
    }

    func stop() { lock.withLock { stopped = true } }
}
