/// Condition types and reasons only the VirtualMCPServer controller writes (spec §6.5).
public enum VMCPCondition {
    public static let podTemplateSpecValid = "PodTemplateSpecValid"
    public static let compositeToolRefsValidated = "CompositeToolRefsValidated"
    public static let embeddingServerReady = "EmbeddingServerReady"
    public static let authConfigured = "AuthConfigured"
    public static let authServerConfigValidated = "AuthServerConfigValidated"
    public static let identitySynthesized = "IdentitySynthesized"
    /// Not in the Go catalogue: config.yaml could not be generated (see docs/differences-from-toolhive.md).
    public static let configurationFailedReason = "ConfigurationFailed"
}

/// The VirtualMCPServer controller (spec B §2) as a pure function: validation and references,
/// RBAC, HMAC Secret, ConfigMap with the generated config.yaml, Deployment, Service, and the status
/// half the operator owns. The runtime half is copied through untouched unless
/// `env.vmcpRuntimeReportsStatus` is false, in which case this controller writes it itself.
public struct VirtualMCPServerReconciler: Reconciler {
    public init() {}
    public var name: String { "VirtualMCPServer" }
    public var primaryKind: GroupKind { Kinds.virtualMCPServer }

    public func reconcile(_ snapshot: Snapshot, key: ObjectKey, env: OperatorEnvironment) -> ReconcileResult {
        guard let vmcp = snapshot.get(key) else {
            return .gone(controller: name, key: key)
        }
        var pass = Pass(vmcp: vmcp, snapshot: snapshot, env: env, plan: PlanBuilder(controller: name, primary: vmcp, snapshot: snapshot))
        // No finalizer: every child is owner-referenced and garbage-collected with the vMCP.
        if !vmcp.isBeingDeleted { pass.run() }
        return pass.plan.result
    }

    /// Enqueues exactly the vMCPs that read the changed object (spec §7, without its gaps).
    public func primaries(affectedBy changed: KubeObject, in snapshot: Snapshot) -> [ObjectKey] {
        let ns = changed.namespace
        func vmcps(_ index: FieldIndex, _ value: String) -> [ObjectKey] {
            snapshot.lookup(index, kind: Kinds.virtualMCPServer, namespace: ns, value: value)
        }
        func vmcps(where match: (KubeObject) -> Bool) -> [ObjectKey] {
            snapshot.list(Kinds.virtualMCPServer, namespace: ns).filter(match).map(\.key)
        }
        var out: [ObjectKey] = []
        switch changed.groupKind {
        case Kinds.mcpGroup:
            out = vmcps(.groupRef, changed.name)
        case Kinds.mcpServer, Kinds.mcpRemoteProxy, Kinds.mcpServerEntry:
            if let g = GroupRef.name(in: changed) { out = vmcps(.groupRef, g) }
        case Kinds.mcpExternalAuthConfig:
            out = Self.vmcps(usingExternalAuthConfig: changed.name, namespace: ns, in: snapshot)
        case Kinds.mcpToolConfig:
            out = vmcps(.toolConfigRef, changed.name)
        case Kinds.compositeToolDefinition:
            out = vmcps(.compositeToolRef, changed.name)
        case Kinds.mcpOIDCConfig:
            out = vmcps(.vmcpOIDCConfigRef, changed.name)
        case Kinds.mcpAuthzConfig:
            out = vmcps { $0.spec[path: "incomingAuth.authzConfigRef.name"]?.stringValue == changed.name }
        case Kinds.mcpTelemetryConfig:
            out = vmcps { $0.spec[path: "telemetryConfigRef.name"]?.stringValue == changed.name }
        case Kinds.embeddingServer:
            out = vmcps { $0.spec[path: "embeddingServerRef.name"]?.stringValue == changed.name }
        case Kinds.configMap:
            out = vmcps(.vmcpAuthzConfigMapRef, changed.name)
        case Kinds.pod:
            // Readiness comes from the vMCP's pods (labelled with the workload labels).
            if changed.labels["app"] == "virtualmcpserver", let n = changed.labels["toolhive-name"],
                snapshot.contains(Kinds.virtualMCPServer, namespace: ns, name: n)
            {
                out = [ObjectKey(Kinds.virtualMCPServer, namespace: ns, name: n)]
            }
        case Kinds.secret:
            // Referenced Secrets (auth validation, OIDC client secret, redis password) are checked by
            // name. Candidates come from the indexes (every vMCP that could read it, by each route
            // `vmcpReads` checks), so a Secret write costs what it touches, not every vMCP's group.
            let configs = Self.externalAuthConfigs(reading: changed.name, namespace: ns, in: snapshot)
            var candidates = vmcps(.vmcpSessionPasswordRef, changed.name)
            for oidc in snapshot.list(Kinds.mcpOIDCConfig, namespace: ns) where oidc.spec[path: "inline.clientSecretRef.name"]?.stringValue == changed.name {
                candidates += vmcps(.vmcpOIDCConfigRef, oidc.name)
            }
            for c in configs.sorted() {
                candidates += Self.vmcps(usingExternalAuthConfig: c, namespace: ns, in: snapshot)
            }
            out = Set(candidates).filter { key in
                snapshot.get(key).map { vmcpReads(secret: changed.name, $0, snapshot, externalAuthConfigs: configs) } ?? false
            }.sorted()
        default:
            break
        }
        return Array(Set(out)).sorted()
    }

    /// The vMCPs in `namespace` whose outgoing auth may use the MCPExternalAuthConfig `name`: those
    /// that name it (`outgoingAuth.default`/`backends`), and those whose group has a member that
    /// does (discovered auth, conditions, env). Also what the vMCP runtime rule maps a config to.
    static func vmcps(usingExternalAuthConfig name: String, namespace ns: String, in snapshot: Snapshot) -> [ObjectKey] {
        var out = snapshot.lookup(.externalAuthConfigRef, kind: Kinds.virtualMCPServer, namespace: ns, value: name)
        for member in snapshot.lookup(.externalAuthConfigRef, namespace: ns, value: name) where member.groupKind != Kinds.virtualMCPServer {
            if let g = GroupRef.name(in: member) { out += snapshot.lookup(.groupRef, kind: Kinds.virtualMCPServer, namespace: ns, value: g) }
        }
        return out
    }

    /// Names of the MCPExternalAuthConfigs in `namespace` whose spec references the Secret `name`.
    static func externalAuthConfigs(reading name: String, namespace: String, in snapshot: Snapshot) -> Set<String> {
        var out = Set<String>()
        for obj in snapshot.list(Kinds.mcpExternalAuthConfig, namespace: namespace) {
            if let s = try? MCPExternalAuthConfigSpec(obj), s.secretRefs.contains(where: { $0.name == name }) { out.insert(obj.name) }
        }
        return out
    }

    /// Whether a vMCP's pass reads the Secret `name` (its own HMAC Secret is mapped by ownership).
    /// `externalAuthConfigs` are the configs that reference it (`externalAuthConfigs(reading:)`).
    private func vmcpReads(secret name: String, _ vmcp: KubeObject, _ snapshot: Snapshot, externalAuthConfigs: Set<String>) -> Bool {
        if vmcp.spec[path: "sessionStorage.passwordRef.name"]?.stringValue == name { return true }
        if let oidc = vmcp.spec[path: "incomingAuth.oidcConfigRef.name"]?.stringValue,
            let cfg = snapshot.get(Kinds.mcpOIDCConfig, namespace: vmcp.namespace, name: oidc),
            cfg.spec[path: "inline.clientSecretRef.name"]?.stringValue == name
        {
            return true
        }
        guard let group = GroupRef.name(in: vmcp), !externalAuthConfigs.isEmpty else { return false }
        var configs = BackendDiscovery.workloads(group: group, namespace: vmcp.namespace, in: snapshot).compactMap(\.externalAuthConfigName)
        configs += FieldIndex.externalAuthConfigRef.extract(vmcp)
        return configs.contains { externalAuthConfigs.contains($0) }
    }
}

/// One reconcile of one VirtualMCPServer: the steps of spec §2 in order, each able to stop the
/// pass. The status is collected as it goes and written once at the end (only if it changed).
private struct Pass {
    let vmcp: KubeObject
    let snapshot: Snapshot
    let env: OperatorEnvironment
    var plan: PlanBuilder
    var status: OrderedMap
    var conditions: ConditionList

    init(vmcp: KubeObject, snapshot: Snapshot, env: OperatorEnvironment, plan: PlanBuilder) {
        self.vmcp = vmcp
        self.snapshot = snapshot
        self.env = env
        self.plan = plan
        status = vmcp.status.objectValue ?? OrderedMap()
        conditions = ConditionList(status: vmcp.status)
    }

    var ns: String { vmcp.namespace }

    /// The problem that stopped the pass early, for the `Ready` condition.
    var blocker: (reason: String, message: String)? = nil
    var readySet = false
    /// False conditions that never stop a pass.
    static let advisory: Set<String> = [ConditionType.sessionStorageWarning, VMCPCondition.identitySynthesized, OutgoingAuth.defaultCondition]

    mutating func set(_ type: String, _ ok: Bool, _ reason: String, _ message: String) {
        conditions.set(type, ok ? .true : .false, reason: reason, message: message, observedGeneration: vmcp.generation, now: env.now)
        if type == ConditionType.ready {
            readySet = true
        } else if !ok && !Self.advisory.contains(type) && !type.hasPrefix(OutgoingAuth.discoveredPrefix) && !type.hasPrefix(OutgoingAuth.backendPrefix) {
            blocker = (reason, message)
        }
    }
    mutating func phase(_ phase: String, _ message: String) {
        status["phase"] = .string(phase)
        status["message"] = .string(message)
    }
    /// Records a Warning event only when `type` was not already False (a user sees it once per
    /// problem, and a steady state makes no events).
    mutating func warnOnTransition(_ type: String, reason: String, message: String) {
        if vmcp.condition(type)?.status != .false { plan.record(Event(.warning, reason: reason, message: message)) }
    }
    /// Writes the collected status; observedGeneration follows the spec the pass looked at.
    mutating func finish() {
        // A pass stopped early says why in `Ready` too, so `kubectl wait --for=condition=Ready`
        // and readers of Ready alone see the cause.
        if !readySet, let b = blocker { set(ConditionType.ready, false, b.reason, b.message) }
        // Paths that leave the phase alone (validation, config references, secrets) still give a
        // new object the phase the CRD schema defaults to, as the API server would.
        if status["phase"] == nil { status["phase"] = .string(Phase.pending) }
        status["observedGeneration"] = .int(vmcp.generation)
        status["conditions"] = conditions.items.isEmpty ? nil : conditions.value
        // A stable, readable field order (equality ignores order, so this never causes a write).
        var ordered = OrderedMap()
        for k in Self.statusOrder { if let v = status[k] { ordered[k] = v } }
        for (k, v) in status where ordered[k] == nil { ordered[k] = v }
        plan.setStatus(.object(ordered))
    }
    static let statusOrder = [
        "phase", "message", "url", "observedGeneration", "backendCount", "discoveredBackends", "oidcConfigHash", "authzConfigHash", "telemetryConfigHash", "conditions",
    ]

    mutating func run() {
        // 1. Spec validation: Valid=False leaves phase alone and waits for a spec change.
        let spec: VirtualMCPServerSpec
        do { spec = try VirtualMCPServerSpec(vmcp) } catch {
            set(ConditionType.valid, false, ConditionReason.validationFailed, error.description)
            return finish()
        }
        if let problem = spec.validate(compositeErrors: { path, tool in CompositeToolValidator.message(tool, path: path) }) {
            set(ConditionType.valid, false, ConditionReason.validationFailed, problem)
            return finish()
        }
        set(ConditionType.valid, true, ConditionReason.validationSucceeded, "Spec validation passed")
        let interval = VMCPConfigGenerator.statusInterval(spec)

        // 2. PodTemplateSpec.
        if let pts = spec.podTemplateSpec {
            if let problem = PodTemplatePatch.problem(pts) {
                warnOnTransition(VMCPCondition.podTemplateSpecValid, reason: "InvalidPodTemplateSpec", message: "Invalid PodTemplateSpec: \(problem)")
                phase(Phase.failed, "Invalid PodTemplateSpec: \(problem)")
                set(VMCPCondition.podTemplateSpecValid, false, "InvalidPodTemplateSpec", "Failed to parse PodTemplateSpec: \(problem). Deployment blocked until fixed.")
                return finish()
            }
            set(VMCPCondition.podTemplateSpecValid, true, "PodTemplateSpecValid", "PodTemplateSpec is valid")
        }

        // 3. Group: the user must act, so a condition plus a slow re-check, not a hot retry loop.
        let group = spec.groupName
        guard let groupObject = snapshot.get(Kinds.mcpGroup, namespace: ns, name: group) else {
            let msg = "Referenced MCPGroup \(group) not found"
            phase(Phase.failed, msg)
            set(ConditionType.groupRefValidated, false, ConditionReason.groupRefNotFound, msg)
            plan.requeue(after: interval)
            return finish()
        }
        let groupPhase = groupObject.status["phase"]?.stringValue ?? ""
        guard groupPhase == Phase.ready else {
            let msg = "Referenced MCPGroup \(group) is not ready (phase: \(groupPhase))"
            phase(Phase.pending, msg)
            set(ConditionType.groupRefValidated, false, ConditionReason.groupRefNotReady, msg)
            plan.requeue(after: interval)
            return finish()
        }
        set(ConditionType.groupRefValidated, true, ConditionReason.groupRefValid, "MCPGroup \(group) is valid and ready")

        // 4. Composite tool references, validated with the shared validator now (not only via the
        // definition's status, which may lag behind its spec).
        let refs = (spec.config["compositeToolRefs"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        for ref in refs {
            guard let def = snapshot.get(Kinds.compositeToolDefinition, namespace: ns, name: ref) else {
                return failRef(VMCPCondition.compositeToolRefsValidated, "CompositeToolRefNotFound", "Referenced VirtualMCPCompositeToolDefinition \(ref) not found", interval)
            }
            let issues = CompositeToolValidator.issues(def.spec, path: "spec")
            if !issues.isEmpty || def.status["validationStatus"]?.stringValue == "Invalid" {
                let errors = issues.isEmpty ? (def.status["validationErrors"]?.arrayValue ?? []).compactMap(\.stringValue) : issues.map(\.message)
                let detail = errors.isEmpty ? "" : ": " + errors.joined(separator: "; ")
                return failRef(VMCPCondition.compositeToolRefsValidated, "CompositeToolRefInvalid", "Referenced VirtualMCPCompositeToolDefinition \(ref) is invalid\(detail)", interval)
            }
        }
        set(VMCPCondition.compositeToolRefsValidated, true, "CompositeToolRefsValid",
            refs.isEmpty ? "No composite tool references to validate" : "All \(refs.count) composite tool references are valid")

        // 5. EmbeddingServer.
        var embeddingURL: String? = nil
        if let es = spec.embeddingServerRefName {
            guard let server = snapshot.get(Kinds.embeddingServer, namespace: ns, name: es) else {
                warnOnTransition(VMCPCondition.embeddingServerReady, reason: "EmbeddingServerRefNotFound", message: "Referenced EmbeddingServer \(es) not found")
                return failRef(VMCPCondition.embeddingServerReady, "EmbeddingServerNotFound", "Referenced EmbeddingServer \(es) not found", interval)
            }
            let esPhase = server.status["phase"]?.stringValue ?? ""
            if esPhase != Phase.ready || (server.status["readyReplicas"]?.intValue ?? 0) == 0 {
                phase(Phase.pending, "Waiting for EmbeddingServer to become ready")
                set(VMCPCondition.embeddingServerReady, false, "EmbeddingServerNotReady", "EmbeddingServer is not yet ready")
                plan.requeue(after: 30)
                return finish()
            }
            set(VMCPCondition.embeddingServerReady, true, "EmbeddingServerReady", "EmbeddingServer is ready")
            embeddingURL = server.status["url"]?.stringValue
        } else {
            conditions.remove(VMCPCondition.embeddingServerReady)
        }

        // Advisory events about the optimizer's embedding service, once per spec generation.
        if let manual = spec.config[path: "optimizer.embeddingService"]?.stringValue, !manual.isEmpty,
            vmcp.status["observedGeneration"]?.intValue != vmcp.generation
        {
            plan.record(spec.embeddingServerRefName == nil
                ? Event(.warning, reason: "EmbeddingServiceManual", message: "spec.config.optimizer.embeddingService is set manually; prefer spec.embeddingServerRef")
                : Event(.warning, reason: "EmbeddingServiceOverridden", message: "spec.config.optimizer.embeddingService is overridden by the URL of EmbeddingServer \(spec.embeddingServerRefName ?? "")"))
        }

        // 6. Embedded auth server: the checks that need no other object.
        guard checkAuthServerConfig() else { return finish() }

        // 7. Session storage advisory.
        // Sessions are shared when config.yaml gets redis: from the spec or the operator's default.
        let replicas = spec.replicas ?? 1
        let redis = spec.sessionStorage?.provider == "redis" || env.defaultRedisAddress != nil
        if replicas > 1 && !redis {
            set(ConditionType.sessionStorageWarning, true, ConditionReason.sessionStorageMissingForReplicas,
                "replicas > 1 but sessionStorage.provider is not redis; sessions are not shared across replicas")
        } else if replicas > 1 {
            set(ConditionType.sessionStorageWarning, false, ConditionReason.sessionStorageConfigured, "session storage is configured for multiple replicas")
        } else {
            set(ConditionType.sessionStorageWarning, false, ConditionReason.sessionStorageWarningNotApplicable, "session storage warning is not active")
        }

        // 8. Shared config references (fail-stale: owned objects are left as they are).
        guard let refs = resolveConfigRefs(spec, interval) else { return finish() }
        var oidc: ResolvedOIDC? = nil
        if let ref = spec.oidcConfigRef, let cfg = refs[Kinds.mcpOIDCConfig] { oidc = ResolvedOIDC.resolve(ref: ref, config: cfg, vmcp: vmcp) }
        let telemetry = refs[Kinds.mcpTelemetryConfig].map { VMCPTelemetry.resolve(config: $0, serviceName: spec.telemetryServiceName ?? vmcp.name, namespace: ns) }

        // 9.1 Secrets and authz ConfigMap the pod will need.
        guard let authz = resolveAuth(spec, oidc: oidc, authzRef: refs[Kinds.mcpAuthzConfig], interval) else { return finish() }

        // 9.3 Discovery over the group, and what outgoing auth makes of it.
        let discovery = BackendDiscovery.discover(vmcp, spec: spec, in: snapshot)
        let outgoing = OutgoingAuth.resolve(spec: spec, workloads: discovery.workloads, namespace: ns, in: snapshot)

        // 9.4 RBAC unless the user brings a ServiceAccount.
        let pulls = VMCPDeploymentBuilder.pullSecrets(spec, env: env)
        if spec.serviceAccount == nil {
            plan.ensure(VMCPDeploymentBuilder.serviceAccount(vmcp, pullSecrets: pulls), why: "the vMCP pod's identity")
            plan.ensure(VMCPDeploymentBuilder.role(vmcp, source: spec.outgoingSource), why: "outgoingAuth.source \(spec.outgoingSource) decides what the pod may read")
            plan.ensure(VMCPDeploymentBuilder.roleBinding(vmcp), why: "binds the Role to the ServiceAccount")
        }

        // 9.5 HMAC Secret: created once, never rotated, never repaired.
        let secretName = Naming.vmcpHMACSecret(vmcp.name)
        if let existing = snapshot.get(Kinds.secret, namespace: ns, name: secretName) {
            if let problem = VMCPDeploymentBuilder.hmacSecretProblem(existing, owner: vmcp) {
                plan.record(Event(.warning, reason: "HMACSecretValidationFailed", message: problem))
                blocker = ("HMACSecretValidationFailed", problem)
                plan.requeue(after: interval)
                return finish()
            }
        } else {
            plan.ensure(VMCPDeploymentBuilder.hmacSecret(vmcp, env: env), why: "session token binding key")
            plan.record(Event(.normal, reason: "HMACSecretCreated", message: "Created HMAC secret \(secretName)"))
        }

        // 9.6 ConfigMap with the generated configuration.
        let config: Value
        do {
            config = try VMCPConfigGenerator.generate(.init(
                vmcp: vmcp, spec: spec, snapshot: snapshot, env: env, discovery: discovery, outgoing: outgoing,
                oidc: oidc, authz: authz.value, embeddingServiceURL: embeddingURL, telemetry: telemetry))
        } catch {
            applyAuthConditions(outgoing)
            phase(Phase.pending, "Failed to build configuration: \(error.message)")
            set(ConditionType.ready, false, VMCPCondition.configurationFailedReason, "Failed to build configuration: \(error.message)")
            plan.requeue(after: interval)
            return finish()
        }
        let configMap = VMCPDeploymentBuilder.configMap(vmcp, configYAML: VMCPConfigGenerator.render(config))
        plan.ensure(configMap, why: "config.yaml generated from spec.config, the group and the referenced configs")
        applyAuthConditions(outgoing)

        // 9.7 Deployment, rolled by the config checksum on its pod template.
        let checksum = configMap.annotations[VMCPDeploymentBuilder.checksumAnnotation] ?? ""
        let deployment = VMCPDeploymentBuilder.deployment(
            vmcp, spec: spec,
            inputs: .init(
                configChecksum: checksum, env: podEnv(spec, discovery: discovery, oidc: oidc, telemetry: telemetry), pullSecrets: pulls,
                extraVolumes: volumes(oidc: oidc, discovery: discovery, telemetry: telemetry),
                debug: spec.config[path: "operational.logLevel"]?.stringValue == "debug"),
            env: env)
        let before = plan.actions.count
        plan.ensure(deployment, why: "runs the vMCP server")
        if plan.actions.count > before {
            let existed = snapshot.contains(deployment.key)
            plan.record(existed
                ? Event(.normal, reason: "DeploymentUpdated", message: "Deployment updated, rolling out new configuration")
                : Event(.normal, reason: "DeploymentCreated", message: "Created Deployment \(deployment.name)"))
        }

        // 9.8 Service, 9.9 URL (recomputed: it follows the Service name).
        let service = VMCPDeploymentBuilder.service(vmcp, spec: spec)
        let svcBefore = plan.actions.count
        plan.ensure(service, why: "exposes the vMCP server (\(spec.serviceType))")
        if plan.actions.count > svcBefore && !snapshot.contains(service.key) {
            plan.record(Event(.normal, reason: "ServiceCreated", message: "Created Service \(service.name)"))
        }
        status["url"] = .string(VMCPDeploymentBuilder.url(vmcp))

        // The runtime half: copied through as observed, or written here when no runtime reports.
        if !env.vmcpRuntimeReportsStatus {
            let report = VMCPStatus.withRuntimeReport(discovery, on: .object(status), generation: vmcp.generation, now: env.now)
            let reported = ConditionList(status: report)
            for t in VMCPStatus.runtimeConditions {
                if let c = reported[t] { conditions.set(t, c.status, reason: c.reason, message: c.message, observedGeneration: vmcp.generation, now: env.now) } else { conditions.remove(t) }
            }
            for f in VMCPStatus.runtimeFields { status[f] = report[f] }
        }

        // 10. Phase / Ready from pods and the reported backends.
        let r = VMCPStatus.readiness(vmcp: vmcp, snapshot: snapshot, backends: status["discoveredBackends"]?.arrayValue ?? [])
        phase(r.phase, r.message)
        set(ConditionType.ready, r.ready, r.reason, r.readyMessage)
        if !r.ready { plan.requeue(after: interval) }
        finish()
    }

    /// `spec.authServerConfig` (spec §2 step 6): advisory `IdentitySynthesized`, then issuer and
    /// upstream checks; a failure is a spec error (Failed, no requeue). Absent → both removed.
    mutating func checkAuthServerConfig() -> Bool {
        guard let asc = vmcp.spec["authServerConfig"], !asc.isNull else {
            conditions.remove(VMCPCondition.authServerConfigValidated)
            conditions.remove(VMCPCondition.identitySynthesized)
            return true
        }
        let upstreams = asc["upstreamProviders"]?.arrayValue ?? []
        let synthesized = upstreams.filter { $0["type"]?.stringValue == "oauth2" && ($0[path: "oauth2Config.userInfo"] ?? .null).isNull }
            .map { $0["name"]?.stringValue ?? "" }
        if synthesized.isEmpty {
            set(VMCPCondition.identitySynthesized, false, "AllUpstreamsHaveUserInfo", "every upstream provider has a userInfo endpoint")
        } else {
            set(VMCPCondition.identitySynthesized, true, "OAuth2UpstreamWithoutUserInfo",
                "identity is synthesized for OAuth2 upstream providers without userInfo: \(synthesized.joined(separator: ", "))")
        }
        var problem: String? = nil
        let issuer = asc["issuer"]?.stringValue ?? ""
        if issuer.isEmpty {
            problem = "authServerConfig.issuer is required"
        } else if issuer.hasPrefix("http://") && asc["insecureAllowHTTP"]?.boolValue != true {
            let host = issuer.dropFirst("http://".count).split(separator: "/").first.map { String($0.split(separator: ":").first ?? "") } ?? ""
            if !["localhost", "127.0.0.1", "[::1]"].contains(host) {
                problem = "authServerConfig.issuer \(issuer) uses http:// on a non-loopback host; set insecureAllowHTTP to allow it"
            }
        }
        if problem == nil && upstreams.isEmpty { problem = "authServerConfig.upstreamProviders must have at least one provider" }
        if let problem {
            phase(Phase.failed, problem)
            set(VMCPCondition.authServerConfigValidated, false, "AuthServerConfigInvalid", problem)
            return false
        }
        set(VMCPCondition.authServerConfigValidated, true, "AuthServerConfigValid", "AuthServerConfig is valid")
        return true
    }

    mutating func failRef(_ type: String, _ reason: String, _ message: String, _ interval: Double) {
        phase(Phase.failed, message)
        set(type, false, reason, message)
        plan.requeue(after: interval)
        finish()
    }

    /// The shared config references (`incomingAuth.oidcConfigRef`, `incomingAuth.authzConfigRef`,
    /// `telemetryConfigRef`): each must exist and not be `Valid=False`; its `configHash` is copied.
    /// Only an explicit `Valid=False` blocks: a config nobody has reconciled yet is usable.
    /// nil stops the pass; otherwise the referenced objects by kind.
    mutating func resolveConfigRefs(_ spec: VirtualMCPServerSpec, _ interval: Double) -> [GroupKind: KubeObject]? {
        var found: [GroupKind: KubeObject] = [:]
        struct Ref {
            var name: String?
            var kind: GroupKind
            var type: String
            var valid: String
            var notFound: String
            var invalid: String
            var hashField: String
        }
        let refs = [
            Ref(name: spec.oidcConfigRef?.name, kind: Kinds.mcpOIDCConfig, type: ConditionType.oidcConfigRefValidated, valid: ConditionReason.oidcConfigRefValid,
                notFound: ConditionReason.oidcConfigRefNotFound, invalid: ConditionReason.oidcConfigRefNotValid, hashField: "oidcConfigHash"),
            Ref(name: spec.authzConfigRefName, kind: Kinds.mcpAuthzConfig, type: ConditionType.authzConfigRefValidated, valid: ConditionReason.authzConfigRefValid,
                notFound: ConditionReason.authzConfigRefNotFound, invalid: ConditionReason.authzConfigRefNotValid, hashField: "authzConfigHash"),
            Ref(name: spec.telemetryConfigRefName, kind: Kinds.mcpTelemetryConfig, type: ConditionType.telemetryConfigRefValidated,
                valid: ConditionReason.telemetryConfigRefValid, notFound: ConditionReason.telemetryConfigRefNotFound,
                invalid: ConditionReason.telemetryConfigRefInvalid, hashField: "telemetryConfigHash"),
        ]
        for ref in refs {
            let kind = ref.kind
            guard let name = ref.name else {
                status[ref.hashField] = nil
                conditions.remove(ref.type)
                continue
            }
            guard let cfg = snapshot.get(kind, namespace: ns, name: name) else {
                set(ref.type, false, ref.notFound, "\(kind.kind) \(name) not found")
                plan.requeue(after: interval)
                return nil
            }
            if let valid = cfg.condition(ConditionType.valid), valid.status == .false {
                set(ref.type, false, ref.invalid, "\(kind.kind) \(name) is not valid: \(valid.message)")
                plan.requeue(after: interval)
                return nil
            }
            if kind == Kinds.mcpAuthzConfig, let t = cfg.spec["type"]?.stringValue, t != "cedarv1" {
                set(ref.type, false, ref.invalid, "\(kind.kind) \(name) has unsupported type \"\(t)\" for VirtualMCPServer; only cedarv1 is supported")
                plan.requeue(after: interval)
                return nil
            }
            set(ref.type, true, ref.valid, "\(kind.kind) \(name) is valid")
            status[ref.hashField] = cfg.status["configHash"].flatMap { $0.isNull ? nil : $0 }
            found[kind] = cfg
        }
        return found
    }

    /// `AuthConfigured`: Secrets and the authz ConfigMap exist; returns the `authz:` section.
    mutating func resolveAuth(_ spec: VirtualMCPServerSpec, oidc: ResolvedOIDC?, authzRef: KubeObject?, _ interval: Double) -> Box<Value?>? {
        if let s = oidc?.clientSecret, !SecretKeys.has(s.key, inSecret: s.name, namespace: ns, in: snapshot) {
            let msg = "Authentication configuration is invalid: secret \(s.name) key \(s.key) not found"
            warnOnTransition(VMCPCondition.authConfigured, reason: "SecretValidationFailed", message: msg)
            set(VMCPCondition.authConfigured, false, "AuthInvalid", msg)
            plan.requeue(after: interval)
            return nil
        }
        var authz: Value? = nil
        if let a = spec.authzConfig {
            var m = OrderedMap()
            m["type"] = "cedar"
            if a.type == "inline" {
                m["policies"] = .strings(a.policies)
                m["entitiesJson"] = .string(a.entitiesJSON)
            } else {
                let cmName = a.configMapName ?? ""
                guard let cm = snapshot.get(Kinds.configMap, namespace: ns, name: cmName) else {
                    let msg = "Authorization ConfigMap \(cmName) not found"
                    warnOnTransition(VMCPCondition.authConfigured, reason: "AuthzConfigMapNotFound", message: msg)
                    set(VMCPCondition.authConfigured, false, "AuthzConfigMapNotFound", msg)
                    plan.requeue(after: interval)
                    return nil
                }
                let text = cm.root["data"]?[a.configMapKey]?.stringValue ?? ""
                guard let parsed = try? JSONReader.parse(text), let cedar = parsed["cedar"] ?? parsed["cedarv1"],
                    let policies = cedar["policies"]?.arrayValue
                else {
                    let msg = "Authorization ConfigMap is invalid: key \(a.configMapKey) of \(cmName) does not hold a Cedar configuration"
                    warnOnTransition(VMCPCondition.authConfigured, reason: "AuthzConfigMapInvalid", message: msg)
                    set(VMCPCondition.authConfigured, false, "AuthzConfigMapInvalid", msg)
                    plan.requeue(after: interval)
                    return nil
                }
                m["policies"] = .array(policies)
                m["entitiesJson"] = .string(cedar["entities_json"]?.stringValue ?? cedar["entitiesJson"]?.stringValue ?? "[]")
            }
            if let v = a.groupClaimName { m["groupClaimName"] = .string(v) }
            if let v = a.roleClaimName { m["roleClaimName"] = .string(v) }
            if let v = a.groupEntityType { m["groupEntityType"] = .string(v) }
            authz = .object(m)
        } else if let ref = authzRef {
            let c = ref.spec["config"] ?? .null
            var m = OrderedMap()
            m["type"] = "cedar"
            if let p = c["policies"] { m["policies"] = p }
            if let e = (c["entitiesJson"] ?? c["entities_json"])?.stringValue { m["entitiesJson"] = .string(e) }
            authz = .object(m)
        }
        set(VMCPCondition.authConfigured, true, "AuthValid", "Authentication configuration is valid")
        return Box(authz)
    }

    /// Per-auth-config conditions; stale ones (workloads or backends gone) removed.
    mutating func applyAuthConditions(_ outgoing: OutgoingAuth.Resolution) {
        let owned = outgoing.ownedTypes
        conditions.removeAll(prefix: OutgoingAuth.discoveredPrefix, except: owned)
        conditions.removeAll(prefix: OutgoingAuth.backendPrefix, except: owned)
        if !owned.contains(OutgoingAuth.defaultCondition) { conditions.remove(OutgoingAuth.defaultCondition) }
        for c in outgoing.conditions { set(c.type, c.ok, c.reason, c.message) }
    }

    /// Container env in the order of spec §3.4 (order is part of drift detection).
    func podEnv(_ spec: VirtualMCPServerSpec, discovery: BackendDiscoveryResult, oidc: ResolvedOIDC?, telemetry: VMCPTelemetry?) -> [Value] {
        var env: [Value] = [EnvVar.plain("VMCP_NAME", vmcp.name), EnvVar.plain("VMCP_NAMESPACE", ns)]
        if let s = oidc?.clientSecret { env.append(EnvVar.secret("VMCP_OIDC_CLIENT_SECRET", secret: s.name, key: s.key)) }
        env += OutgoingAuth.secretEnv(spec: spec, workloads: discovery.workloads, namespace: ns, in: snapshot)
        env += headerForwardEnv(discovery.workloads)
        env.append(EnvVar.secret("VMCP_SESSION_HMAC_SECRET", secret: Naming.vmcpHMACSecret(vmcp.name), key: VMCPDeploymentBuilder.hmacKey))
        if let s = spec.sessionStorage {
            if s.provider == "redis", let n = s.passwordSecretName, let k = s.passwordSecretKey {
                env.append(EnvVar.secret("THV_SESSION_REDIS_PASSWORD", secret: n, key: k))
            }
        } else if self.env.defaultRedisAddress != nil, let n = self.env.defaultRedisSecretName {
            env.append(EnvVar.secret("THV_SESSION_REDIS_PASSWORD", secret: n, key: self.env.defaultRedisSecretKey))
        }
        env += telemetry?.env ?? []
        let names = Set(env.compactMap { $0["name"]?.stringValue })
        for (k, v) in [("XDG_CONFIG_HOME", "/tmp"), ("HOME", "/tmp"), ("TOOLHIVE_RUNTIME", "kubernetes"), ("UNSTRUCTURED_LOGS", "false")] where !names.contains(k) {
            env.append(EnvVar.plain(k, v))
        }
        if names.contains(where: { $0.hasPrefix("TOOLHIVE_SECRET_") && $0 != "TOOLHIVE_SECRETS_PROVIDER" }) && !names.contains("TOOLHIVE_SECRETS_PROVIDER") {
            env.append(EnvVar.plain("TOOLHIVE_SECRETS_PROVIDER", "environment"))
        }
        return env
    }

    /// MCPServerEntry header forwarding: a JSON manifest per entry naming the env vars that hold
    /// secret header values, and those env vars as `secretKeyRef`s; sorted by env name.
    func headerForwardEnv(_ workloads: [GroupWorkload]) -> [Value] {
        var env: [(String, Value)] = []
        for w in workloads where w.kind == .serverEntry {
            guard let hf = w.headerForward else { continue }
            let entry = MCPExternalAuthConfigSpec.envSuffix(w.name)
            var manifest = OrderedMap()
            if let plain = hf["addPlaintextHeaders"], !plain.isEmptyish { manifest["addPlaintextHeaders"] = plain }
            var fromSecret = OrderedMap()
            for h in hf["addHeadersFromSecret"]?.arrayValue ?? [] {
                guard let header = h["headerName"]?.stringValue, let n = h[path: "valueSecretRef.name"]?.stringValue,
                    let k = h[path: "valueSecretRef.key"]?.stringValue
                else { continue }
                let suffix = "HEADER_FORWARD_\(MCPExternalAuthConfigSpec.envSuffix(header))_\(entry)"
                fromSecret[header] = .string(suffix)
                let name = "TOOLHIVE_SECRET_\(suffix)"
                env.append((name, EnvVar.secret(name, secret: n, key: k)))
            }
            if !fromSecret.isEmpty { manifest["addHeadersFromSecret"] = .object(fromSecret) }
            let name = "TOOLHIVE_HEADER_FORWARD_\(entry)"
            env.append((name, EnvVar.plain(name, JSONWriter.write(.object(manifest), pretty: false, sortKeys: true))))
        }
        return env.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// OIDC CA bundle and MCPServerEntry CA bundles, after the config volume.
    func volumes(oidc: ResolvedOIDC?, discovery: BackendDiscoveryResult, telemetry: VMCPTelemetry?) -> [(volume: Value, mount: Value)] {
        var out: [(Value, Value)] = []
        if let ca = oidc?.caBundleConfigMap {
            out.append(VMCPDeploymentBuilder.configMapVolume(name: "oidc-ca-bundle-\(ca.name)", configMap: ca.name, mountPath: "/config/certs/\(ca.name)"))
        }
        for w in discovery.workloads where w.kind == .serverEntry {
            guard let ca = w.caBundle else { continue }
            out.append(VMCPDeploymentBuilder.configMapVolume(
                name: VMCPDeploymentBuilder.entryCAVolumeName(w.name), configMap: ca.name, mountPath: "/etc/toolhive/ca-bundles/\(w.name)", items: [ca.key]))
        }
        if let cm = telemetry?.caBundleConfigMap {
            out.append(VMCPDeploymentBuilder.configMapVolume(name: "otel-ca-bundle-\(cm)", configMap: cm, mountPath: "/config/certs/otel/\(cm)"))
        }
        return out
    }
}

/// Distinguishes "stop the pass" (nil) from "resolved to nothing" (`Box(nil)`) in the `authz:` result.
struct Box<T: Sendable>: Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
