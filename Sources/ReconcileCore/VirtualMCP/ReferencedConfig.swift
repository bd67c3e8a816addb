/// The lifecycle the shared config kinds (MCPExternalAuthConfig, MCPToolConfig,
/// VirtualMCPCompositeToolDefinition) have in common: a finalizer that keeps a config from
/// vanishing while any workload or vMCP still references it (`DeletionBlocked`, re-checked every
/// 30 s), and a status with `observedGeneration` written only when something changed.
public struct ReferencedConfig: Sendable {
    public var controller: String
    public var finalizer: String
    public var object: KubeObject
    public var snapshot: Snapshot
    public var env: OperatorEnvironment

    public static let deletionRecheckSeconds: Double = 30

    /// Everything that references the config, sorted by kind then name.
    public var referencers: [KubeObject]

    /// `[{MCPServer a} {VirtualMCPServer b}]`, the way the Go operator prints the list.
    public var referencerList: String {
        "[" + referencers.map { "{\($0.kind) \($0.name)}" }.joined(separator: " ") + "]"
    }

    public init(controller: String, finalizer: String, object: KubeObject, snapshot: Snapshot, env: OperatorEnvironment, referencers: [KubeObject]) {
        self.controller = controller
        self.finalizer = finalizer
        self.object = object
        self.snapshot = snapshot
        self.env = env
        self.referencers = referencers.sorted { ($0.kind, $0.name) < ($1.kind, $1.name) }
    }

    /// Runs the shared flow; `status` builds the rest of the status (it gets the observed status
    /// and the condition list to extend) and is called only when the object is not being deleted.
    public func reconcile(status build: (inout OrderedMap, inout ConditionList, inout PlanBuilder) -> Void) -> ReconcileResult {
        var plan = PlanBuilder(controller: controller, primary: object, snapshot: snapshot)
        var status = object.status.objectValue ?? OrderedMap()
        var conditions = ConditionList(status: object.status)
        if object.isBeingDeleted {
            guard object.finalizers.contains(finalizer) else { return plan.result }
            if referencers.isEmpty {
                plan.removeFinalizer(finalizer, why: "no workload references \(object.kind) \(object.name) any more")
                return plan.result
            }
            let message = "Cannot delete: referenced by workloads: \(referencerList)"
            if object.condition(ConditionType.deletionBlocked)?.status != .true {
                plan.record(Event(.warning, reason: "DeletionBlocked", message: message))
            }
            conditions.set(ConditionType.deletionBlocked, .true, reason: ConditionReason.referencedByWorkloads, message: message, observedGeneration: object.generation, now: env.now)
            status["conditions"] = conditions.value
            plan.setStatus(.object(status), why: ["deletion requested while referenced"])
            plan.requeue(after: Self.deletionRecheckSeconds)
            return plan.result
        }
        plan.addFinalizer(finalizer, why: "keeps \(object.kind) \(object.name) while something references it")
        conditions.remove(ConditionType.deletionBlocked)
        build(&status, &conditions, &plan)
        status["observedGeneration"] = .int(object.generation)
        status["conditions"] = conditions.items.isEmpty ? nil : conditions.value
        plan.setStatus(.object(status))
        return plan.result
    }

    /// `Valid` with events on transitions only: `ConfigInvalid` when it turns False, `ConfigValid`
    /// when it recovers.
    public static func setValid(_ problem: String?, object: KubeObject, conditions: inout ConditionList, plan: inout PlanBuilder, now: Timestamp) {
        let was = object.condition(ConditionType.valid)?.status
        if let problem {
            if was != .false { plan.record(Event(.warning, reason: "ConfigInvalid", message: problem)) }
            conditions.set(ConditionType.valid, .false, reason: ConditionReason.validationFailed, message: problem, observedGeneration: object.generation, now: now)
        } else {
            if was == .false { plan.record(Event(.normal, reason: "ConfigValid", message: "Configuration is valid")) }
            conditions.set(ConditionType.valid, .true, reason: ConditionReason.validationSucceeded, message: "Spec validation passed", observedGeneration: object.generation, now: now)
        }
    }
}

extension ReferencedConfig {
    /// The whole reconcile of a config kind whose status is `Valid` plus `configHash`
    /// (MCPExternalAuthConfig, MCPToolConfig): referencers found through `index`.
    public static func reconcileHashed(
        controller: String, finalizer: String, referencedBy index: FieldIndex, snapshot: Snapshot, key: ObjectKey, env: OperatorEnvironment,
        validate: (KubeObject) -> String?
    ) -> ReconcileResult {
        guard let object = snapshot.get(key) else {
            return .gone(controller: controller, key: key)
        }
        let flow = ReferencedConfig(
            controller: controller, finalizer: finalizer, object: object, snapshot: snapshot, env: env,
            referencers: snapshot.lookup(index, namespace: key.namespace, value: key.name))
        return flow.reconcile { status, conditions, plan in
            let problem = validate(object)
            setValid(problem, object: object, conditions: &conditions, plan: &plan, now: env.now)
            status["configHash"] = problem == nil ? .string(ConfigHash.of(spec: object.spec)) : status["configHash"]
        }
    }

    /// The configs a changed referencer points at through `index` (a new or dropped reference
    /// changes whether deletion is blocked).
    public static func referenced(by changed: KubeObject, through index: FieldIndex, kind: GroupKind) -> [ObjectKey] {
        guard index.kinds.contains(changed.groupKind) else { return [] }
        return index.extract(changed).map { ObjectKey(kind, namespace: changed.namespace, name: $0) }
    }
}
