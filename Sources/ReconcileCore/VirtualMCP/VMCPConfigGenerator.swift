/// Why config.yaml could not be generated (a referenced object is missing or contradicts another).
public struct VMCPConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The incoming OIDC settings resolved from the referenced MCPOIDCConfig.
public struct ResolvedOIDC: Sendable, Equatable {
    /// `oidc:` of config.yaml.
    public var section: Value
    /// Inline client secret to expose as `VMCP_OIDC_CLIENT_SECRET`.
    public var clientSecret: SecretKeyRef?
    /// Inline CA bundle ConfigMap (name, key) to mount.
    public var caBundleConfigMap: (name: String, key: String)?

    public static func == (a: ResolvedOIDC, b: ResolvedOIDC) -> Bool {
        a.section == b.section && a.clientSecret == b.clientSecret && a.caBundleConfigMap?.name == b.caBundleConfigMap?.name
            && a.caBundleConfigMap?.key == b.caBundleConfigMap?.key
    }

    /// Resolves `incomingAuth.oidcConfigRef` against an MCPOIDCConfig (spec §4.2).
    public static func resolve(ref: VirtualMCPServerSpec.OIDCConfigRef, config: KubeObject, vmcp: KubeObject) -> ResolvedOIDC {
        let s = config.spec
        var m = OrderedMap()
        var secret: SecretKeyRef? = nil
        var ca: (String, String)? = nil
        let defaultResource = "http://\(vmcp.name).\(vmcp.namespace).svc.cluster.local:4483"
        if s["type"]?.stringValue == "kubernetesServiceAccount" {
            let k = s["kubernetesServiceAccount"] ?? .null
            m["issuer"] = .string(k["issuer"]?.stringValue ?? "https://kubernetes.default.svc")
            m["audience"] = .string(ref.audience)
            m["resource"] = .string(ref.resourceURL ?? defaultResource)
            if let v = k["jwksUrl"]?.stringValue { m["jwksUrl"] = .string(v) }
            if let v = k["introspectionUrl"]?.stringValue { m["introspectionUrl"] = .string(v) }
            if !ref.scopes.isEmpty { m["scopes"] = .strings(ref.scopes) }
            m["jwksAllowPrivateIp"] = true
            m["caBundlePath"] = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt"
        } else {
            let i = s["inline"] ?? .null
            m["issuer"] = .string(i["issuer"]?.stringValue ?? "")
            if let v = i["clientId"]?.stringValue { m["clientId"] = .string(v) }
            if let n = i[path: "clientSecretRef.name"]?.stringValue, let k = i[path: "clientSecretRef.key"]?.stringValue {
                secret = .init(name: n, key: k)
                m["clientSecretEnv"] = "VMCP_OIDC_CLIENT_SECRET"
            }
            m["audience"] = .string(ref.audience)
            m["resource"] = .string(ref.resourceURL ?? defaultResource)
            if let v = i["jwksUrl"]?.stringValue { m["jwksUrl"] = .string(v) }
            if let v = i["introspectionUrl"]?.stringValue { m["introspectionUrl"] = .string(v) }
            if !ref.scopes.isEmpty { m["scopes"] = .strings(ref.scopes) }
            if i["protectedResourceAllowPrivateIP"]?.boolValue == true { m["protectedResourceAllowPrivateIp"] = true }
            if i["jwksAllowPrivateIP"]?.boolValue == true { m["jwksAllowPrivateIp"] = true }
            if i["insecureAllowHTTP"]?.boolValue == true { m["insecureAllowHttp"] = true }
            if let cm = i[path: "caBundleRef.configMapRef.name"]?.stringValue, !cm.isEmpty {
                let key = i[path: "caBundleRef.configMapRef.key"]?.stringValue ?? "ca.crt"
                ca = (cm, key)
                m["caBundlePath"] = .string("/config/certs/\(cm)/\(key)")
            }
        }
        return ResolvedOIDC(section: .object(m), clientSecret: secret, caBundleConfigMap: ca)
    }
}

/// Turns a VirtualMCPServer spec plus what it references into the vMCP runtime's configuration
/// (spec §4): a `Value` built in the exact key order of §4.1, serialised once at the end. The same
/// inputs always give byte-identical text, because the text's checksum drives pod rollouts.
public enum VMCPConfigGenerator {
    public struct Inputs: Sendable {
        public var vmcp: KubeObject
        public var spec: VirtualMCPServerSpec
        public var snapshot: Snapshot
        public var env: OperatorEnvironment
        public var discovery: BackendDiscoveryResult
        public var outgoing: OutgoingAuth.Resolution
        public var oidc: ResolvedOIDC?
        public var authz: Value?
        public var embeddingServiceURL: String?
        public var telemetry: VMCPTelemetry?
    }

    static let topLevelOrder = [
        "name", "groupRef", "backends", "incomingAuth", "outgoingAuth", "aggregation", "compositeTools", "compositeToolRefs", "operational",
        "metadata", "telemetry", "audit", "optimizer", "codeMode", "sessionStorage", "rateLimiting", "passthroughHeaders",
    ]

    public static func generate(_ input: Inputs) throws(VMCPConfigError) -> Value {
        let spec = input.spec
        let config = spec.config
        let ns = input.vmcp.namespace
        var out: [String: Value] = [:]
        out["name"] = .string(input.vmcp.name)
        out["groupRef"] = .string(spec.groupName)
        if spec.outgoingSource == "inline" {
            let backends = staticBackends(input.discovery)
            if backends.isEmpty {
                throw VMCPConfigError("static mode requires at least one backend with valid transport ([sse streamable-http]), but none were discovered in group \(spec.groupName)")
            }
            out["backends"] = .array(backends)
        }
        if !spec.incomingAuthType.isEmpty {
            var inc = OrderedMap()
            inc["type"] = .string(spec.incomingAuthType)
            if let oidc = input.oidc { inc["oidc"] = oidc.section }
            if let authz = input.authz { inc["authz"] = authz }
            out["incomingAuth"] = .object(inc)
        }
        out["outgoingAuth"] = input.outgoing.section
        out["aggregation"] = try aggregation(config["aggregation"], namespace: ns, snapshot: input.snapshot)
        let composite = try compositeTools(config, namespace: ns, snapshot: input.snapshot)
        if !composite.isEmpty { out["compositeTools"] = .array(composite) }
        if let refs = config["compositeToolRefs"], !refs.isEmptyish { out["compositeToolRefs"] = refs }
        out["operational"] = operational(config["operational"])
        if let t = input.telemetry { out["telemetry"] = t.section }
        for k in ["metadata", "codeMode", "rateLimiting"] {
            if let v = config[k], !v.isEmptyish { out[k] = v }
        }
        if var audit = config["audit"]?.objectValue {
            if (audit["component"]?.stringValue ?? "").isEmpty { audit["component"] = .string(input.vmcp.name) }
            out["audit"] = .object(audit)
        }
        var optimizer = config["optimizer"]?.objectValue
        if spec.embeddingServerRefName != nil && optimizer == nil { optimizer = OrderedMap() }
        if var o = optimizer {
            if let url = input.embeddingServiceURL { o["embeddingService"] = .string(url) }
            if let t = o["embeddingServiceTimeout"]?.stringValue { o["embeddingServiceTimeout"] = .string(GoDuration.normalized(t)) }
            out["optimizer"] = .object(o)
        }
        if let s = spec.sessionStorage, s.provider == "redis" {
            var m = OrderedMap()
            m["provider"] = "redis"
            if let a = s.address { m["address"] = .string(a) }
            if let db = s.db, db != 0 { m["db"] = .int(db) }
            if let p = s.keyPrefix, !p.isEmpty { m["keyPrefix"] = .string(p) }
            out["sessionStorage"] = .object(m)
        } else if let addr = input.env.defaultRedisAddress {
            out["sessionStorage"] = ["provider": "redis", "address": .string(addr)]
        }
        let headers = spec.passthroughHeaders.isEmpty ? (config["passthroughHeaders"] ?? .null) : .strings(spec.passthroughHeaders)
        if !headers.isEmptyish { out["passthroughHeaders"] = headers }

        var m = OrderedMap()
        for k in topLevelOrder { if let v = out[k] { m[k] = v } }
        return .object(m)
    }

    /// The text stored as `config.yaml`: the project's YAML writer, keys in the order built above
    /// and maps the user wrote in their order, so the same inputs give the same bytes.
    public static func render(_ config: Value) -> String {
        YAMLWriter.write(config)
    }

    /// §4.5: inline-mode `backends:` from discovery. A backend is left out only when it has no
    /// URL or an unknown transport (and, before this, when its auth strategy failed): an entry
    /// that is not `Valid` yet or whose CA bundle is missing is still written, as Go writes it;
    /// the runtime reports it unavailable until it can reach it.
    static func staticBackends(_ d: BackendDiscoveryResult) -> [Value] {
        d.backends.filter { !$0.url.isEmpty && BackendDiscovery.supportedTransports.contains($0.transport) }.map { b in
            var m = OrderedMap()
            m["name"] = .string(b.name)
            m["url"] = .string(b.url)
            m["transport"] = .string(b.transport)
            if let ca = b.caBundlePath { m["caBundlePath"] = .string(ca) }
            if !b.metadata.isEmpty { m["metadata"] = .stringMap(b.metadata) }
            return .object(m)
        }
    }

    /// §4.6: aggregation with defaults, tool filters and overrides merged from MCPToolConfigs.
    static func aggregation(_ agg: Value?, namespace: String, snapshot: Snapshot) throws(VMCPConfigError) -> Value {
        guard let agg, agg.objectValue != nil else {
            return ["conflictResolution": "prefix", "conflictResolutionConfig": ["prefixFormat": "{workload}_"]]
        }
        var m = OrderedMap()
        let strategy = (agg["conflictResolution"]?.stringValue).flatMap { $0.isEmpty ? nil : $0 } ?? "prefix"
        m["conflictResolution"] = .string(strategy)
        if let crc = agg["conflictResolutionConfig"], crc.objectValue != nil {
            var c = OrderedMap()
            c["prefixFormat"] = .string(crc["prefixFormat"]?.stringValue ?? "{workload}_")
            if let p = crc["priorityOrder"], !p.isEmptyish { c["priorityOrder"] = p }
            m["conflictResolutionConfig"] = .object(c)
        } else {
            m["conflictResolutionConfig"] = strategy == "prefix" ? ["prefixFormat": "{workload}_"] : .object(OrderedMap())
        }
        var tools: [Value] = []
        for t in agg["tools"]?.arrayValue ?? [] {
            var filter = t["filter"]?.arrayValue ?? []
            var overrides = t["overrides"]?.objectValue ?? OrderedMap()
            if let ref = t[path: "toolConfigRef.name"]?.stringValue, !ref.isEmpty {
                guard let tc = snapshot.get(Kinds.mcpToolConfig, namespace: namespace, name: ref) else {
                    throw VMCPConfigError("MCPToolConfig resolution failed for \"\(ref)\": MCPToolConfig \(ref) not found")
                }
                let parsed: MCPToolConfigSpec
                do { parsed = try MCPToolConfigSpec(tc) } catch {
                    throw VMCPConfigError("MCPToolConfig resolution failed for \"\(ref)\": \(error.description)")
                }
                if filter.isEmpty { filter = parsed.toolsFilter.map { .string($0) } }
                for (tool, o) in parsed.toolsOverride where overrides[tool] == nil { overrides[tool] = o }
            }
            var e = OrderedMap()
            e["workload"] = t["workload"] ?? ""
            if !filter.isEmpty { e["filter"] = .array(filter) }
            if t["excludeAll"]?.boolValue == true { e["excludeAll"] = true }
            if !overrides.isEmpty { e["overrides"] = .object(overrides.sortedByKey()) }
            tools.append(.object(e))
        }
        if !tools.isEmpty { m["tools"] = .array(tools) }
        if agg["excludeAllTools"]?.boolValue == true { m["excludeAllTools"] = true }
        if let v = agg["defaultToolVisibility"]?.stringValue, !v.isEmpty { m["defaultToolVisibility"] = .string(v) }
        return .object(m)
    }

    /// Inline tools followed by referenced definitions (in reference order); names must be unique.
    static func compositeTools(_ config: Value, namespace: String, snapshot: Snapshot) throws(VMCPConfigError) -> [Value] {
        var tools = (config["compositeTools"]?.arrayValue ?? []).map { CompositeToolDefinition($0).configValue }
        for ref in config["compositeToolRefs"]?.arrayValue ?? [] {
            guard let n = ref["name"]?.stringValue, let def = snapshot.get(Kinds.compositeToolDefinition, namespace: namespace, name: n) else {
                throw VMCPConfigError("VirtualMCPCompositeToolDefinition \(ref["name"]?.stringValue ?? "") not found")
            }
            tools.append(CompositeToolDefinition(definition: def).configValue)
        }
        var seen = Set<String>()
        for t in tools {
            let n = t["name"]?.stringValue ?? ""
            if !seen.insert(n).inserted { throw VMCPConfigError("invalid composite tools: duplicate composite tool name: \"\(n)\"") }
        }
        return tools
    }

    /// §4.7: operational settings with defaults filled into absent fields; durations in Go form.
    static func operational(_ op: Value?) -> Value {
        let src = op?.objectValue ?? OrderedMap()
        var m = OrderedMap()
        if let l = src["logLevel"]?.stringValue, !l.isEmpty { m["logLevel"] = .string(l) }
        var timeouts = src["timeouts"]?.objectValue ?? OrderedMap()
        timeouts["default"] = .string(GoDuration.normalized(timeouts["default"]?.stringValue ?? "30s"))
        if let per = timeouts["perWorkload"]?.objectValue {
            var p = OrderedMap()
            for (k, v) in per.sortedByKey() { p[k] = v.stringValue.map { .string(GoDuration.normalized($0)) } ?? v }
            timeouts["perWorkload"] = .object(p)
        }
        m["timeouts"] = .object(timeouts)
        let userFH = src["failureHandling"]?.objectValue
        let fh = userFH ?? OrderedMap()
        var f = OrderedMap()
        func dur(_ k: String, _ def: String?) {
            if let s = fh[k]?.stringValue, !s.isEmpty { f[k] = .string(GoDuration.normalized(s)) } else if let def { f[k] = .string(def) }
        }
        dur("healthCheckInterval", "30s")
        f["unhealthyThreshold"] = fh["unhealthyThreshold"].flatMap { $0.intValue == 0 ? nil : $0 } ?? 3
        // The CRD defaults healthCheckTimeout only when the user wrote a failureHandling object.
        dur("healthCheckTimeout", userFH == nil ? nil : "10s")
        dur("statusReportingInterval", "30s")
        f["partialFailureMode"] = .string((fh["partialFailureMode"]?.stringValue).flatMap { $0.isEmpty ? nil : $0 } ?? "fail")
        let cb = fh["circuitBreaker"]?.objectValue ?? OrderedMap()
        var c = OrderedMap()
        if cb["enabled"]?.boolValue == true { c["enabled"] = true }
        c["failureThreshold"] = cb["failureThreshold"].flatMap { $0.intValue == 0 ? nil : $0 } ?? 5
        c["timeout"] = .string(GoDuration.normalized((cb["timeout"]?.stringValue).flatMap { $0.isEmpty ? nil : $0 } ?? "60s"))
        f["circuitBreaker"] = .object(c)
        m["failureHandling"] = .object(f)
        return .object(m)
    }

    /// `statusReportingInterval` in seconds: how often the runtime reports, and how often the
    /// operator re-checks a vMCP that is not Ready.
    public static func statusInterval(_ spec: VirtualMCPServerSpec) -> Double {
        let text = spec.config[path: "operational.failureHandling.statusReportingInterval"]?.stringValue ?? "30s"
        let s = GoDuration.seconds(text) ?? 30
        return s > 0 ? s : 30
    }
}
