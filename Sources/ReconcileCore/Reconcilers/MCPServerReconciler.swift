/// The MCPServer controller as one pure pass (spec A §2.6): deletion first, then the finalizer,
/// restart requests, condition checks, ref handlers, status from the proxy pods, and the whole
/// desired set of owned objects. Where Go returns early after creating an object and requeues,
/// this pass computes everything at once.
public struct MCPServerReconciler: Reconciler {
    public let name = "MCPServer"
    public let primaryKind = Kinds.mcpServer
    public init() {}

    /// Status messages with operator meaning (§2.6, §2.7).
    enum Message {
        static let terminating = "MCP server is being terminated"
        static let stopped = "MCP server is stopped (scaled to zero)"
        static let creating = "MCP server is being created"
        static let running = "MCP server is running"
        static let starting = "MCP server is starting"
        static let noHealthyPods = "No healthy pods found"
        static let podFailed = "MCP server pod failed"
        static let statefulSetMissing = "MCP server proxy is running; recreating missing workload StatefulSet"
    }

    /// How long after one bounce of the proxy another may follow while the StatefulSet is missing.
    static let bounceInterval: Int64 = 120
    static let statefulSetMissingRequeue = 10.0

    public func reconcile(_ snapshot: Snapshot, key: ObjectKey, env: OperatorEnvironment) -> ReconcileResult {
        guard let object = snapshot.get(key) else {
            return .gone(controller: name, key: key)
        }
        var plan = PlanBuilder(controller: name, primary: object, snapshot: snapshot)
        var status = ServerStatus(object.status)
        let generation = object.generation
        let now = env.now

        // 1. Deletion comes first, and needs nothing from the spec, so no spec can block it.
        if object.isBeingDeleted {
            guard object.finalizers.contains(MCPServer.finalizer) else { return plan.result }
            status.phase = Phase.terminating
            status.message = Message.terminating
            status.conditions.set(ConditionType.ready, .false, reason: ConditionReason.notReady, message: Message.terminating, observedGeneration: generation, now: now)
            plan.setStatus(status.value, why: ["the MCPServer is being deleted"])
            let n = object.name
            let ns = object.namespace
            for (kind, target) in [
                (Kinds.statefulSet, Naming.serverStatefulSet(n)), (Kinds.service, Naming.serverHeadlessService(n)),
                (Kinds.service, Naming.serverBackendService(n)), (Kinds.configMap, Naming.serverRunConfig(n)),
            ] {
                plan.ensureAbsent(ObjectReference(apiVersion: Kinds.preferredAPIVersion(kind), kind: kind.kind, namespace: ns, name: target), why: "the MCPServer is being deleted; \(kind.kind) \(target) is not garbage-collected through an owner")
            }
            plan.removeFinalizer(MCPServer.finalizer, why: "cleanup of the MCPServer's runner objects is decided")
            return plan.result
        }

        // 2. Finalizer, in the same pass as everything else.
        plan.addFinalizer(MCPServer.finalizer, why: "the runner's StatefulSet and Services must be deleted with the MCPServer")

        let server: MCPServer
        do {
            server = try MCPServer(object)
        } catch {
            let message = "Invalid MCPServer spec: \(error)"
            status.observedGeneration = generation
            status.phase = Phase.failed
            status.message = message
            status.conditions.set(ConditionType.ready, .false, reason: ConditionReason.notReady, message: message, observedGeneration: generation, now: now)
            plan.setStatus(status.value, why: ["the spec does not decode: \(error)"])
            return plan.result
        }
        let spec = server.spec

        // 3. Restart request: decided here, carried out with the rest of the pass.
        let restart = restartRequest(server, snapshot: snapshot, now: now)

        // 4. GroupRef (never blocks).
        validateGroupRef(server, snapshot: snapshot, status: &status, now: now)

        // 6, 7. Advisory conditions.
        if let p = spec.authzConfig?[path: "inline.primaryUpstreamProvider"]?.stringValue, !p.isEmpty {
            status.conditions.set(
                ConditionType.authzPrimaryUpstreamProviderIgnored, .true, reason: ConditionReason.primaryUpstreamProviderIgnored,
                message: "spec.authzConfig.inline.primaryUpstreamProvider=\"\(p)\" has no effect on MCPServer; the field only takes effect on VirtualMCPServer with an embedded auth server",
                observedGeneration: generation, now: now)
        } else {
            status.conditions.remove(ConditionType.authzPrimaryUpstreamProviderIgnored)
        }
        setAdvisoryConditions(spec, generation: generation, status: &status, now: now)

        // 8. PodTemplateSpec: an undecodable one is terminal until the spec changes.
        if let template = spec.podTemplateSpec {
            do {
                try K8sPodPatch.validate(template)
                status.conditions.set(ConditionType.podTemplateValid, .true, reason: ConditionReason.validPodTemplateSpec, message: "PodTemplateSpec is valid", observedGeneration: generation, now: now)
            } catch {
                let err = error.description
                plan.record(Event(.warning, reason: ConditionReason.invalidPodTemplateSpec, message: "Failed to parse PodTemplateSpec: \(err). Deployment blocked until PodTemplateSpec is fixed."))
                status.observedGeneration = generation
                status.phase = Phase.failed
                status.message = "Invalid PodTemplateSpec: \(err)"
                status.conditions.set(ConditionType.podTemplateValid, .false, reason: ConditionReason.invalidPodTemplateSpec, message: "Failed to parse PodTemplateSpec: \(err). Deployment blocked until fixed.", observedGeneration: generation, now: now)
                status.conditions.set(ConditionType.ready, .false, reason: ConditionReason.notReady, message: "Invalid PodTemplateSpec: \(err)", observedGeneration: generation, now: now)
                plan.setStatus(status.value, why: ["spec.podTemplateSpec does not decode: \(err)"])
                return plan.result
            }
        }

        // 9, 10. Referenced configuration; a failure keeps the running pods as they are (fail-stale).
        var tools = RunConfigBuilder.Tools()
        if let failure = MCPServerRefs.resolve(server, snapshot: snapshot, status: &status, tools: &tools, now: now) {
            status.phase = Phase.failed
            status.conditions.set(ConditionType.ready, .false, reason: ConditionReason.notReady, message: failure, observedGeneration: generation, now: now)
            plan.setStatus(status.value, why: ["a referenced configuration is not usable: \(failure)"])
            return plan.result
        }

        // 11. Status from the proxy pods, as observed.
        let deployment = snapshot.get(Kinds.deployment, namespace: server.namespace, name: Naming.serverDeployment(server.name))
        // Of the runner's StatefulSet only its existence and owners are read (adoption below).
        let statefulSet = snapshot.get(ObjectKey(Kinds.statefulSet, namespace: server.namespace, name: Naming.serverStatefulSet(server.name)), only: ["metadata"])
        statusFromPods(server, deployment: deployment, statefulSetExists: statefulSet != nil, snapshot: snapshot, status: &status, now: now)

        // 12, 13. RBAC and the inline authz ConfigMap.
        for o in ProxyRBACBuilder.objects(server, env: env) {
            plan.ensure(o, why: "identity of the proxy runner and the MCP server pod")
        }
        if let cm = ProxyDeploymentBuilder.inlineAuthzConfigMap(server) {
            plan.ensure(cm, why: "spec.authzConfig is inline")
        }

        // 14, 15. RunConfig and its checksum.
        let runConfigJSON: String
        do {
            runConfigJSON = RunConfigBuilder.json(try RunConfigBuilder.runConfig(server, tools: tools, env: env))
        } catch {
            let message = "Failed to build configuration: \(error.message)"
            status.phase = Phase.failed
            status.message = message
            status.conditions.set(ConditionType.ready, .false, reason: ConditionReason.notReady, message: message, observedGeneration: generation, now: now)
            plan.setStatus(status.value, why: [message])
            return plan.result
        }
        let configMap = RunConfigBuilder.configMap(server, json: runConfigJSON)
        plan.ensure(configMap, why: "the proxy runner reads its configuration from it")
        let checksum = configMap.annotations[RunConfigBuilder.contentChecksumAnnotation] ?? ""

        // 22 (decided before the Deployment is built): bounce the proxy when the StatefulSet is gone.
        // A proxy scaled to zero runs no runner, so nothing would recreate the StatefulSet: no wait.
        var stamps = restart.podAnnotations
        if statefulSet == nil && spec.proxyReplicas != 0 {
            plan.requeue(after: Self.statefulSetMissingRequeue)
            if let d = deployment, (d.status["availableReplicas"]?.intValue ?? 0) > 0 {
                let last = d[path: "spec.template.metadata.annotations"]?[MCPServer.restartedAtAnnotation]?.stringValue.flatMap { Timestamp(rfc3339: $0) }
                if last.map({ now.secondsSinceEpoch - $0.secondsSinceEpoch >= Self.bounceInterval }) ?? true {
                    stamps[MCPServer.restartedAtAnnotation] = now.rfc3339
                }
            }
        }

        // A stamp written earlier stays in the template: dropping it from the apply would remove it
        // (server-side apply) and roll the pods once more for nothing.
        if stamps[MCPServer.restartedAtAnnotation] == nil,
            let live = deployment?[path: "spec.template.metadata.annotations"]?[MCPServer.restartedAtAnnotation]?.stringValue
        {
            stamps[MCPServer.restartedAtAnnotation] = live
        }

        // 16, 17, 20. The proxy Deployment. A resource quantity Go cannot parse makes its
        // `resource.MustParse` panic here, after RBAC and the RunConfig: no Deployment is written.
        // The panic itself is a Go defect; a condition says what to fix instead.
        if let problem = ProxyDeploymentBuilder.invalidResourceQuantity(spec) {
            let message = "Invalid resource quantity \(problem)"
            status.observedGeneration = generation
            status.phase = Phase.failed
            status.message = message
            status.conditions.set(ConditionType.ready, .false, reason: ConditionReason.notReady, message: message, observedGeneration: generation, now: now)
            plan.setStatus(status.value, why: [message])
            return plan.result
        }
        let patch = K8sPodPatch.build(
            template: spec.podTemplateSpec, serviceAccount: spec.serviceAccount ?? Naming.serverServiceAccount(server.name), secrets: spec.secrets)
        var desired = ProxyDeploymentBuilder.deployment(
            server, runConfigChecksum: checksum, podPatch: patch.map(K8sPodPatch.serialize), extraPodAnnotations: stamps, env: env)
        if spec.transport == "stdio", spec.replicas == nil, let live = deployment?[path: "spec.replicas"]?.intValue, live > 1 {
            var deploymentSpec = desired.spec
            deploymentSpec.set(path: ["replicas"], to: 1)  // the stdio cap also clamps a manual scale-up
            desired.spec = deploymentSpec
        }
        plan.ensure(desired, observed: deployment, why: "the proxy runner Deployment of the MCPServer")

        // 18, 21. The proxy Service.
        plan.ensure(ProxyDeploymentBuilder.service(server), why: "the proxy Service clients connect to")

        // 19. URL, recomputed every pass so it follows port and transport changes.
        status.url = ProxyDeploymentBuilder.url(server)

        // 22. Adopt the runner's StatefulSet without touching anything the runner owns.
        if let sts = statefulSet, !sts.ownerReferences.contains(where: { $0.controller && $0.uid == object.uid }) {
            var adopted = KubeObject(apiVersion: Kinds.preferredAPIVersion(Kinds.statefulSet), kind: "StatefulSet", namespace: sts.namespace, name: sts.name)
            var ref = OwnerReference(controllerOf: object)
            ref.apiVersion = Kinds.toolhiveAPIVersion
            let others = sts.ownerReferences.filter { $0.uid != object.uid && !$0.controller }
            adopted.ownerReferences = others + [ref]
            plan.ensure(adopted, why: "the runner's StatefulSet is adopted so it is collected with the MCPServer")
        }

        // 3 (effects): restart carried out.
        if let requested = restart.requested {
            for pod in restart.podsToDelete {
                plan.ensureAbsent(pod.reference, why: "immediate restart requested at \(requested)")
            }
            var marker = KubeObject(apiVersion: object.apiVersion, kind: object.kind, namespace: object.namespace, name: object.name)
            marker.annotations = [MCPServer.lastProcessedRestartAnnotation: requested]
            plan.ensure(marker, why: "restart request \(requested) handled")
        }

        plan.setStatus(status.value, why: ["status of the MCPServer"])
        return plan.result
    }

    // MARK: steps

    struct Restart {
        var requested: String? = nil
        var podAnnotations: [String: String] = [:]
        var podsToDelete: [KubeObject] = []
    }

    /// §2.11: a new `restarted-at` request is honoured once; rolling stamps the pod template,
    /// immediate deletes the proxy pods.
    func restartRequest(_ server: MCPServer, snapshot: Snapshot, now: Timestamp) -> Restart {
        let annotations = server.object.annotations
        guard let raw = annotations[MCPServer.restartedAtAnnotation], !raw.isEmpty, let requested = Timestamp(rfc3339: raw) else { return Restart() }
        if let last = annotations[MCPServer.lastProcessedRestartAnnotation].flatMap({ Timestamp(rfc3339: $0) }), !(requested > last) {
            return Restart()
        }
        var r = Restart(requested: raw)
        if annotations[MCPServer.restartStrategyAnnotation] == "immediate" {
            r.podsToDelete = snapshot.list(Kinds.pod, namespace: server.namespace, matching: ProxyDeploymentBuilder.labels(server: server.name))
        } else if snapshot.contains(Kinds.deployment, namespace: server.namespace, name: Naming.serverDeployment(server.name)) {
            r.podAnnotations[MCPServer.restartedAtAnnotation] = now.rfc3339
        }
        return r
    }

    /// §2.9, with the condition removed when the ref is, and a group being deleted reported the
    /// way the group's finalizer reports it (so the two controllers agree).
    func validateGroupRef(_ server: MCPServer, snapshot: Snapshot, status: inout ServerStatus, now: Timestamp) {
        guard let g = server.spec.groupRef else {
            status.conditions.remove(ConditionType.groupRefValidated)
            return
        }
        let gen = server.generation
        let type = ConditionType.groupRefValidated
        guard let group = snapshot.get(Kinds.mcpGroup, namespace: server.namespace, name: g) else {
            status.conditions.set(type, .false, reason: ConditionReason.groupRefNotFound, message: "MCPGroup '\(g)' not found in namespace '\(server.namespace)'", observedGeneration: gen, now: now)
            return
        }
        if group.isBeingDeleted {
            status.conditions.set(type, .false, reason: ConditionReason.groupRefNotFound, message: MCPGroupReconciler.beingDeletedMessage, observedGeneration: gen, now: now)
            return
        }
        let phase = Phase.normalized(group.status["phase"]?.stringValue) ?? ""
        if phase != Phase.ready {
            status.conditions.set(type, .false, reason: ConditionReason.groupRefNotReady, message: "MCPGroup '\(g)' is not ready (current phase: \(phase))", observedGeneration: gen, now: now)
            return
        }
        status.conditions.set(type, .true, reason: ConditionReason.groupRefIsValid, message: "MCPGroup '\(g)' is valid and ready", observedGeneration: gen, now: now)
    }

    /// §2.6 step 7: always written, never blocking.
    func setAdvisoryConditions(_ spec: MCPServerSpec, generation gen: Int64, status: inout ServerStatus, now: Timestamp) {
        let many = (spec.replicas ?? 0) > 1
        if spec.transport == "stdio" && many {
            status.conditions.set(ConditionType.stdioReplicaCapped, .true, reason: ConditionReason.stdioTransportCapAt1, message: "stdio transport requires exactly 1 replica; deployment will use 1 regardless of spec.replicas", observedGeneration: gen, now: now)
        } else {
            status.conditions.set(ConditionType.stdioReplicaCapped, .false, reason: ConditionReason.stdioReplicaCapNotActive, message: "stdio replica cap is not active", observedGeneration: gen, now: now)
        }
        if many && !spec.usesRedisSessions {
            status.conditions.set(ConditionType.sessionStorageWarning, .true, reason: ConditionReason.sessionStorageMissingForReplicas, message: "replicas > 1 but sessionStorage.provider is not redis; sessions are not shared across replicas", observedGeneration: gen, now: now)
        } else if many {
            status.conditions.set(ConditionType.sessionStorageWarning, .false, reason: ConditionReason.sessionStorageConfigured, message: "Redis session storage is configured", observedGeneration: gen, now: now)
        } else {
            status.conditions.set(ConditionType.sessionStorageWarning, .false, reason: ConditionReason.sessionStorageWarningNotApplicable, message: "session storage warning is not active", observedGeneration: gen, now: now)
        }
        if spec.rateLimiting == nil {
            status.conditions.set(ConditionType.rateLimitConfigValid, .true, reason: ConditionReason.rateLimitNotApplicable, message: "rate limiting is not configured", observedGeneration: gen, now: now)
        } else if spec.hasPerUserRateLimit && spec.oidcConfigRef == nil && spec.externalAuthConfigRef == nil {
            status.conditions.set(ConditionType.rateLimitConfigValid, .false, reason: ConditionReason.perUserRequiresAuth, message: "perUser rate limiting requires authentication to be enabled (oidcConfigRef or externalAuthConfigRef)", observedGeneration: gen, now: now)
        } else {
            status.conditions.set(ConditionType.rateLimitConfigValid, .true, reason: ConditionReason.rateLimitConfigValid, message: "rate limit configuration is valid", observedGeneration: gen, now: now)
        }
    }

    /// §2.7: phase, message, readyReplicas and Ready from the proxy pods (labels `L(N)`). Unlike Go,
    /// Failed is not kept when there are no pods: the status says what is true now.
    func statusFromPods(_ server: MCPServer, deployment: KubeObject?, statefulSetExists: Bool, snapshot: Snapshot, status: inout ServerStatus, now: Timestamp) {
        let gen = server.generation
        status.observedGeneration = gen
        func set(_ phase: String, _ message: String, ready: Int64) {
            status.phase = phase
            status.message = message
            status.readyReplicas = ready
            if phase == Phase.ready {
                status.conditions.set(ConditionType.ready, .true, reason: ConditionReason.ready, message: message, observedGeneration: gen, now: now)
            } else {
                status.conditions.set(ConditionType.ready, .false, reason: ConditionReason.notReady, message: message, observedGeneration: gen, now: now)
            }
        }
        if let d = deployment, d[path: "spec.replicas"]?.intValue == 0 {
            set(Phase.stopped, Message.stopped, ready: 0)
            return
        }
        let pods = snapshot.list(Kinds.pod, namespace: server.namespace, matching: ProxyDeploymentBuilder.labels(server: server.name))
        if pods.isEmpty {
            set(Phase.pending, Message.creating, ready: 0)
            return
        }
        let summary = PodStatus.Summary(pods)
        let ready = Int64(summary.running)
        if summary.running > 0 && !statefulSetExists {
            set(Phase.pending, Message.statefulSetMissing, ready: ready)
        } else if summary.running > 0 {
            set(Phase.ready, Message.running, ready: ready)
        } else if summary.failed > 0 {
            set(Phase.failed, summary.firstFailureReason.map { "\(Message.podFailed): \($0)" } ?? Message.podFailed, ready: ready)
        } else if summary.pending > 0 {
            set(Phase.pending, Message.starting, ready: ready)
        } else {
            set(Phase.pending, Message.noHealthyPods, ready: ready)
        }
    }

    // MARK: watches

    /// Besides the server itself and its owned objects: its group (so a group becoming Ready or
    /// going away is seen at once, which Go does not do), the runner's StatefulSet and proxy pods,
    /// and every referenced configuration kind.
    public func primaries(affectedBy changed: KubeObject, in snapshot: Snapshot) -> [ObjectKey] {
        let ns = changed.namespace
        func servers(_ index: FieldIndex) -> [ObjectKey] {
            snapshot.lookup(index, kind: Kinds.mcpServer, namespace: ns, value: changed.name)
        }
        switch changed.groupKind {
        case Kinds.mcpGroup: return servers(.groupRef)
        case Kinds.statefulSet, Kinds.pod:
            let labels = changed.labels
            guard labels["toolhive"] == "true" else { return [] }
            if changed.groupKind == Kinds.pod && labels["app"] != "mcpserver" { return [] }
            let n = labels["toolhive-name"] ?? changed.name
            return snapshot.contains(Kinds.mcpServer, namespace: ns, name: n) ? [ObjectKey(Kinds.mcpServer, namespace: ns, name: n)] : []
        case Kinds.mcpToolConfig: return servers(.toolConfigRef)
        case Kinds.mcpExternalAuthConfig: return servers(.externalAuthConfigRef)
        case Kinds.mcpOIDCConfig: return servers(.serverOIDCConfigRef)
        case Kinds.mcpAuthzConfig: return servers(.serverAuthzConfigRef)
        case Kinds.mcpTelemetryConfig: return servers(.serverTelemetryConfigRef)
        case Kinds.mcpWebhookConfig: return servers(.serverWebhookConfigRef)
        default:
            return []
        }
    }
}

/// The MCPServer status as the pass builds it: fields in the Go type's order, empty ones left out
/// (`omitempty`), fields this model does not know kept as read.
struct ServerStatus {
    var conditions: ConditionList
    var observedGeneration: Int64
    var hashes: [String: String]
    var url: String
    var phase: String
    var message: String
    var readyReplicas: Int64
    private var rest: OrderedMap

    static let hashFields = ["toolConfigHash", "externalAuthConfigHash", "authServerConfigHash", "authzConfigHash", "oidcConfigHash", "telemetryConfigHash", "webhookConfigHash"]
    static let known = Set(["conditions", "observedGeneration", "url", "phase", "message", "readyReplicas"] + hashFields)

    init(_ observed: Value) {
        conditions = ConditionList(status: observed)
        observedGeneration = observed["observedGeneration"]?.intValue ?? 0
        hashes = [:]
        for f in Self.hashFields {
            if let h = observed[f]?.stringValue, !h.isEmpty { hashes[f] = h }
        }
        url = observed["url"]?.stringValue ?? ""
        phase = Phase.normalized(observed["phase"]?.stringValue) ?? ""
        message = observed["message"]?.stringValue ?? ""
        readyReplicas = observed["readyReplicas"]?.intValue ?? 0
        rest = OrderedMap()
        for (k, v) in observed.objectValue ?? OrderedMap() where !Self.known.contains(k) { rest[k] = v }
    }

    var value: Value {
        var m = OrderedMap()
        if !conditions.items.isEmpty { m["conditions"] = conditions.value }
        if observedGeneration != 0 { m["observedGeneration"] = .int(observedGeneration) }
        for f in Self.hashFields {
            if let h = hashes[f], !h.isEmpty { m[f] = .string(h) }
        }
        if !url.isEmpty { m["url"] = .string(url) }
        if !phase.isEmpty { m["phase"] = .string(phase) }
        if !message.isEmpty { m["message"] = .string(message) }
        if readyReplicas != 0 { m["readyReplicas"] = .int(readyReplicas) }
        for (k, v) in rest { m[k] = v }
        return .object(m)
    }
}
