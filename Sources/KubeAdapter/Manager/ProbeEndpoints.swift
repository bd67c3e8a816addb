/// `/healthz`, `/readyz` and `/metrics`, as controller-runtime serves them.
public struct ProbeEndpoints: Sendable {
    public let metrics: Metrics
    /// Set once every informer has synced.
    public let ready: Flag

    public init(metrics: Metrics, ready: Flag) {
        self.metrics = metrics
        self.ready = ready
    }

    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        guard request.method == "GET" || request.method == "HEAD" else { return .text(405, "method not allowed\n") }
        switch request.path {
        case "/healthz", "/livez": return .text(200, "ok")
        case "/readyz": return ready.isSet ? .text(200, "ok") : .text(503, "informers not synced")
        case "/metrics": return .text(200, metrics.render(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        default: return .text(404, "not found\n")
        }
    }

    /// `host:port` or `:port` (all interfaces, as controller-runtime reads it).
    public static func parseAddress(_ s: String) -> (host: String, port: UInt16)? {
        guard let colon = s.lastIndex(of: ":"), let port = UInt16(s[s.index(after: colon)...]) else { return nil }
        let host = String(s[..<colon])
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }
}
