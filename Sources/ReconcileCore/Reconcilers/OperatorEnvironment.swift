/// Everything a reconciler may know besides the snapshot: the clock, the operator settings the
/// real operator reads from its environment, and a seed for the few random bytes it needs.
/// Passing these in is what keeps the core pure: same inputs, byte-identical output.
public struct OperatorEnvironment: Sendable, Equatable {
    public enum Platform: String, Sendable { case kubernetes, openshift }

    public var now: Timestamp
    /// `TOOLHIVE_RUNNER_IMAGE`
    public var runnerImage: String
    /// `TOOLHIVE_PROXY_HOST`
    public var proxyHost: String
    /// `VMCP_IMAGE`
    public var vmcpImage: String
    /// `TOOLHIVE_REGISTRY_API_IMAGE`
    public var registryAPIImage: String
    /// `TOOLHIVE_DEFAULT_IMAGE_PULL_SECRETS` (comma list, trimmed, empties dropped)
    public var defaultImagePullSecrets: [String]
    /// `WATCH_NAMESPACE` (comma list); empty means every namespace.
    public var watchNamespaces: [String]
    public var platform: Platform
    /// `TOOLHIVE_DEFAULT_REDIS_ADDR`, `_SECRET_NAME`, `_SECRET_KEY`
    public var defaultRedisAddress: String?
    public var defaultRedisSecretName: String?
    public var defaultRedisSecretKey: String
    /// Seed for random bytes (the vMCP HMAC secret). Live, the adapter draws it from the system's
    /// random source once per write; offline it is fixed so output is reproducible.
    public var randomSeed: String
    /// Whether the vMCP runtime pod reports `discoveredBackends`/`backendCount`/`BackendsDiscovered`
    /// itself (the real runtime does). When false the operator writes them; never both.
    public var vmcpRuntimeReportsStatus: Bool

    public init(
        now: Timestamp = .simulationEpoch,
        runnerImage: String = "ghcr.io/stacklok/toolhive/proxyrunner:latest",
        proxyHost: String = "0.0.0.0",
        vmcpImage: String = "ghcr.io/stacklok/toolhive/vmcp:latest",
        registryAPIImage: String = "ghcr.io/stacklok/thv-registry-api:latest",
        defaultImagePullSecrets: [String] = [],
        watchNamespaces: [String] = [],
        platform: Platform = .kubernetes,
        defaultRedisAddress: String? = nil,
        defaultRedisSecretName: String? = nil,
        defaultRedisSecretKey: String = "redis-password",
        randomSeed: String = "operatorctl-simulation",
        vmcpRuntimeReportsStatus: Bool = true
    ) {
        self.now = now
        self.runnerImage = runnerImage
        self.proxyHost = proxyHost
        self.vmcpImage = vmcpImage
        self.registryAPIImage = registryAPIImage
        self.defaultImagePullSecrets = defaultImagePullSecrets
        self.watchNamespaces = watchNamespaces
        self.platform = platform
        self.defaultRedisAddress = defaultRedisAddress
        self.defaultRedisSecretName = defaultRedisSecretName
        self.defaultRedisSecretKey = defaultRedisSecretKey
        self.randomSeed = randomSeed
        self.vmcpRuntimeReportsStatus = vmcpRuntimeReportsStatus
    }

    /// Reads the settings from environment variables given as a plain dictionary (the caller reads
    /// the process environment; the core never does).
    public init(variables: [String: String], now: Timestamp) {
        self.init(now: now)
        func nonEmpty(_ k: String) -> String? {
            guard let v = variables[k]?.trimmingSpaces, !v.isEmpty else { return nil }
            return v
        }
        if let v = nonEmpty("TOOLHIVE_RUNNER_IMAGE") { runnerImage = v }
        if let v = nonEmpty("TOOLHIVE_PROXY_HOST") { proxyHost = v }
        if let v = nonEmpty("VMCP_IMAGE") { vmcpImage = v }
        if let v = nonEmpty("TOOLHIVE_REGISTRY_API_IMAGE") { registryAPIImage = v }
        defaultImagePullSecrets = Self.commaList(variables["TOOLHIVE_DEFAULT_IMAGE_PULL_SECRETS"] ?? "")
        watchNamespaces = Self.commaList(variables["WATCH_NAMESPACE"] ?? "")
        if let v = nonEmpty("TOOLHIVE_PLATFORM"), let p = Platform(rawValue: v.lowercased()) { platform = p }
        defaultRedisAddress = nonEmpty("TOOLHIVE_DEFAULT_REDIS_ADDR")
        defaultRedisSecretName = nonEmpty("TOOLHIVE_DEFAULT_REDIS_SECRET_NAME")
        if let v = nonEmpty("TOOLHIVE_DEFAULT_REDIS_SECRET_KEY") { defaultRedisSecretKey = v }
        // Not a Go operator setting: says whether a vMCP runtime reports backend status (default true).
        if let v = nonEmpty("VMCP_RUNTIME_REPORTS_STATUS") { vmcpRuntimeReportsStatus = v.lowercased() != "false" }
    }

    /// Comma list, trimmed, empties dropped.
    public static func commaList(_ s: String) -> [String] {
        s.split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
    }

    /// Whether the operator watches this namespace.
    public func watches(namespace: String) -> Bool {
        watchNamespaces.isEmpty || watchNamespaces.contains(namespace)
    }

    /// `count` deterministic pseudo-random bytes for a purpose and object (SHA-256 in counter mode
    /// over the seed). Offline this makes output reproducible; live the adapter sets a fresh seed.
    public func randomBytes(for purpose: String, of key: ObjectKey, count: Int) -> [UInt8] {
        var out: [UInt8] = []
        var counter = 0
        while out.count < count {
            out.append(contentsOf: SHA256.digest(Array("\(randomSeed)|\(purpose)|\(key)|\(counter)".utf8)))
            counter += 1
        }
        return Array(out.prefix(count))
    }
}

extension String {
    /// Trims spaces, tabs and newlines (Foundation-free so the core embeds anywhere).
    public var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
