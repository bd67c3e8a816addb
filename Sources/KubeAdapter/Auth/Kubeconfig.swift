import ReconcileCore

/// A kubeconfig file (`apiVersion: v1, kind: Config`): clusters, users and contexts by name.
/// Only what a controller needs is read; exec plugins and auth providers are reported as
/// unsupported instead of silently ignored.
public struct Kubeconfig: Sendable, Equatable {
    public struct Cluster: Sendable, Equatable {
        public var server: String
        public var certificateAuthority: String?
        public var certificateAuthorityData: [UInt8]?
        public var insecureSkipTLSVerify: Bool
    }
    public struct User: Sendable, Equatable {
        public var token: String?
        public var tokenFile: String?
        public var clientCertificate: String?
        public var clientCertificateData: [UInt8]?
        public var clientKey: String?
        public var clientKeyData: [UInt8]?
        /// `exec` or `auth-provider`, which this client does not run.
        public var unsupported: String?
    }
    public struct Context: Sendable, Equatable {
        public var cluster: String
        public var user: String
        public var namespace: String?
    }

    public var currentContext: String?
    public var clusters: [String: Cluster] = [:]
    public var users: [String: User] = [:]
    public var contexts: [String: Context] = [:]

    public init() {}

    /// Reads a kubeconfig document. Relative file paths are resolved against `directory`, as
    /// kubectl does.
    public static func decode(_ v: Value, path: String, directory: String) throws(ConfigError) -> Kubeconfig {
        func fail(_ m: String) -> ConfigError { ConfigError(path: path, message: m) }
        guard case .object = v else { throw fail("a kubeconfig must be a map, got \(v.typeName)") }
        if let kind = v["kind"]?.stringValue, kind != "Config" { throw fail("kind must be Config, got \(kind)") }
        var k = Kubeconfig()
        k.currentContext = v["current-context"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }

        func entries(_ field: String, _ inner: String) throws(ConfigError) -> [(String, Value)] {
            guard let list = v[field], !list.isNull else { return [] }
            guard let items = list.arrayValue else { throw fail("\(field): expected a list, got \(list.typeName)") }
            var out: [(String, Value)] = []
            for (i, item) in items.enumerated() {
                guard let name = item["name"]?.stringValue, !name.isEmpty else { throw fail("\(field)[\(i)].name: required") }
                let body = item[inner] ?? .object(OrderedMap())
                guard case .object = body else { throw fail("\(field)[\(i)].\(inner): expected a map, got \(body.typeName)") }
                out.append((name, body))
            }
            return out
        }
        func string(_ m: Value, _ key: String, _ at: String) throws(ConfigError) -> String? {
            guard let x = m[key], !x.isNull else { return nil }
            guard let s = x.stringValue else { throw fail("\(at).\(key): expected a string, got \(x.typeName)") }
            return s.isEmpty ? nil : s
        }
        func file(_ m: Value, _ key: String, _ at: String) throws(ConfigError) -> String? {
            guard let s = try string(m, key, at) else { return nil }
            return s.hasPrefix("/") ? s : (directory.hasSuffix("/") ? directory + s : directory + "/" + s)
        }
        func base64(_ m: Value, _ key: String, _ at: String) throws(ConfigError) -> [UInt8]? {
            guard let s = try string(m, key, at) else { return nil }
            // Characters outside the alphabet (line breaks of wrapped data) are skipped; nothing left is invalid.
            let kept = s.utf8.filter { c in
                (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x2B || c == 0x2F || c == 0x3D
            }
            guard !kept.isEmpty, let d = Base64.decode(String(decoding: kept, as: UTF8.self)) else { throw fail("\(at).\(key): not valid base64") }
            return d
        }

        for (name, c) in try entries("clusters", "cluster") {
            let at = "clusters[\(name)].cluster"
            guard let server = try string(c, "server", at) else { throw fail("\(at).server: required") }
            let insecure = c["insecure-skip-tls-verify"]
            if let insecure, !insecure.isNull, insecure.boolValue == nil { throw fail("\(at).insecure-skip-tls-verify: expected a boolean") }
            k.clusters[name] = Cluster(server: server, certificateAuthority: try file(c, "certificate-authority", at),
                                       certificateAuthorityData: try base64(c, "certificate-authority-data", at),
                                       insecureSkipTLSVerify: insecure?.boolValue ?? false)
        }
        for (name, u) in try entries("users", "user") {
            let at = "users[\(name)].user"
            var unsupported: String? = nil
            if u["exec"] != nil { unsupported = "exec credential plugins" }
            if u["auth-provider"] != nil { unsupported = "auth-provider plugins" }
            if u["username"] != nil || u["password"] != nil { unsupported = "basic authentication" }
            k.users[name] = User(token: try string(u, "token", at), tokenFile: try file(u, "tokenFile", at),
                                 clientCertificate: try file(u, "client-certificate", at), clientCertificateData: try base64(u, "client-certificate-data", at),
                                 clientKey: try file(u, "client-key", at), clientKeyData: try base64(u, "client-key-data", at),
                                 unsupported: unsupported)
        }
        for (name, c) in try entries("contexts", "context") {
            let at = "contexts[\(name)].context"
            guard let cluster = try string(c, "cluster", at) else { throw fail("\(at).cluster: required") }
            k.contexts[name] = Context(cluster: cluster, user: try string(c, "user", at) ?? "", namespace: try string(c, "namespace", at))
        }
        return k
    }

    /// Merges files the way kubectl merges a `KUBECONFIG` list: the first file to define a name
    /// (or the current context) wins.
    public func merged(with later: Kubeconfig) -> Kubeconfig {
        var m = self
        if m.currentContext == nil { m.currentContext = later.currentContext }
        m.clusters.merge(later.clusters) { first, _ in first }
        m.users.merge(later.users) { first, _ in first }
        m.contexts.merge(later.contexts) { first, _ in first }
        return m
    }

    /// The connection for a context (`--context`, else current-context).
    public func connection(context requested: String?, path: String) throws(ConfigError) -> ClusterConnection {
        func fail(_ m: String) -> ConfigError { ConfigError(path: path, message: m) }
        guard let name = requested ?? currentContext else { throw fail("no current-context is set and no --context was given") }
        guard let ctx = contexts[name] else { throw fail("context \"\(name)\" not found") }
        guard let cluster = clusters[ctx.cluster] else { throw fail("context \"\(name)\": cluster \"\(ctx.cluster)\" not found") }
        let user: User
        if ctx.user.isEmpty {
            user = User()
        } else {
            guard let u = users[ctx.user] else { throw fail("context \"\(name)\": user \"\(ctx.user)\" not found") }
            user = u
        }
        if let what = user.unsupported { throw fail("user \"\(ctx.user)\": \(what) are not supported; use a token or a client certificate") }
        guard cluster.server.hasPrefix("https://") || cluster.server.hasPrefix("http://") else {
            throw fail("cluster \"\(ctx.cluster)\": server must be an http(s) URL, got \"\(cluster.server)\"")
        }
        if (user.clientCertificate != nil || user.clientCertificateData != nil) != (user.clientKey != nil || user.clientKeyData != nil) {
            throw fail("user \"\(ctx.user)\": a client certificate needs its key, and a key its certificate")
        }
        let token: TokenSource? = user.token.map { .literal($0) } ?? user.tokenFile.map { .file($0) }
        let tls = TLSSettings(caFile: cluster.certificateAuthority, caPEM: cluster.certificateAuthorityData,
                              certFile: user.clientCertificate, certPEM: user.clientCertificateData,
                              keyFile: user.clientKey, keyPEM: user.clientKeyData, insecureSkipVerify: cluster.insecureSkipTLSVerify)
        return ClusterConnection(server: cluster.server, token: token, tls: tls, namespace: ctx.namespace)
    }
}

/// Finds the cluster to talk to, in controller-runtime's order: `--kubeconfig`, `KUBECONFIG`,
/// the in-cluster service account, `~/.kube/config`.
public struct ConnectionResolver: Sendable {
    public var kubeconfigPath: String?
    public var context: String?
    public var environment: [String: String]
    public var home: String?
    /// Where the service account is mounted (a parameter so tests need no real pod).
    public var serviceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    public init(kubeconfigPath: String? = nil, context: String? = nil, environment: [String: String], home: String?) {
        self.kubeconfigPath = kubeconfigPath
        self.context = context
        self.environment = environment
        self.home = home
    }

    public func resolve() throws(ConfigError) -> ClusterConnection {
        var connection: ClusterConnection
        if let kubeconfigPath {
            connection = try Self.load(paths: [kubeconfigPath], context: context)
        } else if let list = environment["KUBECONFIG"], !list.isEmpty {
            connection = try Self.load(paths: list.split(separator: ":").map(String.init), context: context)
        } else if let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty {
            connection = try inCluster(host: host)
        } else if let home, FileIO.exists(home + "/.kube/config") {
            connection = try Self.load(paths: [home + "/.kube/config"], context: context)
        } else {
            throw ConfigError(path: "kubeconfig", message: "no cluster: pass --kubeconfig, set KUBECONFIG, run in a pod, or create ~/.kube/config")
        }
        let noProxy = ([environment["NO_PROXY"] ?? environment["no_proxy"] ?? ""] + ["127.0.0.1", "localhost", "::1"]).filter { !$0.isEmpty }
        connection.noProxy = noProxy.joined(separator: ",")
        return connection
    }

    /// The pod's service account: token file (re-read per request, it rotates), mounted CA, namespace.
    public func inCluster(host: String) throws(ConfigError) -> ClusterConnection {
        let port = environment["KUBERNETES_SERVICE_PORT"].flatMap { $0.isEmpty ? nil : $0 } ?? "443"
        let hostPart = host.contains(":") ? "[\(host)]" : host
        let tokenPath = serviceAccountDirectory + "/token"
        guard FileIO.isReadable(tokenPath) else {
            throw ConfigError(path: tokenPath, message: "in-cluster service account token is missing or unreadable")
        }
        let ns = FileIO.read(serviceAccountDirectory + "/namespace").map { String(decoding: $0, as: UTF8.self).trimmingSpaces }
        return ClusterConnection(server: "https://\(hostPart):\(port)", token: .file(tokenPath),
                                 tls: TLSSettings(caFile: serviceAccountDirectory + "/ca.crt"), namespace: ns)
    }

    /// Reads and merges kubeconfig files; missing files in a `KUBECONFIG` list are skipped like
    /// kubectl does, but a list with no readable file is an error.
    public static func load(paths: [String], context: String?) throws(ConfigError) -> ClusterConnection {
        var merged: Kubeconfig? = nil
        for path in paths where !path.isEmpty {
            guard let data = FileIO.read(path) else {
                if paths.count == 1 { throw ConfigError(path: path, message: "cannot read kubeconfig file") }
                continue
            }
            let config = try parse(String(decoding: data, as: UTF8.self), path: path)
            merged = merged.map { $0.merged(with: config) } ?? config
        }
        guard let merged else { throw ConfigError(path: paths.joined(separator: ":"), message: "no readable kubeconfig file") }
        return try merged.connection(context: context, path: paths.first ?? "kubeconfig")
    }

    /// Parses kubeconfig text (YAML, or JSON, which is YAML).
    public static func parse(_ text: String, path: String) throws(ConfigError) -> Kubeconfig {
        let value: Value
        do { value = try YAMLReader.parse(text) } catch {
            throw ConfigError(path: path, message: "\(error.position.line):\(error.position.column): \(error.message)")
        }
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        return try Kubeconfig.decode(value, path: path, directory: directory.isEmpty ? "/" : directory)
    }
}
