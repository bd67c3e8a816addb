#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ReconcileCore
import Synchronization

public struct HTTPServerError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A small HTTP/1.1 server on a loopback address: keep-alive, chunked streaming responses, one
/// thread per connection. It serves the probes and metrics of `operatorctl run` and the sandbox
/// API server; it is not meant to face a network, so it refuses to bind anything but 127.0.0.0/8.
public final class HTTPServer: @unchecked Sendable {
    public typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse

    private let host: String
    private let requestedPort: UInt16
    private let handler: Handler
    private let state = Mutex(State())
    /// How long an idle keep-alive connection is kept.
    public var idleTimeoutSeconds = 120

    private let allowNonLoopback: Bool

    private struct State {
        var listenFD: Int32 = -1
        var open: Set<Int32> = []
        var stopped = false
        var boundPort: UInt16 = 0
    }

    /// `allowNonLoopback` is for the in-cluster probe endpoint only (kubelet probes the pod IP);
    /// everything else, tests included, stays on loopback.
    public init(host: String = "127.0.0.1", port: UInt16, allowNonLoopback: Bool = false, handler: @escaping Handler) {
        self.host = host
        self.allowNonLoopback = allowNonLoopback
        self.requestedPort = port
        self.handler = handler
    }

    /// The port actually bound (useful with port 0).
    public var port: UInt16 { state.withLock { $0.boundPort } }

    public func start() throws(HTTPServerError) {
        guard host.hasPrefix("127.") || allowNonLoopback else { throw HTTPServerError("\(host): only loopback addresses (127.0.0.0/8) may be served") }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = requestedPort.bigEndian
        guard inet_pton(AF_INET, host, &addr.sin_addr) == 1 else { throw HTTPServerError("\(host): not an IPv4 address") }
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw HTTPServerError("socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            let e = String(cString: strerror(errno))
            close(fd)
            throw HTTPServerError("\(host):\(requestedPort): bind: \(e)")
        }
        guard listen(fd, 128) == 0 else {
            close(fd)
            throw HTTPServerError("listen: \(String(cString: strerror(errno)))")
        }
        var actual = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        state.withLock {
            $0.listenFD = fd
            $0.boundPort = UInt16(bigEndian: actual.sin_port)
        }
        guard Threads.detach(name: "http-accept", { [self] in acceptLoop(fd) }) else {
            stop()
            close(fd)
            throw HTTPServerError("cannot start the accept thread")
        }
    }

    /// Stops accepting, and closes every open connection (streams end, their producers see `isClosed`).
    public func stop() {
        let fds: [Int32] = state.withLock { s in
            s.stopped = true
            let all = [s.listenFD] + Array(s.open)
            s.listenFD = -1
            return all
        }
        for fd in fds where fd >= 0 { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    private func acceptLoop(_ fd: Int32) {
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                break
            }
            let accepted: Bool = state.withLock { s in
                if s.stopped { return false }
                s.open.insert(client)
                return true
            }
            guard accepted else { close(client); break }
            let started = Threads.detach(name: "http-conn") { [self] in
                serve(client)
                state.withLock { _ = $0.open.remove(client) }
                close(client)
            }
            if !started {
                state.withLock { _ = $0.open.remove(client) }
                close(client)
            }
        }
        close(fd)
    }

    private func serve(_ fd: Int32) {
        var tv = timeval(tv_sec: idleTimeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            switch HTTPRequestParser.parse(buffer) {
            case .incomplete:
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n <= 0 { return }
                buffer.append(contentsOf: chunk[0..<n])
            case .invalid(let status, let message):
                let r = HTTPResponse.text(status, message + "\n")
                _ = write(r, to: fd, keepAlive: false, isHead: false)
                return
            case .request(let request, let consumed):
                buffer.removeFirst(consumed)
                let keepAlive = request.header("connection")?.lowercased() != "close"
                let response = handler(request)
                guard write(response, to: fd, keepAlive: keepAlive, isHead: request.method == "HEAD"), keepAlive else { return }
            }
        }
    }

    private func write(_ response: HTTPResponse, to fd: Int32, keepAlive: Bool, isHead: Bool) -> Bool {
        var head = "HTTP/1.1 \(response.status) \(HTTPResponse.reasonPhrase(response.status))\r\n"
        for (n, v) in response.headers { head += "\(n): \(v)\r\n" }
        head += "Date: \(Self.httpDate())\r\n"
        head += keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n"
        switch response.body {
        case .bytes(let body):
            head += "Content-Length: \(body.count)\r\n\r\n"
            return SocketIO.sendAll(fd, Array(head.utf8) + (isHead ? [] : body))
        case .stream(let producer):
            head += "Transfer-Encoding: chunked\r\n\r\n"
            guard SocketIO.sendAll(fd, Array(head.utf8)) else { return false }
            let sink = SocketChunkSink(fd: fd)
            producer(sink)
            return SocketIO.sendAll(fd, Array("0\r\n\r\n".utf8))
        }
    }

    /// The `Date` header's form (RFC 9110's IMF-fixdate), e.g. `Thu, 01 Jan 2026 00:00:00 GMT`.
    static func httpDate(_ t: Timestamp = WallTime.now().timestamp) -> String {
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        var seconds = time_t(t.secondsSinceEpoch)
        var parts = tm()
        guard gmtime_r(&seconds, &parts) != nil, days.indices.contains(Int(parts.tm_wday)), months.indices.contains(Int(parts.tm_mon)) else { return "" }
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}

/// Blocking socket writes that never raise SIGPIPE.
enum SocketIO {
    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress?.advanced(by: sent), bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            sent += n
        }
        return true
    }
}

/// Writes HTTP chunks straight to the connection's socket.
struct SocketChunkSink: ChunkSink {
    let fd: Int32
    /// Linux's POLLRDHUP (peer shut down writing), not exported by Glibc's Swift overlay.
    static let pollRDHUP: Int16 = 0x2000
    func write(_ bytes: [UInt8]) -> Bool {
        guard !bytes.isEmpty else { return true }
        let head = Array((String(bytes.count, radix: 16) + "\r\n").utf8)
        return SocketIO.sendAll(fd, head + bytes + [13, 10])
    }
    var isClosed: Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN) | Self.pollRDHUP, revents: 0)
        let r = poll(&p, 1, 0)
        if r < 0 { return true }
        if r == 0 { return false }
        if p.revents & (Int16(POLLHUP) | Int16(POLLERR) | Self.pollRDHUP | Int16(POLLNVAL)) != 0 { return true }
        var b: UInt8 = 0
        return recv(fd, &b, 1, Int32(MSG_PEEK) | Int32(MSG_DONTWAIT)) == 0
    }
}
