/// Why a backend auth configuration could not be used: a condition reason and a message.
public struct AuthProblem: Error, Sendable, Equatable {
    public var reason: String
    public var message: String
    public init(reason: String, message: String) {
        self.reason = reason
        self.message = message
    }
}

/// vMCP → backend authentication: MCPExternalAuthConfig → backend strategy conversion (spec §4.4),
/// the per-auth-config conditions and the `outgoingAuth` section of config.yaml (§4.3), and the
/// Secret-backed env vars the pod needs (§3.4). Secrets appear only as env var names and
/// `secretKeyRef`s, never as values.
public enum OutgoingAuth {
    public static let conversionSucceeded = "ConversionSucceeded"
    public static let conversionFailed = "ConversionFailed"

    /// The strategy for the MCPExternalAuthConfig `name`, or why there is none.
    public static func strategy(configName name: String, namespace: String, in snapshot: Snapshot) -> Result<Value, AuthProblem> {
        guard let config = snapshot.get(Kinds.mcpExternalAuthConfig, namespace: namespace, name: name) else {
            return .failure(AuthProblem(reason: conversionFailed, message: "failed to get MCPExternalAuthConfig \(name): not found"))
        }
        return strategy(of: config)
    }

    /// Converts one MCPExternalAuthConfig. A config its own controller marked `Valid=False` (or that
    /// fails the same validation now) is refused with that reason, as the Go builder mirrors it.
    public static func strategy(of config: KubeObject) -> Result<Value, AuthProblem> {
        if let valid = config.condition(ConditionType.valid), valid.status == .false {
            let reason = valid.reason.isEmpty ? ConditionReason.invalidExternalAuthConfig : valid.reason
            return .failure(AuthProblem(reason: reason, message: "MCPExternalAuthConfig \(config.name) is invalid: \(valid.message)"))
        }
        if let problem = MCPExternalAuthConfigSpec.validate(config) {
            return .failure(AuthProblem(reason: ConditionReason.validationFailed, message: "MCPExternalAuthConfig \(config.name) is invalid: \(problem)"))
        }
        let spec: MCPExternalAuthConfigSpec
        do { spec = try MCPExternalAuthConfigSpec(config) } catch {
            return .failure(AuthProblem(reason: ConditionReason.validationFailed, message: error.description))
        }
        let b = spec.block
        let suffix = MCPExternalAuthConfigSpec.envSuffix(config.name)
        func copy(_ keys: [String], into m: inout OrderedMap) {
            for k in keys { if let v = b[k], !v.isNull { m[k] = v } }
        }
        var body = OrderedMap()
        let typeName: String
        switch spec.type {
        case "tokenExchange":
            typeName = "token_exchange"
            copy(["tokenUrl", "clientId"], into: &body)
            if b[path: "clientSecretRef.name"] != nil { body["clientSecretEnv"] = .string("TOOLHIVE_TOKEN_EXCHANGE_CLIENT_SECRET_\(suffix)") }
            copy(["audience", "scopes"], into: &body)
            if let t = b["subjectTokenType"]?.stringValue, !t.isEmpty {
                body["subjectTokenType"] = .string(t.hasPrefix("urn:") ? t : "urn:ietf:params:oauth:token-type:\(t)")
            }
            copy(["subjectProviderName"], into: &body)
        case "headerInjection":
            typeName = "header_injection"
            copy(["headerName"], into: &body)
            body["headerValueEnv"] = .string("TOOLHIVE_HEADER_INJECTION_VALUE_\(suffix)")
        case "unauthenticated":
            return .success(["type": "unauthenticated"])
        case "upstreamInject":
            typeName = "upstream_inject"
            copy(["providerName"], into: &body)
        case "awsSts":
            typeName = "aws_sts"
            copy(["region", "service", "fallbackRoleArn", "roleMappings", "roleClaim", "sessionDuration", "sessionNameClaim", "subjectProviderName"], into: &body)
        case "xaa":
            typeName = "xaa"
            copy(["idpTokenUrl", "idpClientId"], into: &body)
            if b[path: "idpClientSecretRef.name"] != nil { body["idpClientSecretEnv"] = .string("TOOLHIVE_XAA_IDP_CLIENT_SECRET_\(suffix)") }
            copy(["targetTokenUrl", "targetClientId"], into: &body)
            if b[path: "targetClientSecretRef.name"] != nil { body["targetClientSecretEnv"] = .string("TOOLHIVE_XAA_TARGET_CLIENT_SECRET_\(suffix)") }
            copy(["targetAudience", "targetResource", "scopes", "subjectProviderName"], into: &body)
        case "obo":
            return .failure(AuthProblem(reason: "EnterpriseRequired", message: "auth type obo requires an enterprise build of ToolHive"))
        default:
            return .failure(AuthProblem(reason: conversionFailed, message: "unsupported auth type: \(spec.type)"))
        }
        var m = OrderedMap()
        m["type"] = .string(typeName)
        m[spec.type] = .object(body)
        return .success(.object(m))
    }

    /// A `default`/`backends[k]` entry of the spec as a strategy. `discoveredAs` is what type
    /// `discovered` becomes: `unauthenticated` in the converter's output, `discovered` in the builder's.
    public static func strategy(_ auth: VirtualMCPServerSpec.BackendAuth, discoveredAs: String, namespace: String, in snapshot: Snapshot) -> Result<Value, AuthProblem> {
        if auth.isExternalRef {
            guard let name = auth.externalAuthConfigName, !name.isEmpty else {
                return .failure(AuthProblem(reason: conversionFailed, message: "externalAuthConfigRef is required when type is externalAuthConfigRef"))
            }
            return strategy(configName: name, namespace: namespace, in: snapshot)
        }
        if auth.type == "discovered" { return .success(["type": .string(discoveredAs)]) }
        return .failure(AuthProblem(reason: conversionFailed, message: "unsupported backend auth type: \(auth.type)"))
    }

    /// One per-auth-config condition the operator writes (spec §4.3).
    public struct AuthCondition: Sendable, Equatable {
        public var type: String
        public var ok: Bool
        public var reason: String
        public var message: String
    }

    /// What the operator derives from outgoing auth in one pass.
    public struct Resolution: Sendable, Equatable {
        /// The `outgoingAuth` section of config.yaml.
        public var section: Value
        public var conditions: [AuthCondition]
        /// Condition types this pass owns (others of the three families are stale and removed).
        public var ownedTypes: Set<String> { Set(conditions.map(\.type)) }
    }

    public static let defaultCondition = "DefaultAuthConfig"
    public static let discoveredPrefix = "DiscoveredAuthConfig-"
    public static let backendPrefix = "BackendAuthConfig-"

    public static func resolve(spec: VirtualMCPServerSpec, workloads: [GroupWorkload], namespace ns: String, in snapshot: Snapshot) -> Resolution {
        var conditions: [AuthCondition] = []
        let out = spec.outgoingAuth
        let inlineNames = Set(out?.backends.map(\.name) ?? [])

        // Builder view (conditions; file in inline mode).
        var builderDefault: Value? = nil
        if let d = out?.defaultAuth {
            switch strategy(d, discoveredAs: "discovered", namespace: ns, in: snapshot) {
            case .success(let v):
                builderDefault = v
                conditions.append(AuthCondition(type: defaultCondition, ok: true, reason: conversionSucceeded, message: "Default auth config is valid"))
            case .failure(let p):
                conditions.append(AuthCondition(type: defaultCondition, ok: false, reason: p.reason, message: "Failed to convert default auth config: \(p.message)"))
            }
        }
        var builderBackends: [String: Value] = [:]
        for w in workloads {
            guard let ref = w.externalAuthConfigName else { continue }
            switch strategy(configName: ref, namespace: ns, in: snapshot) {
            case .success(let v):
                if !inlineNames.contains(w.name) { builderBackends[w.name] = v }
                conditions.append(AuthCondition(type: discoveredPrefix + w.name, ok: true, reason: conversionSucceeded, message: "Discovered auth config is valid"))
            case .failure(let p):
                conditions.append(AuthCondition(type: discoveredPrefix + w.name, ok: false, reason: p.reason, message: "Failed to convert discovered auth config: \(p.message)"))
            }
        }
        var converterBackends: [String: Value] = [:]
        for (name, auth) in out?.backends ?? [] {
            switch strategy(auth, discoveredAs: "discovered", namespace: ns, in: snapshot) {
            case .success(let v):
                builderBackends[name] = v
                if case .success(let c) = strategy(auth, discoveredAs: "unauthenticated", namespace: ns, in: snapshot) { converterBackends[name] = c }
                conditions.append(AuthCondition(type: backendPrefix + name, ok: true, reason: conversionSucceeded, message: "Backend auth config is valid"))
            case .failure(let p):
                conditions.append(AuthCondition(type: backendPrefix + name, ok: false, reason: p.reason, message: "Failed to convert backend auth config: \(p.message)"))
            }
        }

        var section = OrderedMap()
        if spec.outgoingSource == "inline" {
            section["source"] = "inline"
            if let builderDefault { section["default"] = builderDefault }
            section["backends"] = sortedMap(builderBackends)
        } else {
            section["source"] = "discovered"
            if let d = out?.defaultAuth, case .success(let v) = strategy(d, discoveredAs: "unauthenticated", namespace: ns, in: snapshot) {
                section["default"] = v
            }
            if !converterBackends.isEmpty { section["backends"] = sortedMap(converterBackends) }
        }
        return Resolution(section: .object(section), conditions: conditions)
    }

    /// The strategy the runtime uses for one workload (spec §5.2). Discovered mode: the workload's
    /// own config, then `backends[name]`, then `default`. Inline mode reads config.yaml, whose
    /// backends the builder filled with the spec's overrides first, then the workloads' own
    /// configs, so: `backends[name]`, then the own config, then `default`. A chosen config that
    /// cannot be used drops the backend (fail closed); nil strategy means no auth.
    public static func runtimeStrategy(for w: GroupWorkload, spec: VirtualMCPServerSpec, namespace ns: String, in snapshot: Snapshot) -> Result<RuntimeAuth, AuthProblem> {
        var ref: String? = nil
        let converted: Result<Value, AuthProblem>
        let override = spec.outgoingAuth?.backends.first(where: { $0.name == w.name })?.auth
        let own = w.externalAuthConfigName
        if let own, spec.outgoingSource == "discovered" || override == nil {
            ref = own
            converted = strategy(configName: own, namespace: ns, in: snapshot)
        } else if let chosen = override ?? spec.outgoingAuth?.defaultAuth {
            ref = chosen.isExternalRef ? chosen.externalAuthConfigName : nil
            converted = strategy(chosen, discoveredAs: "unauthenticated", namespace: ns, in: snapshot)
        } else {
            return .success(RuntimeAuth(configRef: nil, type: nil))
        }
        switch converted {
        case .failure(let p): return .failure(p)
        case .success(let v):
            if let ref, case .failure(let p) = secretsPresent(configName: ref, namespace: ns, in: snapshot) { return .failure(p) }
            return .success(RuntimeAuth(configRef: ref, type: v["type"]?.stringValue))
        }
    }

    /// The auth a backend ends up with at run time: which config, which strategy type.
    public struct RuntimeAuth: Sendable, Equatable {
        public var configRef: String?
        public var type: String?
    }

    /// The runtime resolves secret values when it loads a backend; a missing Secret or key drops it.
    static func secretsPresent(configName: String, namespace ns: String, in snapshot: Snapshot) -> Result<Void, AuthProblem> {
        guard let config = snapshot.get(Kinds.mcpExternalAuthConfig, namespace: ns, name: configName),
            let spec = try? MCPExternalAuthConfigSpec(config)
        else { return .success(()) }
        for ref in spec.secretRefs where !SecretKeys.has(ref.key, inSecret: ref.name, namespace: ns, in: snapshot) {
            return .failure(AuthProblem(reason: conversionFailed, message: "secret \(ref.name) key \(ref.key) not found"))
        }
        return .success(())
    }

    /// Env vars (as container env entries) for the Secrets outgoing auth needs, in the order of
    /// spec §3.4 step 3: discovered workloads' configs, then `backends`, then `default`; each group
    /// sorted by env name; a name already present is not repeated.
    public static func secretEnv(spec: VirtualMCPServerSpec, workloads: [GroupWorkload], namespace ns: String, in snapshot: Snapshot) -> [Value] {
        guard let out = spec.outgoingAuth else { return [] }
        var seen = Set<String>()
        var env: [Value] = []
        func add(configs: [String]) {
            var group: [(String, SecretKeyRef)] = []
            for name in configs {
                guard let obj = snapshot.get(Kinds.mcpExternalAuthConfig, namespace: ns, name: name),
                    let s = try? MCPExternalAuthConfigSpec(obj)
                else { continue }
                group += s.secretEnvironment(configName: name)
            }
            for (name, ref) in group.sorted(by: { $0.0 < $1.0 }) where seen.insert(name).inserted {
                env.append(EnvVar.secret(name, secret: ref.name, key: ref.key))
            }
        }
        func distinct(_ names: [String]) -> [String] {
            var s = Set<String>()
            return names.filter { s.insert($0).inserted }
        }
        if out.source == "discovered" { add(configs: distinct(workloads.compactMap(\.externalAuthConfigName))) }
        add(configs: distinct(out.backends.compactMap { $0.auth.isExternalRef ? $0.auth.externalAuthConfigName : nil }).sorted())
        if let d = out.defaultAuth, d.isExternalRef, let n = d.externalAuthConfigName { add(configs: [n]) }
        return env
    }

    static func sortedMap(_ m: [String: Value]) -> Value {
        var o = OrderedMap()
        for k in m.keys.sorted() { o[k] = m[k] ?? .null }
        return .object(o)
    }
}

/// Whether a Secret holds a key (in `data` or a hand-written `stringData`); values are never read.
public enum SecretKeys {
    public static func has(_ key: String, inSecret name: String, namespace: String, in snapshot: Snapshot) -> Bool {
        guard let s = snapshot.get(Kinds.secret, namespace: namespace, name: name) else { return false }
        return s.root["data"]?[key] != nil || s.root["stringData"]?[key] != nil
    }
}
