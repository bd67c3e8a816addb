/// The parts of a VirtualMCPServer spec the operator decides on, decoded with field paths so a bad
/// value becomes `Valid=False` with the path in the message. `spec.config` stays a `Value`: most of
/// it is passed through to the generated vMCP configuration untouched.
public struct VirtualMCPServerSpec: Sendable, Equatable {
    public struct OIDCConfigRef: Sendable, Equatable {
        public var name: String
        public var audience: String
        public var scopes: [String]
        public var resourceURL: String?
    }

    public struct AuthzConfig: Sendable, Equatable {
        /// `configMap` (default) or `inline`.
        public var type: String
        public var configMapName: String?
        public var configMapKey: String
        public var policies: [String]
        public var entitiesJSON: String
        public var groupClaimName: String?
        public var roleClaimName: String?
        public var groupEntityType: String?
    }

    /// `outgoingAuth.default` / `outgoingAuth.backends[k]`.
    public struct BackendAuth: Sendable, Equatable {
        /// `discovered` or `externalAuthConfigRef` (APRIL: `external_auth_config_ref`, read as the same).
        public var type: String
        public var externalAuthConfigName: String?
        public var isExternalRef: Bool { type == "externalAuthConfigRef" || type == "external_auth_config_ref" }
    }

    public struct OutgoingAuth: Sendable, Equatable {
        /// `discovered` (default) or `inline`.
        public var source: String
        public var defaultAuth: BackendAuth?
        /// In spec order (map order as read); consumers sort where order matters.
        public var backends: [(name: String, auth: BackendAuth)]
        public static func == (a: OutgoingAuth, b: OutgoingAuth) -> Bool {
            a.source == b.source && a.defaultAuth == b.defaultAuth && a.backends.map(\.name) == b.backends.map(\.name)
                && a.backends.map(\.auth) == b.backends.map(\.auth)
        }
    }

    public struct SessionStorage: Sendable, Equatable {
        public var provider: String
        public var address: String?
        public var db: Int64?
        public var keyPrefix: String?
        public var passwordSecretName: String?
        public var passwordSecretKey: String?
    }

    public var groupName: String
    public var incomingAuthType: String
    public var oidcConfigRef: OIDCConfigRef?
    public var authzConfig: AuthzConfig?
    public var authzConfigRefName: String?
    /// nil when the `outgoingAuth` object is absent (the mode is then still `discovered`).
    public var outgoingAuth: OutgoingAuth?
    public var serviceType: String
    public var sessionAffinity: String
    public var serviceAccount: String?
    public var podTemplateSpec: Value?
    public var config: Value
    public var replicas: Int64?
    public var sessionStorage: SessionStorage?
    public var imagePullSecrets: [String]
    public var passthroughHeaders: [String]
    public var telemetryConfigRefName: String?
    public var telemetryServiceName: String?
    public var embeddingServerRefName: String?
    public var hasAuthServerConfig: Bool

    /// The outgoing-auth mode: `spec.outgoingAuth.source`, `discovered` when absent.
    public var outgoingSource: String { outgoingAuth?.source ?? "discovered" }

    public init(_ object: KubeObject) throws(FieldError) {
        let spec = FieldReader(object.spec, path: "spec")
        // groupRef: `{name}` (LATEST), a bare string, or APRIL's spec.config.groupRef.
        groupName = GroupRef.name(in: object) ?? ""
        if let g = spec.value["groupRef"], !g.isNull, g.stringValue == nil, g.objectValue == nil {
            throw spec.child("groupRef").error("expected a map with a name, got \(g.typeName)")
        }

        let incoming = spec.child("incomingAuth")
        incomingAuthType = try incoming.enumString("type", allowed: ["anonymous", "oidc"]) ?? ""
        if let ref = try incoming.optionalMap("oidcConfigRef") {
            oidcConfigRef = OIDCConfigRef(
                name: try ref.string("name"), audience: try ref.optionalString("audience") ?? "",
                scopes: try ref.stringList("scopes"), resourceURL: try ref.optionalString("resourceUrl"))
        }
        if let a = try incoming.optionalMap("authzConfig") {
            let type = try a.enumString("type", allowed: ["configMap", "inline"], default: "configMap") ?? "configMap"
            let cm = try a.optionalMap("configMap")
            let inline = try a.optionalMap("inline")
            authzConfig = AuthzConfig(
                type: type, configMapName: try cm?.optionalString("name"), configMapKey: try cm?.optionalString("key") ?? "authz.json",
                policies: try inline?.stringList("policies") ?? [], entitiesJSON: try inline?.optionalString("entitiesJson") ?? "[]",
                groupClaimName: try a.optionalString("groupClaimName"), roleClaimName: try a.optionalString("roleClaimName"),
                groupEntityType: try a.optionalString("groupEntityType"))
        }
        authzConfigRefName = try incoming.optionalMap("authzConfigRef")?.optionalString("name")

        if let out = try spec.optionalMap("outgoingAuth") {
            let source = try out.enumString("source", allowed: ["discovered", "inline"], default: "discovered") ?? "discovered"
            var def: BackendAuth? = nil
            if let d = try out.optionalMap("default") { def = try Self.backendAuth(d) }
            var backends: [(String, BackendAuth)] = []
            if let b = try out.optionalMap("backends"), let m = b.value.objectValue {
                for key in m.keys {
                    let entry = b.child(key)
                    guard entry.value.objectValue != nil else { throw entry.typeError("a map") }
                    backends.append((key, try Self.backendAuth(entry)))
                }
            }
            outgoingAuth = OutgoingAuth(source: source, defaultAuth: def, backends: backends)
        }

        serviceType = try spec.enumString("serviceType", allowed: ["ClusterIP", "NodePort", "LoadBalancer"], default: "ClusterIP") ?? "ClusterIP"
        sessionAffinity = try spec.enumString("sessionAffinity", allowed: ["ClientIP", "None"], default: "ClientIP") ?? "ClientIP"
        serviceAccount = try spec.optionalString("serviceAccount").flatMap { $0.isEmpty ? nil : $0 }
        podTemplateSpec = spec.value["podTemplateSpec"].flatMap { $0.isNull ? nil : $0 }
        let configValue = spec.value["config"] ?? .null
        if !configValue.isNull && configValue.objectValue == nil { throw spec.child("config").typeError("a map") }
        config = configValue.isNull ? .object(OrderedMap()) : configValue
        replicas = try spec.optionalInt("replicas", in: 0...Int64(Int32.max))
        if let s = try spec.optionalMap("sessionStorage") {
            let pw = try s.optionalMap("passwordRef")
            sessionStorage = SessionStorage(
                provider: try s.enumString("provider", allowed: ["memory", "redis"]) ?? "memory",
                address: try s.optionalString("address"), db: try s.optionalInt("db"), keyPrefix: try s.optionalString("keyPrefix"),
                passwordSecretName: try pw?.optionalString("name"), passwordSecretKey: try pw?.optionalString("key"))
        }
        var pulls: [String] = []
        for item in try spec.optionalList("imagePullSecrets") ?? [] {
            if let n = try item.optionalString("name"), !n.isEmpty, !pulls.contains(n) { pulls.append(n) }
        }
        imagePullSecrets = pulls
        passthroughHeaders = try spec.stringList("passthroughHeaders")
        let tel = try spec.optionalMap("telemetryConfigRef")
        telemetryConfigRefName = try tel?.optionalString("name")
        telemetryServiceName = try tel?.optionalString("serviceName")
        embeddingServerRefName = try spec.optionalMap("embeddingServerRef")?.optionalString("name")
        hasAuthServerConfig = spec.value["authServerConfig"].map { !$0.isNull } ?? false
    }

    private static func backendAuth(_ r: FieldReader) throws(FieldError) -> BackendAuth {
        BackendAuth(type: try r.optionalString("type") ?? "", externalAuthConfigName: try r.optionalMap("externalAuthConfigRef")?.optionalString("name"))
    }

    /// The controller-side `Validate()` of spec §1.6, first error wins (message as the Go operator words it).
    public func validate(compositeErrors: (String, Value) -> String?) -> String? {
        if groupName.isEmpty { return "spec.groupRef.name is required" }
        for (k, b) in outgoingAuth?.backends ?? [] {
            let p = "spec.outgoingAuth.backends[\(k)]"
            if b.type.isEmpty { return "\(p).type is required" }
            if b.isExternalRef {
                guard let n = b.externalAuthConfigName else { return "\(p).externalAuthConfigRef is required when type is externalAuthConfigRef" }
                if n.isEmpty { return "\(p).externalAuthConfigRef.name is required" }
            } else if b.type != "discovered" {
                return "\(p).type must be one of: discovered, externalAuthConfigRef"
            }
        }
        if let agg = config["aggregation"], agg.objectValue != nil {
            let strategy = agg["conflictResolution"]?.stringValue ?? ""
            if !["", "prefix", "priority", "manual"].contains(strategy) {
                return "config.aggregation.conflictResolution must be one of: prefix, priority, manual"
            }
            if let crc = agg["conflictResolutionConfig"], crc.objectValue != nil, strategy == "priority",
                (crc["priorityOrder"]?.arrayValue ?? []).isEmpty
            {
                return "config.aggregation.conflictResolutionConfig.priorityOrder is required when conflictResolution is priority"
            }
            for (i, t) in (agg["tools"]?.arrayValue ?? []).enumerated() {
                if (t["workload"]?.stringValue ?? "").isEmpty { return "config.aggregation.tools[\(i)].workload is required" }
                if let ref = t["toolConfigRef"], !ref.isNull, (ref["name"]?.stringValue ?? "").isEmpty {
                    return "config.aggregation.tools[\(i)].toolConfigRef.name is required"
                }
            }
        }
        var seen = Set<String>()
        for (i, t) in (config["compositeTools"]?.arrayValue ?? []).enumerated() {
            let name = t["name"]?.stringValue ?? ""
            if !name.isEmpty && !seen.insert(name).inserted { return "spec.config.compositeTools[\(i)].name \"\(name)\" is duplicated" }
            if let e = compositeErrors("spec.config.compositeTools[\(i)]", t) { return e }
        }
        if let es = embeddingServerRefName, es.isEmpty { return "spec.embeddingServerRef.name is required" }
        if let opt = config["optimizer"], !opt.isNull, embeddingServerRefName == nil, (opt["embeddingService"]?.stringValue ?? "").isEmpty {
            return "spec.config.optimizer requires an embedding service: set spec.embeddingServerRef (recommended) or spec.config.optimizer.embeddingService"
        }
        return nil
    }
}
