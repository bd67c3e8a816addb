/// One request to the API server; `path` includes the query.
public struct APIRequest: Sendable, Equatable {
    public var method: String
    public var path: String
    public var headers: [String: String]
    public var body: [UInt8]?
    /// Whole-request timeout; nil for streams that stay open (watches carry `timeoutSeconds`).
    public var timeoutSeconds: Double?

    public init(method: String, path: String, headers: [String: String] = [:], body: [UInt8]? = nil, timeoutSeconds: Double? = 30) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        self.timeoutSeconds = timeoutSeconds
    }
}

public struct APIResponse: Sendable, Equatable {
    public var status: Int
    public var body: [UInt8]
    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }
}

/// A response whose body arrives piece by piece (a watch).
public struct APIStream: Sendable {
    public var status: Int
    public var body: AsyncThrowingStream<[UInt8], any Error>
    public init(status: Int, body: AsyncThrowingStream<[UInt8], any Error>) {
        self.status = status
        self.body = body
    }
}

public enum TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Could not connect, TLS failed, the connection broke.
    case connection(String)
    case timedOut(String)
    case cancelled

    public var description: String {
        switch self {
        case .connection(let m): return "connection error: \(m)"
        case .timedOut(let m): return "timed out: \(m)"
        case .cancelled: return "cancelled"
        }
    }
}

/// How requests reach the API server. The live implementation is `CurlTransport`; tests use a
/// scripted fake, so request shapes are checked without a server.
public protocol Transport: Sendable {
    func send(_ request: APIRequest) async throws(TransportError) -> APIResponse
    /// Starts a streaming request; returns once the status is known.
    func stream(_ request: APIRequest) async throws(TransportError) -> APIStream
}
