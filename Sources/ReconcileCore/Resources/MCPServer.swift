/// An MCPServer (`toolhive.stacklok.dev`, v1alpha1 and v1beta1 share one schema), decoded from its
/// tree with `FieldReader`. The tree itself is kept in `object`, so fields this model does not know
/// survive untouched; the model only carries what the reconciler decides with.
public struct MCPServer: Sendable, Hashable {
    public static let finalizer = "mcpserver.toolhive.stacklok.dev/finalizer"
    public static let restartedAtAnnotation = "mcpserver.toolhive.stacklok.dev/restarted-at"
    public static let restartStrategyAnnotation = "mcpserver.toolhive.stacklok.dev/restart-strategy"
    public static let lastProcessedRestartAnnotation = "mcpserver.toolhive.stacklok.dev/last-processed-restart"
    public static let transports = ["stdio", "streamable-http", "sse"]
    public static let defaultPort: Int64 = 8080

    public var object: KubeObject
    public var spec: MCPServerSpec

    public var name: String { object.name }
    public var namespace: String { object.namespace }
    public var generation: Int64 { object.generation }

    /// Decodes the spec; a field of the wrong shape is a `FieldError` naming it (the reconciler turns
    /// it into a Failed status, never a crash).
    public init(_ object: KubeObject) throws(FieldError) {
        self.object = object
        self.spec = try MCPServerSpec(FieldReader(object.spec, path: "spec"))
    }
}

public struct NameValue: Sendable, Hashable {
    public var name: String
    public var value: String
}

public struct SecretKeyRef: Sendable, Hashable {
    public var name: String
    public var key: String
}

public struct MCPServerSpec: Sendable, Hashable {
    public struct HostVolume: Sendable, Hashable {
        public var name: String
        public var hostPath: String
        public var mountPath: String
        public var readOnly: Bool
    }
    public struct SecretRef: Sendable, Hashable {
        public var name: String
        public var key: String
        public var targetEnvName: String?
        /// The variable the MCP container sees: `targetEnvName`, or the key.
        public var envName: String { (targetEnvName?.isEmpty == false ? targetEnvName : nil) ?? key }
    }
    public struct PermissionProfile: Sendable, Hashable {
        public var type: String
        public var name: String
        public var key: String
    }
    public struct ResourceList: Sendable, Hashable {
        public var cpu: String = ""
        public var memory: String = ""
        public var isEmpty: Bool { cpu.isEmpty && memory.isEmpty }
    }
    public struct ProxyDeploymentOverrides: Sendable, Hashable {
        public var labels: [String: String] = [:]
        public var annotations: [String: String] = [:]
        public var podLabels: [String: String] = [:]
        public var podAnnotations: [String: String] = [:]
        public var env: [NameValue] = []
        public var imagePullSecrets: [String] = []
    }
    public struct SessionStorage: Sendable, Hashable {
        public var provider: String
        public var address: String
        public var db: Int64
        public var keyPrefix: String
        public var passwordRef: SecretKeyRef?
    }
    public struct OIDCConfigRef: Sendable, Hashable {
        public var name: String
        public var audience: String
    }
    public struct AuthServerRef: Sendable, Hashable {
        public var kind: String
        public var name: String
    }

    public var image: String
    public var transport: String
    public var proxyMode: String?
    public var proxyPort: Int64
    public var mcpPort: Int64
    public var args: [String]
    public var env: [NameValue]
    public var volumes: [HostVolume]
    public var limits: ResourceList
    public var requests: ResourceList
    public var secrets: [SecretRef]
    /// nil: unset (the operator creates `N-sa`); "": set but empty (no SA in the patch, no `N-sa`).
    public var serviceAccount: String?
    public var permissionProfile: PermissionProfile?
    /// The raw user template; validated separately because a bad one is a condition, not a decode error.
    public var podTemplateSpec: Value?
    public var proxyDeployment: ProxyDeploymentOverrides
    public var proxyServiceLabels: [String: String]
    public var proxyServiceAnnotations: [String: String]
    public var groupRef: String?
    public var toolConfigRef: String?
    public var externalAuthConfigRef: String?
    public var authServerRef: AuthServerRef?
    public var oidcConfigRef: OIDCConfigRef?
    /// `authzConfig`, kept as a tree: type (`configMap`/`inline`), configMap{name,key}, inline{...}.
    public var authzConfig: Value?
    public var authzConfigRef: String?
    public var telemetryConfigRef: String?
    public var webhookConfigRef: String?
    public var auditEnabled: Bool
    public var trustProxyHeaders: Bool
    public var endpointPrefix: String
    public var sessionAffinity: String
    public var replicas: Int64?
    public var backendReplicas: Int64?
    public var sessionStorage: SessionStorage?
    public var rateLimiting: Value?

    public init(_ r: FieldReader) throws(FieldError) {
        image = try r.string("image")
        transport = try r.enumString("transport", allowed: MCPServer.transports, default: "stdio") ?? "stdio"
        proxyMode = try r.enumString("proxyMode", allowed: ["sse", "streamable-http"])
        let port = try r.optionalInt("proxyPort", in: 0...65535) ?? 0
        proxyPort = port == 0 ? MCPServer.defaultPort : port
        let target = try r.optionalInt("mcpPort", in: 0...65535) ?? 0
        mcpPort = target == 0 ? MCPServer.defaultPort : target
        args = try r.stringList("args")
        env = try Self.nameValues(r, "env")
        volumes = []
        for v in try r.optionalList("volumes") ?? [] {
            volumes.append(HostVolume(name: try v.string("name"), hostPath: try v.string("hostPath"), mountPath: try v.string("mountPath"), readOnly: try v.optionalBool("readOnly") ?? false))
        }
        limits = ResourceList()
        requests = ResourceList()
        if let res = try r.optionalMap("resources") {
            if let l = try res.optionalMap("limits") { limits = ResourceList(cpu: try l.optionalString("cpu") ?? "", memory: try l.optionalString("memory") ?? "") }
            if let q = try res.optionalMap("requests") { requests = ResourceList(cpu: try q.optionalString("cpu") ?? "", memory: try q.optionalString("memory") ?? "") }
        }
        secrets = []
        for s in try r.optionalList("secrets") ?? [] {
            secrets.append(SecretRef(name: try s.string("name"), key: try s.string("key"), targetEnvName: try s.optionalString("targetEnvName")))
        }
        serviceAccount = try r.optionalString("serviceAccount")
        if let p = try r.optionalMap("permissionProfile") {
            permissionProfile = PermissionProfile(
                type: try p.enumString("type", allowed: ["builtin", "configmap"], default: "builtin") ?? "builtin",
                name: try p.string("name"), key: try p.optionalString("key") ?? "")
        } else {
            permissionProfile = nil
        }
        let pts = r.child("podTemplateSpec").value
        // `Value` is nil-literal expressible: spell out "absent", or `nil` would become `.null`.
        podTemplateSpec = pts.isNull ? Optional<Value>.none : Optional(pts)
        proxyDeployment = ProxyDeploymentOverrides()
        proxyServiceLabels = [:]
        proxyServiceAnnotations = [:]
        if let ro = try r.optionalMap("resourceOverrides") {
            if let d = try ro.optionalMap("proxyDeployment") {
                proxyDeployment.labels = try d.stringMap("labels")
                proxyDeployment.annotations = try d.stringMap("annotations")
                if let pm = try d.optionalMap("podTemplateMetadataOverrides") {
                    proxyDeployment.podLabels = try pm.stringMap("labels")
                    proxyDeployment.podAnnotations = try pm.stringMap("annotations")
                }
                proxyDeployment.env = try Self.nameValues(d, "env")
                for s in try d.optionalList("imagePullSecrets") ?? [] {
                    if let n = s.value.stringValue { proxyDeployment.imagePullSecrets.append(n) } else { proxyDeployment.imagePullSecrets.append(try s.string("name")) }
                }
            }
            if let s = try ro.optionalMap("proxyService") {
                proxyServiceLabels = try s.stringMap("labels")
                proxyServiceAnnotations = try s.stringMap("annotations")
            }
        }
        switch r.child("groupRef").value {
        case .null: groupRef = nil
        case .string(let s): groupRef = s.isEmpty ? nil : s
        case .object: groupRef = try r.child("groupRef").optionalString("name").flatMap { $0.isEmpty ? nil : $0 }
        default: throw FieldError(path: "spec.groupRef", message: "expected a string or a map, got \(r.child("groupRef").value.typeName)")
        }
        toolConfigRef = try Self.refName(r, "toolConfigRef")
        externalAuthConfigRef = try Self.refName(r, "externalAuthConfigRef")
        if let a = try r.optionalMap("authServerRef") {
            authServerRef = AuthServerRef(kind: try a.optionalString("kind") ?? "MCPExternalAuthConfig", name: try a.string("name"))
        } else {
            authServerRef = nil
        }
        if let o = try r.optionalMap("oidcConfigRef") {
            oidcConfigRef = OIDCConfigRef(name: try o.string("name"), audience: try o.optionalString("audience") ?? "")
        } else {
            oidcConfigRef = nil
        }
        if let a = try r.optionalMap("authzConfig") {
            _ = try a.enumString("type", allowed: ["configMap", "inline"])
            authzConfig = a.value
        } else {
            authzConfig = nil
        }
        authzConfigRef = try Self.refName(r, "authzConfigRef")
        telemetryConfigRef = try Self.refName(r, "telemetryConfigRef")
        webhookConfigRef = try Self.refName(r, "webhookConfigRef")
        auditEnabled = try r.optionalMap("audit")?.optionalBool("enabled") ?? false
        trustProxyHeaders = try r.optionalBool("trustProxyHeaders") ?? false
        endpointPrefix = try r.optionalString("endpointPrefix") ?? ""
        sessionAffinity = try r.enumString("sessionAffinity", allowed: ["ClientIP", "None"], default: "ClientIP") ?? "ClientIP"
        replicas = try r.optionalInt("replicas", in: 0...Int64(Int32.max))
        backendReplicas = try r.optionalInt("backendReplicas", in: 0...Int64(Int32.max))
        if let s = try r.optionalMap("sessionStorage") {
            var pw: SecretKeyRef? = nil
            if let p = try s.optionalMap("passwordRef") { pw = SecretKeyRef(name: try p.string("name"), key: try p.string("key")) }
            sessionStorage = SessionStorage(
                provider: try s.enumString("provider", allowed: ["memory", "redis"]) ?? "", address: try s.optionalString("address") ?? "",
                db: try s.optionalInt("db", in: 0...Int64(Int32.max)) ?? 0, keyPrefix: try s.optionalString("keyPrefix") ?? "", passwordRef: pw)
        } else {
            sessionStorage = nil
        }
        if let rl = try r.optionalMap("rateLimiting") { rateLimiting = rl.value } else { rateLimiting = nil }
    }

    /// `proxyMode` as the runner uses it: the spec value (default streamable-http) for stdio, the
    /// transport itself for the direct transports.
    public var effectiveProxyMode: String {
        transport == "stdio" ? (proxyMode ?? "streamable-http") : transport
    }

    /// The proxy Deployment's replicas: nil stays nil (hands-off for an HPA), stdio is capped at 1.
    public var proxyReplicas: Int64? {
        guard let replicas else { return nil }
        return transport == "stdio" && replicas > 1 ? 1 : replicas
    }

    public var usesRedisSessions: Bool { sessionStorage?.provider == "redis" }

    /// Whether any rate-limit bucket (top level or per tool) is per user.
    public var hasPerUserRateLimit: Bool {
        guard let rl = rateLimiting else { return false }
        if !(rl["perUser"] ?? .null).isNull { return true }
        return (rl["tools"]?.arrayValue ?? []).contains { !($0["perUser"] ?? .null).isNull }
    }

    static func nameValues(_ r: FieldReader, _ key: String) throws(FieldError) -> [NameValue] {
        var out: [NameValue] = []
        for e in try r.optionalList(key) ?? [] {
            out.append(NameValue(name: try e.string("name"), value: try e.optionalString("value") ?? ""))
        }
        return out
    }

    static func refName(_ r: FieldReader, _ key: String) throws(FieldError) -> String? {
        guard let m = try r.optionalMap(key) else { return nil }
        return try m.string("name")
    }
}
