import CCurlShim
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

/// The HTTP client: the system libcurl through the `CCurlShim` C target (opened with dlopen).
///
/// Why libcurl and not URLSession: on Linux, URLSession can neither trust a custom CA nor present
/// a client certificate, and kubeconfigs need both. libcurl is what FoundationNetworking is built
/// on, so it is present wherever Foundation networking works; loading it at run time keeps the
/// package free of link flags. One client for every case (plain http, token over https, custom
/// CA, mutual TLS) keeps one code path.
public struct CurlTransport: Transport {
    public let connection: ClusterConnection

    public init(connection: ClusterConnection) { self.connection = connection }

    /// Whether libcurl can be loaded here (nil) or why not.
    public static func unavailableReason() -> String? {
        var err = [CChar](repeating: 0, count: 512)
        return ccurl_available(&err, err.count) == 1 ? nil : String(decoding: err.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public func send(_ request: APIRequest) async throws(TransportError) -> APIResponse {
        let stream = try await stream(request)
        var body: [UInt8] = []
        do {
            for try await chunk in stream.body { body += chunk }
        } catch let e as TransportError {
            throw e
        } catch {
            throw .connection("\(error)")
        }
        return APIResponse(status: stream.status, body: body)
    }

    public func stream(_ request: APIRequest) async throws(TransportError) -> APIStream {
        let token: String?
        do { token = try connection.bearerToken() } catch { throw .connection(error.description) }
        let transfer = CurlTransfer(request: request, connection: connection, token: token)
        return try await transfer.start()
    }
}

/// One transfer: runs `ccurl_perform` on its own thread and bridges its callbacks to Swift.
final class CurlTransfer: Sendable {
    private let request: APIRequest
    private let connection: ClusterConnection
    private let token: String?
    /// Locked: curl's callbacks run on the transfer thread.
    private let state = Mutex(State())

    private struct State {
        var statusContinuation: CheckedContinuation<Int, any Error>?
        var bodyContinuation: AsyncThrowingStream<[UInt8], any Error>.Continuation?
        var aborted = false
    }

    init(request: APIRequest, connection: ClusterConnection, token: String?) {
        self.request = request
        self.connection = connection
        self.token = token
    }

    func start() async throws(TransportError) -> APIStream {
        let (body, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        state.withLock { $0.bodyContinuation = continuation }
        continuation.onTermination = { [self] reason in
            if case .cancelled = reason { state.withLock { $0.aborted = true } }
        }
        do {
            let status = try await withCheckedThrowingContinuation { (c: CheckedContinuation<Int, any Error>) in
                state.withLock { $0.statusContinuation = c }
                if !Threads.detach(name: "api-transfer", { [self] in run() }) {
                    finish(status: 0, error: .connection("cannot start a thread for the transfer"))
                }
            }
            return APIStream(status: status, body: body)
        } catch let e as TransportError {
            throw e
        } catch {
            throw .connection("\(error)")
        }
    }

    fileprivate func received(_ bytes: [UInt8], status: Int) -> Bool {
        let (sc, bc, stop): (CheckedContinuation<Int, any Error>?, AsyncThrowingStream<[UInt8], any Error>.Continuation?, Bool) = state.withLock { s in
            let sc = s.statusContinuation
            s.statusContinuation = nil
            return (sc, s.bodyContinuation, s.aborted)
        }
        sc?.resume(returning: status)
        if stop { return false }
        bc?.yield(bytes)
        return true
    }

    fileprivate var shouldAbort: Bool { state.withLock { $0.aborted } }

    private func finish(status: Int, error: TransportError?) {
        let (sc, bc): (CheckedContinuation<Int, any Error>?, AsyncThrowingStream<[UInt8], any Error>.Continuation?) = state.withLock { s in
            defer { s.statusContinuation = nil; s.bodyContinuation = nil }
            return (s.statusContinuation, s.bodyContinuation)
        }
        if let error {
            sc?.resume(throwing: error)
            bc?.finish(throwing: error)
        } else {
            sc?.resume(returning: status)
            bc?.finish()
        }
    }

    private func run() {
        let url = connection.server.hasSuffix("/") ? String(connection.server.dropLast()) + request.path : connection.server + request.path
        var headerLines = request.headers.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        if let token, !token.isEmpty { headerLines.append("Authorization: Bearer \(token)") }
        if request.headers["Accept"] == nil { headerLines.append("Accept: application/json") }
        // An empty Expect stops curl from waiting for "100 Continue" on large bodies.
        headerLines.append("Expect:")
        let tls = connection.tls
        var status = 0
        var errBuf = [CChar](repeating: 0, count: 512)
        let box = Unmanaged.passRetained(self)
        defer { box.release() }
        let rc: Int32 = withCStrings(headerLines) { headerPtrs in
            withOptionalCString(url) { urlPtr in
            withOptionalCString(request.method) { methodPtr in
            withOptionalCString(tls.caFile) { caFile in
            withOptionalCString(tls.certFile) { certFile in
            withOptionalCString(tls.keyFile) { keyFile in
            withOptionalCString(connection.noProxy) { noProxy in
                // A zero-length body still needs a non-null pointer to be sent as empty.
                let body: [UInt8] = (request.body?.isEmpty ?? true) ? [0] : (request.body ?? [])
                let ca = tls.caPEM ?? [], cert = tls.certPEM ?? [], key = tls.keyPEM ?? []
                return body.withUnsafeBufferPointer { bodyPtr in
                ca.withUnsafeBufferPointer { caPtr in
                cert.withUnsafeBufferPointer { certPtr in
                key.withUnsafeBufferPointer { keyPtr in
                    var req = ccurl_request()
                    req.url = urlPtr
                    req.method = methodPtr
                    req.headers = headerPtrs
                    req.header_count = Int32(headerLines.count)
                    if let sent = request.body {
                        req.body = bodyPtr.baseAddress
                        req.body_len = sent.count
                    }
                    req.ca_file = caFile
                    req.ca_pem = caPtr.baseAddress
                    req.ca_pem_len = caPtr.count
                    req.cert_file = certFile
                    req.key_file = keyFile
                    req.cert_pem = certPtr.baseAddress
                    req.cert_pem_len = certPtr.count
                    req.key_pem = keyPtr.baseAddress
                    req.key_pem_len = keyPtr.count
                    req.insecure_skip_verify = tls.insecureSkipVerify ? 1 : 0
                    req.no_proxy = noProxy
                    req.timeout_ms = Int(((request.timeoutSeconds ?? 0) * 1000).rounded())
                    req.connect_timeout_ms = 10_000
                    return ccurl_perform(&req, curlBodyCallback, curlAbortCallback, box.toOpaque(), &status, &errBuf, errBuf.count)
                }}}}
            }}}}}}
        }
        let message = String(decoding: errBuf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        switch rc {
        case 0: finish(status: status, error: nil)
        case 28: finish(status: status, error: .timedOut(message))
        case 23 where shouldAbort, 42 where shouldAbort: finish(status: status, error: .cancelled)
        default: finish(status: status, error: .connection(message.isEmpty ? "curl error \(rc)" : message))
        }
    }
}

private let curlBodyCallback: ccurl_body_fn = { data, len, status, ctx in
    guard let ctx, let data else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(ctx).takeUnretainedValue()
    let bytes = [UInt8](UnsafeRawBufferPointer(start: data, count: len))
    return transfer.received(bytes, status: status) ? 1 : 0
}

private let curlAbortCallback: ccurl_abort_fn = { ctx in
    guard let ctx else { return 1 }
    return Unmanaged<CurlTransfer>.fromOpaque(ctx).takeUnretainedValue().shouldAbort ? 1 : 0
}

private func withOptionalCString<R>(_ s: String?, _ body: (UnsafePointer<CChar>?) -> R) -> R {
    guard let s else { return body(nil) }
    return s.withCString { body($0) }
}

/// Keeps an array of C strings alive for the duration of `body`.
private func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
    let owned = strings.map { strdup($0) }
    defer { for p in owned { free(p) } }
    let ptrs: [UnsafePointer<CChar>?] = owned.map { $0.map { UnsafePointer($0) } }
    return ptrs.withUnsafeBufferPointer { body($0.baseAddress) }
}
