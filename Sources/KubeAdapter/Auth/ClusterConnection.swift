import ReconcileCore

/// Where the API server is and how to authenticate: what a kubeconfig context or the in-cluster
/// service account resolves to.
public struct ClusterConnection: Sendable, Equatable {
    /// `https://host:port` (no trailing slash needed).
    public var server: String
    public var token: TokenSource?
    public var tls: TLSSettings
    /// The namespace the context names (kubectl's default), if any.
    public var namespace: String?
    /// Hosts reached without a proxy: `NO_PROXY` plus loopback.
    public var noProxy: String?

    public init(server: String, token: TokenSource? = nil, tls: TLSSettings = TLSSettings(), namespace: String? = nil, noProxy: String? = nil) {
        self.server = server
        self.token = token
        self.tls = tls
        self.namespace = namespace
        self.noProxy = noProxy
    }

    public func bearerToken() throws(ConfigError) -> String? {
        switch token {
        case nil: return nil
        case .literal(let t)?: return t
        case .file(let path)?:
            // Read per request: a projected service-account token rotates on disk (hourly), and
            // the file is tiny.
            guard let data = FileIO.read(path) else { throw ConfigError(path: path, message: "cannot read token file") }
            return String(decoding: data, as: UTF8.self).trimmingSpaces
        }
    }
}

public enum TokenSource: Sendable, Equatable {
    case literal(String)
    /// Re-read on every request, so a rotated token is picked up.
    case file(String)
}

/// TLS trust and client identity; files and inline PEM bytes (the `-data` kubeconfig fields).
public struct TLSSettings: Sendable, Equatable {
    public var caFile: String?
    public var caPEM: [UInt8]?
    public var certFile: String?
    public var certPEM: [UInt8]?
    public var keyFile: String?
    public var keyPEM: [UInt8]?
    public var insecureSkipVerify: Bool

    public init(caFile: String? = nil, caPEM: [UInt8]? = nil, certFile: String? = nil, certPEM: [UInt8]? = nil,
                keyFile: String? = nil, keyPEM: [UInt8]? = nil, insecureSkipVerify: Bool = false) {
        self.caFile = caFile
        self.caPEM = caPEM
        self.certFile = certFile
        self.certPEM = certPEM
        self.keyFile = keyFile
        self.keyPEM = keyPEM
        self.insecureSkipVerify = insecureSkipVerify
    }
}

/// A configuration problem, printed as `PATH: error: MESSAGE`.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
    public var description: String { "\(path): error: \(message)" }
}
