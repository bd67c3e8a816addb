/// VirtualMCPCompositeToolDefinition: a controller the Go operator lacks (Decision 2). Validates
/// the workflow with the shared composite validator and writes `validationStatus`,
/// `validationErrors`, `referencingVirtualServers` and `WorkflowValidated`; a finalizer keeps a
/// definition that a VirtualMCPServer references from being deleted under it.
public struct CompositeToolDefinitionReconciler: Reconciler {
    public static let finalizer = "toolhive.stacklok.dev/compositetooldefinition-finalizer"
    public static let workflowValidated = "WorkflowValidated"
    public init() {}
    public var name: String { "VirtualMCPCompositeToolDefinition" }
    public var primaryKind: GroupKind { Kinds.compositeToolDefinition }

    public func reconcile(_ snapshot: Snapshot, key: ObjectKey, env: OperatorEnvironment) -> ReconcileResult {
        guard let object = snapshot.get(key) else {
            return .gone(controller: name, key: key)
        }
        let referencers = snapshot.lookup(.compositeToolRef, namespace: key.namespace, value: key.name)
        let flow = ReferencedConfig(controller: name, finalizer: Self.finalizer, object: object, snapshot: snapshot, env: env, referencers: referencers)
        return flow.reconcile { status, conditions, _ in
            let issues = CompositeToolValidator.issues(object.spec, path: "spec")
            status["validationStatus"] = issues.isEmpty ? "Valid" : "Invalid"
            status["validationErrors"] = issues.isEmpty ? nil : .strings(issues.map(\.message))
            let names = referencers.map(\.name).sorted()
            status["referencingVirtualServers"] = names.isEmpty ? nil : .strings(names)
            if let first = issues.first {
                // The most specific kind found names the reason (a cycle beats a template error).
                let kinds = issues.map(\.kind)
                let kind = [CompositeToolValidator.Kind.dependencyCycle, .template, .schema].first { kinds.contains($0) } ?? first.kind
                conditions.set(Self.workflowValidated, .false, reason: kind.rawValue, message: issues.map(\.message).joined(separator: "; "),
                    observedGeneration: object.generation, now: env.now)
            } else {
                conditions.set(Self.workflowValidated, .true, reason: "ValidationSuccess", message: "Workflow validation passed",
                    observedGeneration: object.generation, now: env.now)
            }
        }
    }

    /// A vMCP adding or dropping a reference changes `referencingVirtualServers` and may unblock deletion.
    public func primaries(affectedBy changed: KubeObject, in snapshot: Snapshot) -> [ObjectKey] {
        ReferencedConfig.referenced(by: changed, through: .compositeToolRef, kind: primaryKind)
    }
}
