/// The MCPRegistry controller (spec A §4.5, LATEST) as one pure pass, with the consolidated status
/// of seed 001 and its review's fixes: the URL is advertised only while Ready, readiness is read
/// once and decides both the status and the requeue, every status field is computed in one place,
/// `PodTemplateValid` is exact on every path, and deletion never waits on validation.
/// See docs/mcpregistry-reconciler.md.
public struct MCPRegistryReconciler: Reconciler {
    public let name = "MCPRegistry"
    public var primaryKind: GroupKind { MCPRegistry.kind }
    /// Re-run delay while the API is not ready (and, standing in for the Go error backoff, after a
    /// child object could not be ensured).
    public static let notReadyRequeueSeconds: Double = 30

    public init() {}

    public func reconcile(_ snapshot: Snapshot, key: ObjectKey, env: OperatorEnvironment) -> ReconcileResult {
        guard let registry = snapshot.get(key) else {
            return .gone(controller: name, key: key)
        }
        var plan = PlanBuilder(controller: name, primary: registry, snapshot: snapshot)
        // A deleted registry whose finalizer is already gone has nothing left to do (and a finalizer
        // cannot be added to an object being deleted).
        if registry.isBeingDeleted && !registry.finalizers.contains(MCPRegistry.finalizer) { return plan.result }

        let template = PodTemplateCheck(registry)
        let readiness = APIReadiness(registry, in: snapshot)
        let outcome: RegistryOutcome
        if registry.isBeingDeleted {
            // Deletion first: an invalid pod template or spec can never keep the finalizer (§6.9).
            outcome = .terminating
        } else {
            if registry.generation != MCPRegistryStatus(reading: registry.status).observedGeneration {
                plan.record(Event(.warning, reason: MCPRegistry.deprecationReason, message: MCPRegistry.deprecationMessage))
            }
            outcome = Self.decideAndEnsure(registry, template: template, env: env, plan: &plan)
        }

        let status = Self.status(of: registry, outcome: outcome, readiness: readiness, template: template, now: env.now)
        plan.setStatus(status.value, why: [outcome.explanation(readiness: readiness)])
        if case .terminating = outcome {
            plan.removeFinalizer(MCPRegistry.finalizer, why: "MCPRegistry is being deleted; owned objects are removed by garbage collection")
        }
        if outcome.requeues(readiness) { plan.requeue(after: Self.notReadyRequeueSeconds) }
        return plan.result
    }

    /// Validation, finalizer and children, in the real operator's order; returns what the pass concluded.
    static func decideAndEnsure(
        _ registry: KubeObject, template: PodTemplateCheck, env: OperatorEnvironment, plan: inout PlanBuilder
    ) -> RegistryOutcome {
        if case .invalid(let message) = template { return .invalidPodTemplate(message) }
        let spec: MCPRegistrySpec
        do throws(FieldError) {
            spec = try MCPRegistrySpec(FieldReader(registry.spec, path: "spec"))
        } catch {
            return .invalidSpec(error.description)
        }
        do throws(MCPRegistryValidationError) {
            try spec.validate(podTemplate: template.validTemplate)
        } catch {
            return .invalidSpec(error.description)
        }
        plan.addFinalizer(MCPRegistry.finalizer, why: "MCPRegistry has no finalizer yet")

        let pulls = RegistryDeploymentBuilder.mergedImagePullSecrets(spec: spec, env: env)
        let deployment = RegistryDeploymentBuilder.deployment(
            for: registry, spec: spec, podTemplate: template.validTemplate, env: env,
            exists: plan.snapshot.contains(ObjectKey(Kinds.deployment, namespace: registry.namespace, name: Naming.registryAPI(registry.name))))
        let steps: [(reason: String, prefix: String, objects: [(KubeObject, String)])] = [
            (ConditionReason.configMapFailed, "Failed to upsert registry server config config map", [
                (RegistryObjectsBuilder.configMap(for: registry, configYAML: spec.configYAML), "registry server config.yaml from spec.configYAML"),
            ]),
            (ConditionReason.rbacFailed, "Failed to ensure RBAC resources", [
                (RegistryObjectsBuilder.serviceAccount(for: registry, imagePullSecrets: pulls), "identity of the registry API"),
                (RegistryObjectsBuilder.role(for: registry), "permissions of the registry API"),
                (RegistryObjectsBuilder.roleBinding(for: registry), "binds the registry API Role to its ServiceAccount"),
            ]),
            (ConditionReason.deploymentFailed, "Failed to ensure deployment", [(deployment, "runs the registry API")]),
            (ConditionReason.serviceFailed, "Failed to ensure service", [(RegistryObjectsBuilder.service(for: registry), "exposes the registry API")]),
        ]
        // Stop at the first child that cannot be written, as the real operator does.
        for step in steps {
            for (object, why) in step.objects {
                if let conflict = foreignController(of: object, registry: registry, in: plan.snapshot) ?? RegistryDeploymentBuilder.selectorProblem(of: object) {
                    return .childFailed(reason: step.reason, message: "\(step.prefix): \(conflict)")
                }
                plan.ensure(object, why: why)
            }
        }
        return .serving
    }

    /// Non-nil when an object with the desired name exists and is controlled by something other
    /// than this registry: the API server would refuse to give it a second controller reference.
    static func foreignController(of desired: KubeObject, registry: KubeObject, in snapshot: Snapshot) -> String? {
        guard let observed = snapshot.get(desired.key), let owner = observed.controllerOwner else { return nil }
        if isRegistry(owner, registry) { return nil }
        return "\(desired.kind) \(desired.namespace)/\(desired.name) is already controlled by \(owner.kind) \(owner.name)"
    }

    static func isRegistry(_ owner: OwnerReference, _ registry: KubeObject) -> Bool {
        owner.kind == registry.kind && owner.name == registry.name && (owner.uid.isEmpty || registry.uid.isEmpty || owner.uid == registry.uid)
    }

    /// THE status computation: every field of the consolidated status is decided here, once, from
    /// the outcome, the one readiness reading and the pod-template check.
    static func status(of registry: KubeObject, outcome: RegistryOutcome, readiness: APIReadiness, template: PodTemplateCheck, now: Timestamp) -> MCPRegistryStatus {
        let generation = registry.generation
        var conditions = ConditionList(status: registry.status)
        let ready = outcome.readyCondition(readiness)
        conditions.set(ConditionType.ready, ready.status, reason: ready.reason, message: ready.message, observedGeneration: generation, now: now)
        switch template {
        case .absent:
            // A removed podTemplateSpec leaves nothing to report on: a stale True must not survive.
            conditions.remove(ConditionType.podTemplateValid)
        case .valid:
            conditions.set(ConditionType.podTemplateValid, .true, reason: ConditionReason.validPodTemplateSpec, message: "PodTemplateSpec is valid", observedGeneration: generation, now: now)
        case .invalid(let message):
            conditions.set(ConditionType.podTemplateValid, .false, reason: ConditionReason.invalidPodTemplateSpec, message: message, observedGeneration: generation, now: now)
        }
        let serving = outcome == .serving && readiness.isReady
        return MCPRegistryStatus(
            phase: outcome.phase(readiness),
            message: outcome.phaseMessage(readiness),
            url: serving ? MCPRegistry.url(name: registry.name, namespace: registry.namespace) : nil,
            readyReplicas: readiness.readyReplicas,
            observedGeneration: generation,
            conditions: conditions)
    }
}

/// The one reading of the API Deployment's readiness per pass (review item 2): the status and the
/// requeue both use this value.
struct APIReadiness: Sendable, Equatable {
    /// `R-api` exists and is controlled by this registry.
    var deploymentFound: Bool
    /// Its `status.readyReplicas` (0 when missing).
    var readyReplicas: Int64
    /// Ready means at least one ready replica (spec A §4.5 step 7).
    var isReady: Bool { deploymentFound && readyReplicas > 0 }

    init(deploymentFound: Bool, readyReplicas: Int64) {
        self.deploymentFound = deploymentFound
        self.readyReplicas = readyReplicas
    }

    init(_ registry: KubeObject, in snapshot: Snapshot) {
        let d = snapshot.get(Kinds.deployment, namespace: registry.namespace, name: Naming.registryAPI(registry.name))
        let ours = d.map { $0.controllerOwner.map { MCPRegistryReconciler.isRegistry($0, registry) } ?? true } ?? false
        deploymentFound = ours
        readyReplicas = ours ? max(0, d?.status["readyReplicas"]?.intValue ?? 0) : 0
    }
}

/// The user pod template, checked once per pass.
enum PodTemplateCheck: Sendable, Equatable {
    case absent
    case valid(Value)
    /// The condition message: "Failed to parse PodTemplateSpec: <err>. Deployment blocked until fixed."
    case invalid(String)

    init(_ registry: KubeObject) {
        guard let raw = registry.spec["podTemplateSpec"], !raw.isNull else {
            self = .absent
            return
        }
        do throws(K8sPodPatch.DecodeError) {
            try K8sPodPatch.validate(raw)
            self = .valid(raw)
        } catch {
            self = .invalid("Failed to parse PodTemplateSpec: \(error). Deployment blocked until fixed.")
        }
    }

    var validTemplate: Value? { if case .valid(let v) = self { return v }; return nil }
}

/// What one pass concluded; the phase, message, Ready condition and requeue all derive from it.
enum RegistryOutcome: Sendable, Equatable {
    case terminating
    case invalidPodTemplate(String)
    case invalidSpec(String)
    case childFailed(reason: String, message: String)
    /// Children ensured; the phase depends on the readiness reading.
    case serving

    static let readyMessage = "Registry API is ready and serving requests"
    static let pendingMessage = "Registry API deployment is not ready yet"
    static let terminatingMessage = "MCPRegistry is being terminated"

    func phase(_ readiness: APIReadiness) -> String {
        switch self {
        case .terminating: return Phase.terminating
        case .invalidPodTemplate, .invalidSpec, .childFailed: return Phase.failed
        case .serving: return readiness.isReady ? Phase.ready : Phase.pending
        }
    }

    /// `status.message`.
    func phaseMessage(_ readiness: APIReadiness) -> String {
        switch self {
        case .invalidPodTemplate(let m): return "Invalid PodTemplateSpec: \(m)"
        case .invalidSpec(let m): return "Spec validation failed: \(m)"
        default: return readyCondition(readiness).message
        }
    }

    func readyCondition(_ readiness: APIReadiness) -> (status: ConditionStatus, reason: String, message: String) {
        switch self {
        case .terminating: return (.false, ConditionReason.notReady, Self.terminatingMessage)
        case .invalidPodTemplate(let m): return (.false, ConditionReason.invalidPodTemplateSpec, m)
        case .invalidSpec(let m): return (.false, ConditionReason.validationFailed, m)
        case .childFailed(let reason, let m): return (.false, reason, m)
        case .serving:
            return readiness.isReady ? (.true, ConditionReason.ready, Self.readyMessage) : (.false, ConditionReason.notReady, Self.pendingMessage)
        }
    }

    /// Re-run in 30 s while the API is coming up, or after a child could not be written. Invalid
    /// input waits for the user's next edit (its watch event), as in the real operator.
    func requeues(_ readiness: APIReadiness) -> Bool {
        switch self {
        case .serving: return !readiness.isReady
        case .childFailed: return true
        case .terminating, .invalidPodTemplate, .invalidSpec: return false
        }
    }

    /// The `--explain` reason of the status write.
    func explanation(readiness: APIReadiness) -> String {
        switch self {
        case .terminating: return "MCPRegistry is being deleted"
        case .invalidPodTemplate: return "spec.podTemplateSpec does not decode as a PodTemplateSpec"
        case .invalidSpec: return "spec failed validation"
        case .childFailed(let reason, _): return "an owned object could not be ensured (\(reason))"
        case .serving:
            if !readiness.deploymentFound { return "Deployment is missing (being created)" }
            return "Deployment has \(readiness.readyReplicas) ready replica(s)"
        }
    }
}
